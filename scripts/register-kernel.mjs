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
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = registerKernel();
  console.log(`Registered the "${KERNEL_DISPLAY_NAME}" Jupyter kernel at ${path.relative(root, file)} (JUPYTER_PATH=${jupyterDataDir()})`);
}
