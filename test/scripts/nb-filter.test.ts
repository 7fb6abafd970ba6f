// Running a notebook must not make the clone dirty: `npm install` registers a git clean filter (the nbstripout
// approach, with the course's own `nb.mjs clean`), so git sees notebooks without outputs while the working copy
// keeps them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types
import { buildNotebook, cleanText, installFilter, writeNotebook } from '../../scripts/nb.mjs';
// @ts-expect-error: a plain ES module without types
import { SAVE_HOOK_CONFIG } from '../../scripts/register-kernel.mjs';

const root = path.resolve(__dirname, '../..');

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** Run the Jupyter post-save hook from the course's Jupyter config on a saved file, as Jupyter does after a save. */
function afterSave(file: string): void {
  const script = [
    'import sys',
    'class Config: pass',
    'c = Config(); c.FileContentsManager = Config()',
    'exec(sys.stdin.read(), {"c": c})',
    `c.FileContentsManager.post_save_hook(model={"type": "notebook"}, os_path=${JSON.stringify(file)}, contents_manager=None)`,
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { input: SAVE_HOOK_CONFIG, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
}

describe('notebook outputs stay out of git', () => {
  it('git status stays clean after a run, the outputs stay on disk, and a source edit shows without them', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-filter-'));
    git(repo, 'init', '-q');
    fs.mkdirSync(path.join(repo, 'scripts'));
    fs.mkdirSync(path.join(repo, 'notebooks'));
    fs.copyFileSync(path.join(root, 'scripts', 'nb.mjs'), path.join(repo, 'scripts', 'nb.mjs'));
    fs.copyFileSync(path.join(root, '.gitattributes'), path.join(repo, '.gitattributes'));
    const file = path.join(repo, 'notebooks', '01-demo.ipynb');
    const cells = [
      { kind: 'markdown', text: '# Demo' },
      { kind: 'code', text: 'console.log(6 * 7);' },
    ];
    writeNotebook(file, buildNotebook(cells, 'notebooks/01-demo.ipynb'));
    expect(installFilter(repo)).toMatch(/clean filter/);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'clean notebook');

    // What Jupyter's autosave writes after Run All: outputs, execution counts, kernel metadata.
    const ran = JSON.parse(fs.readFileSync(file, 'utf8'));
    ran.cells[1].execution_count = 1;
    ran.cells[1].outputs = [{ output_type: 'stream', name: 'stdout', text: ['42\n'] }];
    ran.metadata.language_info.version = '5.6.3';
    fs.writeFileSync(file, JSON.stringify(ran, null, 1));
    expect(git(repo, 'diff')).toBe('');
    afterSave(file);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).cells[1].outputs).toHaveLength(1);

    // Upstream changes the notebook: a pull goes through (the outputs of the updated notebook are dropped).
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-upstream-'));
    git(clone, 'clone', '-q', repo, '.');
    const up = path.join(clone, 'notebooks', '01-demo.ipynb');
    fs.writeFileSync(up, fs.readFileSync(up, 'utf8').replace('# Demo', '# Demo, revised'));
    git(clone, 'commit', '-qam', 'revise the title');
    git(repo, 'pull', '-q', '--no-rebase', clone, 'HEAD');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/# Demo, revised/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    fs.rmSync(clone, { recursive: true, force: true });
    fs.writeFileSync(
      file,
      JSON.stringify({ ...ran, cells: [{ ...ran.cells[0], source: ['# Demo, revised'] }, ran.cells[1]] }, null, 1),
    );
    afterSave(file);
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // A real edit shows, and what git stores has no outputs.
    ran.cells[1].source = ['console.log(6 * 9);'];
    fs.writeFileSync(file, JSON.stringify(ran, null, 1));
    afterSave(file);
    expect(git(repo, 'status', '--porcelain')).toBe(' M notebooks/01-demo.ipynb\n');
    const diff = git(repo, 'diff');
    expect(diff).toMatch(/\+.*6 \* 9/);
    expect(diff).not.toMatch(/42|execution_count": 1|5\.6\.3/);
    git(repo, 'add', '-A');
    const stored = JSON.parse(git(repo, 'show', ':notebooks/01-demo.ipynb'));
    expect(stored.cells[1].outputs).toEqual([]);
    expect(stored.cells[1].execution_count).toBeNull();
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('leaves a file that is not JSON (a merge in progress) as it is', () => {
    const text = '<<<<<<< HEAD\n{"cells": []}\n=======\n';
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'scripts', 'nb.mjs'), 'clean-filter', 'notebooks/x.ipynb'],
      { input: text, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(text);
  });

  it('is registered by npm install, and every committed notebook is already in its clean form', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepare).toMatch(/nb\.mjs install-filter/);
    expect(fs.readFileSync(path.join(root, '.gitattributes'), 'utf8')).toMatch(
      /^notebooks\/\*\.ipynb filter=nbclean$/m,
    );
    for (const f of fs.readdirSync(path.join(root, 'notebooks')).filter((n) => n.endsWith('.ipynb'))) {
      const source = fs.readFileSync(path.join(root, 'notebooks', f), 'utf8');
      expect(cleanText(source, `notebooks/${f}`) === source, `${f}: run node scripts/nb.mjs clean notebooks/${f}`).toBe(
        true,
      );
    }
  });
});
