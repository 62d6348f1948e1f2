#!/usr/bin/env node
// Validates deploy/k8s against the Kubernetes API schemas (kubernetes-models, offline) and the project's own rules:
// every file kustomization.yaml lists exists; every Deployment and StatefulSet container has resource requests and
// limits, and every app container readiness and liveness probes. Prints one line per problem, then a summary line;
// exits 1 when there is a problem. Usage: node deploy/check/validate-manifests.mjs [dir]
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../k8s'));
const problems = [];
let checked = 0;

const kustomization = parseAllDocuments(readFileSync(join(root, 'kustomization.yaml'), 'utf8'))[0].toJS();
for (const file of kustomization.resources ?? []) {
  const path = join(root, file);
  if (!existsSync(path)) {
    problems.push(`kustomization.yaml: ${file} does not exist`);
    continue;
  }
  const documents = parseAllDocuments(readFileSync(path, 'utf8'));
  for (const document of documents) {
    if (document.errors.length > 0) {
      problems.push(`${file}: YAML: ${document.errors[0].message}`);
      continue;
    }
    const object = document.toJS();
    if (!object) continue;
    const where = `${file}: ${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
    const model = await modelOf(object.apiVersion, object.kind);
    if (!model) {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${String(error.message ?? error).split('\n').slice(0, 3).join(' ')}`);
    }
    problems.push(...workloadProblems(where, object));
    checked += 1;
  }
}

for (const problem of problems) console.log(problem);
console.log(`${checked} objects checked, ${problems.length} problems`);
process.exit(problems.length > 0 ? 1 : 0);

async function modelOf(apiVersion, kind) {
  if (!apiVersion || !kind || !/^[A-Za-z0-9.\/-]+$/.test(apiVersion) || !/^[A-Za-z]+$/.test(kind)) return undefined;
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

/** Resources on every container; probes on every long-running app container (not on jobs). */
function workloadProblems(where, object) {
  if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return [];
  const found = [];
  for (const container of object.spec?.template?.spec?.containers ?? []) {
    const name = `${where} container ${container.name}`;
    const { requests, limits } = container.resources ?? {};
    if (!requests?.cpu || !requests?.memory) found.push(`${name}: resources.requests.cpu and .memory must be set`);
    if (!limits?.memory) found.push(`${name}: resources.limits.memory must be set`);
    if (!container.readinessProbe) found.push(`${name}: readinessProbe must be set`);
    if (!container.livenessProbe) found.push(`${name}: livenessProbe must be set`);
  }
  return found;
}
