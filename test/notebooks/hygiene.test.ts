// Committed notebooks are sources: the course kernel, stable cell ids, no outputs, and prose that passes markdownlint.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from 'markdownlint/sync';
// @ts-expect-error: a plain ES module without types
import { cellId, KERNELSPEC } from '../../scripts/nb.mjs';

const root = path.resolve(__dirname, '../..');
const dir = path.join(root, 'notebooks');
const notebooks = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ipynb'))
  .sort();
const mdConfig = JSON.parse(
  fs.readFileSync(path.join(root, '.markdownlint-cli2.jsonc'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
).config;

interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
}
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);

it('the course has its tour and twelve chapters', () => {
  const numbers = notebooks.map((f) => Number(f.slice(0, 2)));
  expect(numbers[0]).toBe(0);
  expect(new Set(numbers).size).toBe(numbers.length);
});

describe.each(notebooks)('%s', (file) => {
  const nbPath = path.join('notebooks', file);
  const nb = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const cells: Cell[] = nb.cells;

  it('is named NN-topic.ipynb and runs on the course kernel', () => {
    expect(file).toMatch(/^\d\d-[a-z0-9-]+\.ipynb$/);
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBeGreaterThanOrEqual(5);
    expect(nb.metadata.kernelspec).toEqual(KERNELSPEC);
    expect(nb.metadata.language_info?.name).toBe('typescript');
  });

  it('has stable cell ids (node scripts/nb.mjs clean renumbers them)', () => {
    expect(cells.map((c) => c.id)).toEqual(cells.map((_, i) => cellId(nbPath, i)));
  });

  it('carries no outputs, execution counts or cell metadata', () => {
    const dirty = cells
      .map((c, i) => ({ i: i + 1, c }))
      .filter(
        ({ c }) =>
          (c.outputs?.length ?? 0) > 0 ||
          (c.execution_count ?? null) !== null ||
          Object.keys(c.metadata).some((k) => k !== 'tags'),
      );
    expect(
      dirty.map((d) => `cell ${d.i}`),
      'run `node scripts/nb.mjs clean` on this notebook',
    ).toEqual([]);
  });

  it('opens with its title and, for a chapter, has common mistakes and exercises', () => {
    expect(cells[0].cell_type).toBe('markdown');
    expect(text(cells[0])).toMatch(/^# \S/);
    if (!file.startsWith('00-')) {
      const headings = cells.filter((c) => c.cell_type === 'markdown').flatMap((c) => text(c).match(/^#+ .*$/gm) ?? []);
      expect(
        headings.some((h) => /common mistakes/i.test(h)),
        'a "Common mistakes" heading',
      ).toBe(true);
      expect(
        headings.some((h) => /exercises/i.test(h)),
        'an "Exercises" heading',
      ).toBe(true);
    }
  });

  it('links only to notebooks that exist', () => {
    const prose = cells
      .filter((c) => c.cell_type === 'markdown')
      .map(text)
      .join('\n');
    const targets = [...prose.matchAll(/\]\((?:\.\/)?([\w-]+\.ipynb)(?:#[^)]*)?\)/g)].map((m) => m[1]);
    expect(targets.filter((t) => !notebooks.includes(t))).toEqual([]);
  });

  it('has prose that passes markdownlint', () => {
    const markdown = `${cells
      .filter((c) => c.cell_type === 'markdown')
      .map(text)
      .join('\n\n')
      .trim()}\n`;
    const result = lint({ strings: { [file]: markdown }, config: mdConfig });
    const problems = result[file].map(
      (e) =>
        `line ${e.lineNumber}: ${e.ruleNames.join('/')} ${e.ruleDescription}${e.errorDetail ? ` (${e.errorDetail})` : ''}${e.errorContext ? ` [${e.errorContext}]` : ''}`,
    );
    expect(problems).toEqual([]);
  });
});
