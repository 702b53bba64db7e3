import { describe, expect, it } from 'vitest';
import { DocumentReader, formatIssue, parseYamlDocument, pathText, type YamlDocument } from './yaml-document.js';

function parsed(text: string): YamlDocument {
  const r = parseYamlDocument(text, 'f.yaml');
  if (!r.ok) throw new Error(`unexpected syntax error: ${r.issues.map(formatIssue).join('; ')}`);
  return r.document;
}

describe('parseYamlDocument', () => {
  it('gives plain data for YAML and JSON alike', () => {
    expect(parsed('a: 1\nb: [x, y]\n').data).toEqual({ a: 1, b: ['x', 'y'] });
    expect(parsed('{"a": 1, "b": ["x", "y"]}').data).toEqual({ a: 1, b: ['x', 'y'] });
  });

  it('reports syntax errors and duplicate keys at their line and column', () => {
    const bad = parseYamlDocument('a: 1\nb: [1, 2\n', 'f.yaml');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues[0]).toMatchObject({ file: 'f.yaml', path: '', expected: 'valid YAML or JSON' });
    expect(bad.issues[0]?.line).toBeGreaterThanOrEqual(2);
    const dup = parseYamlDocument('a: 1\na: 2\n', 'f.yaml');
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.issues[0]?.line).toBe(2);
  });
});

describe('DocumentReader', () => {
  it('places a wrong value at the value, an unknown key at the key, a missing one at its parent', () => {
    const doc = parsed('top:\n  inner:\n    count: many\n    cuont: 3\n');
    const r = new DocumentReader('f.yaml', doc);
    const inner = r.object((r.object((doc.data as Record<string, unknown>)['top'], ['top']) ?? {})['inner'], ['top', 'inner']) ?? {};
    r.number(inner, 'count', ['top', 'inner'], { min: 1, integer: true });
    r.keys(inner, ['count', 'size'], ['top', 'inner']);
    r.string(inner, 'size', ['top', 'inner']);
    expect(r.issues.map(formatIssue)).toEqual([
      'f.yaml:3:12: top.inner.count: expected an integer >= 1, found "many"',
      'f.yaml:4:5: top.inner.cuont: expected one of the keys count, size (did you mean "count"?), found unknown key "cuont"',
      'f.yaml:3:5: top.inner.size: expected a non-empty string, found nothing (the field is missing)',
    ]);
  });

  it('without a document (data built in code) names the path only', () => {
    const r = new DocumentReader('<obj>');
    expect(r.oneOf({ mode: 'fast' }, 'mode', ['slow', 'safe'], [])).toBeNull();
    expect(r.list({ xs: 3 }, 'xs', [], 'names')).toBeNull();
    expect(r.issues.map(formatIssue)).toEqual(['<obj>: mode: expected one of slow | safe, found "fast"', '<obj>: xs: expected a list of names, found 3']);
  });

  it('fallbacks apply only to absent fields', () => {
    const r = new DocumentReader('<obj>');
    expect(r.number({}, 'n', [], { fallback: 7 })).toBe(7);
    expect(r.number({ n: null }, 'n', [], { fallback: 7 })).toBeNull();
    expect(r.issues).toHaveLength(1);
  });

  it('paths read as written in the file', () => {
    expect(pathText(['load', 'steps', 2, 'rate'])).toBe('load.steps[2].rate');
    expect(pathText([])).toBe('');
  });
});
