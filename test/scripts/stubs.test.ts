// One source for the exercises: every stub is generated from its solution's BEGIN/END SOLUTION markers, and
// `npm test` fails when exercises/ drifts from the solutions or a marker points at a section the notebook lacks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types
import { checkStubs, stubFromSolution } from '../../scripts/stubs.mjs';

const root = path.resolve(__dirname, '../..');
const headings = new Set(['Many heads: split and merge', 'Counting pairs']);
const solution = [
  "import { tf } from '@how-llms-work/lib';",
  "import { helper, other } from './helper';",
  '',
  '/** Doc comment kept verbatim; uses other. */',
  'export function splitIntoHeads(x: tf.Tensor3D, H: number): tf.Tensor4D {',
  '  // BEGIN SOLUTION: Many heads: split and merge',
  '  return helper(x, H);',
  '  // END SOLUTION',
  '}',
  '',
  'export class Counter {',
  '  count(ids: number[]): number {',
  '    // BEGIN SOLUTION: Counting pairs',
  '    return ids.length;',
  '    // END SOLUTION',
  '  }',
  '}',
  '',
].join('\n');

describe('stub generator', () => {
  it('replaces each marked body with a TODO naming the function, the chapter and the section', () => {
    const { stub, errors } = stubFromSolution(solution, { chapter: '05', headings });
    expect(errors).toEqual([]);
    expect(stub).toContain(
      "export function splitIntoHeads(x: tf.Tensor3D, H: number): tf.Tensor4D {\n  throw new Error('TODO: implement splitIntoHeads (see the chapter 05 notebook, section Many heads: split and merge)');\n}",
    );
    expect(stub).toContain(
      "    throw new Error('TODO: implement count (see the chapter 05 notebook, section Counting pairs)');\n  }",
    );
    expect(stub).not.toContain('return helper');
    expect(stub).not.toContain('SOLUTION');
  });

  it('drops imported names only the solution used, keeping those the rest of the file names', () => {
    const { stub } = stubFromSolution(solution, { chapter: '05', headings });
    expect(stub).toContain("import { tf } from '@how-llms-work/lib';\n"); // used in the signature
    expect(stub).toContain("import { other } from './helper';\n"); // named in the doc comment, a hint to use it
    const { stub: bare } = stubFromSolution(solution.replace('uses other', 'no hint'), { chapter: '05', headings });
    expect(bare).not.toContain('./helper');
  });

  it('fails on a section the notebook does not have, naming it and the file', () => {
    const { errors } = stubFromSolution(solution.replace('Counting pairs', 'Counting triples'), {
      chapter: '02',
      headings,
      file: 'solutions/x.ts',
    });
    expect(errors.join('\n')).toMatch(
      /solutions\/x\.ts:13: section "Counting triples" is not a heading of the chapter 02 notebook/,
    );
  });

  it('fails on unbalanced, malformed or missing markers', () => {
    const unclosed = stubFromSolution(solution.replace('    // END SOLUTION\n', ''), { chapter: '05', headings });
    expect(unclosed.errors.join('\n')).toMatch(/has no END SOLUTION/);
    const stray = stubFromSolution(`${solution}// END SOLUTION\n`, { chapter: '05', headings });
    expect(stray.errors.join('\n')).toMatch(/END SOLUTION without a BEGIN/);
    const malformed = stubFromSolution(
      solution.replace('// BEGIN SOLUTION: Counting pairs', '// BEGIN SOLUTION Counting pairs'),
      { chapter: '05', headings },
    );
    expect(malformed.errors.join('\n')).toMatch(/malformed marker/);
    const none = stubFromSolution('export const answer = 42;\n', { chapter: '05', headings });
    expect(none.errors.join('\n')).toMatch(/no "\/\/ BEGIN SOLUTION/);
  });

  it('check names a drifted stub and a stub without a solution', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-stubs-'));
    const nb = { cells: [{ cell_type: 'markdown', source: ['# Attention\n', '## Many heads: split and merge\n'] }] };
    fs.mkdirSync(path.join(base, 'notebooks'));
    fs.writeFileSync(path.join(base, 'notebooks', '05-attention.ipynb'), JSON.stringify(nb));
    for (const dir of ['solutions', 'exercises'])
      fs.mkdirSync(path.join(base, dir, 'ch05-attention'), { recursive: true });
    fs.writeFileSync(path.join(base, 'solutions/ch05-attention/heads.ts'), solution.replace(/export class[\s\S]*/, ''));
    const { stub } = stubFromSolution(fs.readFileSync(path.join(base, 'solutions/ch05-attention/heads.ts'), 'utf8'), {
      chapter: '05',
    });
    fs.writeFileSync(path.join(base, 'exercises/ch05-attention/heads.ts'), stub);
    expect(checkStubs(base).problems).toEqual([]);
    fs.writeFileSync(path.join(base, 'exercises/ch05-attention/heads.ts'), `${stub}// edited by hand\n`);
    fs.writeFileSync(path.join(base, 'exercises/ch05-attention/orphan.ts'), 'export {};\n');
    const problems: string[] = checkStubs(base).problems;
    expect(problems.join('\n')).toMatch(/exercises\/ch05-attention\/heads\.ts differs/);
    expect(problems.join('\n')).toMatch(/exercises\/ch05-attention\/orphan\.ts has no solution/);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("the course's exercises/ is exactly what `node scripts/stubs.mjs write` produces", () => {
    const { count, problems } = checkStubs(root);
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(30);
  });
});
