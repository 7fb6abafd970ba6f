#!/usr/bin/env node
// Execute notebooks with the course kernel (all of notebooks/ by default) in the CI profile unless
// HOW_LLMS_PROFILE says otherwise. Usage: npm run test:notebooks -- [notebooks/NN-x.ipynb …] [--jobs N] [--timeout S]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jupyterConfigDir, jupyterDataDir, registerKernel } from './register-kernel.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The first Python that can import nbclient: $HOW_LLMS_PYTHON, python3, Debian's /usr/bin/python3. */
export function findJupyterPython() {
  const candidates = [process.env.HOW_LLMS_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(Boolean);
  for (const py of candidates) {
    const probe = spawnSync(py, ['-c', 'import nbclient, nbformat, jupyter_client'], { stdio: 'ignore' });
    if (probe.status === 0) return py;
  }
  return undefined;
}

/** Environment for Jupyter processes: the project-local kernel on JUPYTER_PATH. */
export function jupyterEnv(extra = {}) {
  const paths = [jupyterDataDir(), process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  const config = [jupyterConfigDir(), process.env.JUPYTER_CONFIG_PATH].filter(Boolean).join(path.delimiter);
  return { ...process.env, JUPYTER_PATH: paths, JUPYTER_CONFIG_PATH: config, ...extra };
}

function main() {
  const args = process.argv.slice(2);
  const files = args.filter((a, i) => a.endsWith('.ipynb') && !(args[i - 1] ?? '').startsWith('--'));
  const options = args.filter((a) => !files.includes(a));
  const notebooks = files.length
    ? files
    : fs
        .readdirSync(path.join(root, 'notebooks'))
        .filter((f) => f.endsWith('.ipynb'))
        .sort()
        .map((f) => path.join('notebooks', f));
  if (notebooks.length === 0) {
    console.error('No notebooks found in notebooks/.');
    process.exit(1);
  }
  const python = findJupyterPython();
  if (!python) {
    console.error(
      'Executing notebooks needs Python with nbclient. Install it with `python3 -m pip install jupyterlab nbclient` ' +
        '(or on Debian: `apt-get install python3-nbclient python3-jupyter-client jupyter-nbconvert`), or set HOW_LLMS_PYTHON.',
    );
    process.exit(1);
  }
  if (
    !fs.existsSync(path.join(root, 'lib', 'dist', 'index.js')) ||
    !fs.existsSync(path.join(root, 'accel', 'dist', 'index.js'))
  ) {
    console.error('The library is not built: run `npm run build` (npm install does it) first.');
    process.exit(1);
  }
  if (!fs.existsSync(path.join(root, 'node_modules', '@how-llms-work', 'accel', 'package.json'))) {
    console.error(
      'The workspace package @how-llms-work/accel is not linked into node_modules: run `npm install` first.',
    );
    process.exit(1);
  }
  registerKernel();
  const jobs = options.includes('--jobs')
    ? []
    : ['--jobs', String(Math.max(1, Math.min(2, os.availableParallelism())))];
  const env = jupyterEnv({ HOW_LLMS_PROFILE: process.env.HOW_LLMS_PROFILE ?? 'ci' });
  console.log(`Executing ${notebooks.length} notebook(s) with the ${env.HOW_LLMS_PROFILE} profile (${python})`);
  const run = spawnSync(python, [path.join(root, 'scripts', 'run_notebooks.py'), ...jobs, ...options, ...notebooks], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
