#!/usr/bin/env node
// `npm start`: open the course in JupyterLab (or classic Notebook) with the project's TypeScript kernel.
// The kernel lives in the project-local .jupyter/ folder, put on JUPYTER_PATH here; nothing is installed globally.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNEL_DISPLAY_NAME, registerKernel } from './register-kernel.mjs';
import { jupyterEnv } from './run-notebooks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function works(command, args) {
  const probe = spawnSync(command, args, { stdio: 'ignore', env: jupyterEnv() });
  return probe.status === 0;
}

/** The Jupyter front end to start: JupyterLab when installed, else classic Notebook, else undefined. */
export function chooseFrontEnd() {
  if (works('jupyter', ['lab', '--version']))
    return {
      name: 'JupyterLab',
      args: ['lab', `--ServerApp.root_dir=${root}`, '--LabApp.default_url=/lab/tree/notebooks'],
    };
  // The server's root is the repository for both, so charts can load plotly.js from node_modules through /files/.
  if (works('jupyter', ['notebook', '--version']))
    return {
      name: 'Jupyter Notebook',
      args: ['notebook', `--notebook-dir=${root}`, '--NotebookApp.default_url=/tree/notebooks'],
    };
  return undefined;
}

function main() {
  if (!fs.existsSync(path.join(root, 'lib', 'dist', 'index.js'))) {
    console.error('The library is not built yet: run `npm install` in the repository first.');
    process.exit(1);
  }
  registerKernel();
  const frontEnd = chooseFrontEnd();
  if (!frontEnd) {
    console.error(
      [
        'Jupyter is not installed. Install JupyterLab with:',
        '',
        '    python3 -m pip install --user jupyterlab',
        '',
        '(or, on Debian/Ubuntu without pip: sudo apt-get install jupyter-notebook), then run `npm start` again.',
      ].join('\n'),
    );
    process.exit(1);
  }
  // Jupyter refuses to run as root (containers, CI) without being told that is intended.
  const extra = [...(process.getuid?.() === 0 ? ['--allow-root'] : []), ...process.argv.slice(2)];
  console.log(
    `Starting ${frontEnd.name} with the "${KERNEL_DISPLAY_NAME}" kernel (profile: ${process.env.HOW_LLMS_PROFILE ?? 'full'})`,
  );
  const child = spawn('jupyter', [...frontEnd.args, ...extra], { cwd: root, env: jupyterEnv(), stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
