import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

describe('the Kubernetes manifests', () => {
  it('validate against the API schemas and carry resources and probes', () => {
    let output: string;
    try {
      output = execFileSync(process.execPath, [join(__dirname, 'validate-manifests.mjs')], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output.trim()).toMatch(/(^|\n)\d+ objects checked, 0 problems$/);
  });
});
