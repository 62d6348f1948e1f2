import { jsonDepthExceeds } from './request-limits';

describe('the JSON depth check', () => {
  it('lets bodies through up to the limit, objects and arrays alike', () => {
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds(`${'['.repeat(32)}${']'.repeat(32)}`, 32)).toBe(false);
  });

  it('refuses one level more', () => {
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds(`${'['.repeat(33)}${']'.repeat(33)}`, 32)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ text: '[[[[{{{{', quote: 'say "[[[["' }), 1)).toBe(false);
  });

  it('counts nesting, not the number of siblings', () => {
    expect(jsonDepthExceeds(JSON.stringify(Array.from({ length: 1000 }, () => ({ a: [1] }))), 3)).toBe(false);
  });
});
