#!/usr/bin/env node
// `npm run bench:torch`: install today's PyTorch (the CPU wheel `pip install torch` gives a user) for the benchmark's
// PyTorch 2.x rows, in a virtual environment outside the repository (~/.cache/how-llms-work/torch-venv, the place
// bench/torch-python.ts looks), with pip's own configuration (its index, or a local wheel folder where one is set).
// The Python that makes it: $PYTHON, else python3 on PATH. Run once; again to update.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const venv = path.join(os.homedir(), '.cache', 'how-llms-work', 'torch-venv');
const python = process.env.PYTHON || 'python3';

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    console.error(
      `bench:torch: ${cmd} failed${r.error ? ` (${r.error.message})` : ''}. Needs Python 3.9+ with venv (Debian: apt install python3-venv) and pip able to reach torch.`,
    );
    process.exit(1);
  }
}

fs.mkdirSync(path.dirname(venv), { recursive: true });
if (!fs.existsSync(path.join(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv]);
run(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--upgrade', 'torch', 'numpy']);
run(path.join(venv, 'bin', 'python'), ['-c', 'import torch; print("torch", torch.__version__, "in", torch.__file__)']);
console.log(
  `bench:torch: npm run bench finds it at ${venv} (or set HOW_LLMS_TORCH_PYTHON to another Python with torch 2.x).`,
);
