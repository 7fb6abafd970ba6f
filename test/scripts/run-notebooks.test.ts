// The notebook runner must fail on a broken cell and say which notebook, which cell, and what went wrong,
// although tslab reports failures with an empty error and the message on stderr.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types
import { buildNotebook, writeNotebook } from '../../scripts/nb.mjs';

const root = path.resolve(__dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-runner-'));

function notebook(name: string, cells: { kind: 'markdown' | 'code'; text: string }[]): string {
  const file = path.join(dir, name);
  writeNotebook(file, buildNotebook(cells, file));
  return file;
}

function run(files: string[], extra: string[] = []) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-notebooks.mjs'), ...extra, ...files], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('notebook runner', () => {
  it('passes a good notebook and fails a broken one, naming the cell, its first lines and the message', () => {
    const good = notebook('good.ipynb', [
      { kind: 'markdown', text: '# Good' },
      { kind: 'code', text: 'const answer: number = 6 * 7;\nconsole.log(answer);' },
    ]);
    const bad = notebook('bad.ipynb', [
      { kind: 'markdown', text: '# Bad' },
      { kind: 'code', text: 'console.log("fine");' },
      { kind: 'code', text: '// the broken cell\nthrow new Error("the loss went NaN");' },
      { kind: 'code', text: 'console.log("never runs");' },
    ]);
    const typo = notebook('typo.ipynb', [
      { kind: 'markdown', text: '# Typo' },
      { kind: 'code', text: 'const y = undefinedName + 1;' },
    ]);
    const { status, out } = run([good, bad, typo], ['--jobs', '1']);
    expect(status).toBe(1);
    expect(out).toMatch(/ok +.*good\.ipynb/);
    expect(out).toMatch(/FAIL .*bad\.ipynb: cell 3 \(code cell 2\) failed/);
    expect(out).toContain('// the broken cell');
    expect(out).toContain('the loss went NaN');
    expect(out).toMatch(/FAIL .*typo\.ipynb: cell 2 \(code cell 1\)/);
    expect(out).toContain("Cannot find name 'undefinedName'");
    expect(out).toContain('notebooks: 1 passed, 2 failed');
  }, 120_000);

  it('turns a hung cell into a clear timeout failure', () => {
    const hung = notebook('hung.ipynb', [
      { kind: 'markdown', text: '# Hung' },
      { kind: 'code', text: 'await new Promise(() => {});' },
    ]);
    const { status, out } = run([hung], ['--timeout', '5']);
    expect(status).toBe(1);
    expect(out).toMatch(/FAIL .*hung\.ipynb: cell 2 \(code cell 1\) timed out after 5 s/);
  }, 120_000);
});

describe('notebook runner, several at once', () => {
  it("starts the notebooks that load chapter 7's model only after chapter 7 has saved it", () => {
    const saved = path.join(dir, 'saved-model');
    fs.rmSync(saved, { force: true });
    // The runner knows the roles from the code: chapter 7 calls chapter7Checkpoint(), a reader loadOrTrainCharGPT().
    const reader = notebook('reader.ipynb', [
      { kind: 'markdown', text: '# Reader' },
      {
        kind: 'code',
        text: `// as L.loadOrTrainCharGPT(L.chapter7Checkpoint(), ...) would\nimport * as fs from 'fs';\nif (!fs.existsSync(${JSON.stringify(saved)})) throw new Error('started before chapter 7 saved its model');`,
      },
    ]);
    const writer = notebook('writer.ipynb', [
      { kind: 'markdown', text: '# Writer' },
      {
        kind: 'code',
        text: `// as chapter 7 saves to L.chapter7Checkpoint()\nimport * as fs from 'fs';\nawait new Promise((done) => setTimeout(done, 4000));\nfs.writeFileSync(${JSON.stringify(saved)}, 'model');`,
      },
    ]);
    const { status, out } = run([reader, writer], ['--jobs', '2']);
    expect(out).toContain('notebooks: 2 passed, 0 failed');
    expect(status).toBe(0);
  }, 120_000);
});
