// The package boundary (issue 14): the teaching library calls `ops` and never reaches into the accelerator.
// Only lib/src/runtime imports @how-llms-work/accel; model, training and sampling code never asks which backend runs;
// the top level exports exactly the names in public-names.txt, so a new export is a decision.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import * as accel from '@how-llms-work/accel';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const LIB = path.join(ROOT, 'lib', 'src');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports (static, dynamic and require). */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm))
    found.push(m[1]);
  return found;
}

const rel = (f: string) => path.relative(ROOT, f);

describe('package boundary', () => {
  it('only lib/src/runtime imports the accelerator', () => {
    const offenders = tsFiles(LIB)
      .filter((f) => !f.startsWith(path.join(LIB, 'runtime') + path.sep))
      .filter((f) => imports(f).some((s) => s.startsWith('@how-llms-work/accel') || /(^|\/)accel\//.test(s)))
      .map(rel);
    expect(offenders, 'call an `ops` entry (lib/src/ops) instead; the accelerator registers its version').toEqual([]);
  });

  it('model, training and sampling code imports neither the runtime nor backend packages, and never asks which backend runs', () => {
    const teaching = ['model', 'training', 'sampling'].flatMap((d) => tsFiles(path.join(LIB, d)));
    expect(teaching.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const f of teaching) {
      const text = fs.readFileSync(f, 'utf8');
      for (const s of imports(f)) {
        if (/(^|\/)runtime$/.test(s) || /^@tensorflow\/tfjs-(backend|node)/.test(s))
          offenders.push(`${rel(f)} imports ${s}`);
      }
      if (/getBackend\s*\(/.test(text)) offenders.push(`${rel(f)} asks tf.getBackend()`);
      if (/process\.env/.test(text)) offenders.push(`${rel(f)} reads process.env`);
    }
    expect(offenders).toEqual([]);
  });

  it('the accelerator does not import the library (it sits below it)', () => {
    const offenders = tsFiles(path.join(ROOT, 'accel', 'src'))
      .filter((f) => imports(f).some((s) => s.startsWith('@how-llms-work/lib') || s.includes('lib/src')))
      .map(rel);
    expect(offenders).toEqual([]);
  });
});

describe('public surface', () => {
  const listFile = path.join(__dirname, 'public-names.txt');
  const listed = fs
    .readFileSync(listFile, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('the top level exports exactly the names in public-names.txt', () => {
    const actual = Object.keys(L).sort();
    const added = actual.filter((n) => !listed.includes(n));
    const removed = listed.filter((n) => !actual.includes(n));
    expect({ added, removed }, `a new or removed top-level export is a decision: edit ${rel(listFile)}`).toEqual({
      added: [],
      removed: [],
    });
  });

  it('backend internals stay on @how-llms-work/accel, off the top level', () => {
    const allowed = new Set([
      'ready',
      'selectBackend',
      'useBackend',
      'availableBackends',
      'BACKEND_PREFERENCE',
      'WASM_THREADS_ENV',
      'tf',
      'settings',
      'withSettings',
      'SETTING_ENV',
    ]);
    const leaked = Object.keys(accel).filter((n) => n in L && !allowed.has(n));
    expect(leaked).toEqual([]);
    expect(Object.keys(accel)).toEqual(expect.arrayContaining(['installWasmMatMul', 'openblasInfo', 'fastOps']));
  });
});
