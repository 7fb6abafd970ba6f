/**
 * Which Pythons run the benchmark's PyTorch rows.
 *
 * Today's PyTorch (2.x, what `pip install torch` gives a user: MKL and oneDNN on x86-64), looked for in order:
 *   1. `HOW_LLMS_TORCH_PYTHON`, a Python to use (an error in the table if it has no torch 2.x);
 *   2. the virtual environment `npm run bench:torch` creates (scripts/setup-torch.mjs), TORCH_VENV below;
 *   3. `python3` and `python` on PATH.
 * Debian's PyTorch (python3-torch, 1.13 with OpenBLAS, `apt install python3-torch`): /usr/bin/python3.
 * Each is asked for its torch version in a child process; nothing is installed here.
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

/** The setting naming the Python whose torch 2.x the benchmark compares against. */
export const TORCH_PYTHON_ENV = 'HOW_LLMS_TORCH_PYTHON';

/** Where `npm run bench:torch` puts its virtual environment: outside the repository, shared by every checkout. */
export const TORCH_VENV = path.join(os.homedir(), '.cache', 'how-llms-work', 'torch-venv');

/** Debian's system Python, where `apt install python3-torch` puts torch. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export interface TorchPython {
  python: string;
  /** torch.__version__, e.g. 2.13.0+cpu. */
  version: string;
  major: number;
  /** How it was found: the setting, the venv, PATH, Debian. */
  source: string;
}

/** The torch version `python` imports (with numpy), or undefined where it cannot. */
export function torchVersion(python: string): string | undefined {
  try {
    const out = execFileSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 120_000,
    });
    return out.trim().split('\n').pop();
  } catch {
    return undefined;
  }
}

function probe(python: string, source: string): TorchPython | undefined {
  const version = torchVersion(python);
  if (!version) return undefined;
  return { python, version, major: Number(version.split('.')[0]), source };
}

/** Today's PyTorch and Debian's, where found; else why not and how to get them. */
export function findTorchPythons(env: Record<string, string | undefined> = process.env): {
  modern?: TorchPython;
  modernMissing: string;
  debian?: TorchPython;
  debianMissing: string;
} {
  let modern: TorchPython | undefined;
  let modernMissing = `no Python with torch 2.x found: run \`npm run bench:torch\` (a venv in ${TORCH_VENV}), or set ${TORCH_PYTHON_ENV} to a Python that has it`;
  const named = (env[TORCH_PYTHON_ENV] ?? '').trim();
  if (named) {
    const found = probe(named, TORCH_PYTHON_ENV);
    if (found && found.major >= 2) modern = found;
    else
      modernMissing = `${TORCH_PYTHON_ENV}=${named} ${found ? `has torch ${found.version}, not 2.x` : 'cannot import torch and numpy'}: point it at a Python with torch 2.x, or unset it`;
  } else {
    const candidates: [string, string][] = [
      [path.join(TORCH_VENV, 'bin', 'python'), 'npm run bench:torch'],
      ['python3', 'PATH'],
      ['python', 'PATH'],
    ];
    for (const [python, source] of candidates) {
      const found = probe(python, source);
      if (found && found.major >= 2) {
        modern = found;
        break;
      }
    }
  }
  const debian = probe(DEBIAN_PYTHON, 'Debian');
  const debianMissing = `${DEBIAN_PYTHON} cannot import torch and numpy (Debian: apt install python3-torch python3-numpy)`;
  return { modern, modernMissing, debian, debianMissing };
}
