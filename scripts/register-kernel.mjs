#!/usr/bin/env node
// Registers the course's tslab kernel in a project-local Jupyter data folder (.jupyter/, git-ignored).
// No global writes and no IPython: `tslab install` needs IPython, so we write kernel.json ourselves.
// `npm start` and the notebook runner put .jupyter/ on JUPYTER_PATH.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const KERNEL_NAME = 'how-llms-work';
export const KERNEL_DISPLAY_NAME = 'How LLMs Work (TypeScript)';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of the project-local Jupyter data folder that holds kernels/<name>/kernel.json. */
export function jupyterDataDir() {
  return path.join(root, '.jupyter');
}

/** Write kernel.json atomically and return its path. */
export function registerKernel() {
  const tslab = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tslab.cmd' : 'tslab');
  if (!fs.existsSync(tslab)) {
    throw new Error(`tslab is not installed at ${tslab}: run \`npm install\` in ${root} first.`);
  }
  const dir = path.join(jupyterDataDir(), 'kernels', KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'message',
    metadata: { course: 'how-llms-work' },
  };
  const file = path.join(dir, 'kernel.json');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(spec, null, 2)}\n`);
  fs.renameSync(tmp, file);
  writeJupyterConfig();
  return file;
}

/** Project-local Jupyter config folder (put on JUPYTER_CONFIG_PATH by `npm start` and the runners). */
export function jupyterConfigDir() {
  return path.join(jupyterDataDir(), 'config');
}

/**
 * Jupyter config with a post-save hook: when a save changed only outputs (the nbclean filter sees no difference),
 * `git add` refreshes git's record of the file, so `git status` stays clean and `git pull` does not refuse.
 */
export const SAVE_HOOK_CONFIG = `# Written by npm install (scripts/register-kernel.mjs); read through JUPYTER_CONFIG_PATH.
# Notebooks keep their outputs on disk; git sees them without (the nbclean filter, see .gitattributes). Git would
# still call a notebook modified after a save changed its size, so this hook refreshes git's record of a tracked
# notebook whose save changed only outputs. A notebook whose text was edited stays modified, as it should.
import os
import subprocess


def _how_llms_refresh_git(model=None, os_path=None, contents_manager=None, **kwargs):
    if not os_path or not os_path.endswith(".ipynb"):
        return
    folder = os.path.dirname(os.path.abspath(os_path))
    def git(*args):
        return subprocess.run(["git", *args], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30)
    try:
        if git("ls-files", "--error-unmatch", "--", os_path).returncode != 0:
            return  # not tracked: nothing to keep clean
        if not git("check-attr", "filter", "--", os_path).stdout.decode().strip().endswith(": nbclean"):
            return
        if git("diff", "--quiet", "--", os_path).returncode == 0:
            git("add", "--", os_path)
    except Exception:
        pass


c.FileContentsManager.post_save_hook = _how_llms_refresh_git
`;

/** Write the Jupyter config files (classic Notebook and Jupyter Server read different names); returns the folder. */
export function writeJupyterConfig() {
  const dir = jupyterConfigDir();
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['jupyter_notebook_config.py', 'jupyter_server_config.py']) {
    const file = path.join(dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, SAVE_HOOK_CONFIG);
    fs.renameSync(tmp, file);
  }
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = registerKernel();
  console.log(
    `Registered the "${KERNEL_DISPLAY_NAME}" Jupyter kernel at ${path.relative(root, file)} (JUPYTER_PATH=${jupyterDataDir()})`,
  );
}
