#!/usr/bin/env node
// Builds the native addon, the OpenBLAS matrix product (accel/native/blas_matmul.c) and the fused kernels' C versions
// (accel/native/fused_kernels.c), into accel/native/build/blas_matmul.node.
// Run by `npm install` / `npm ci` (the root `prepare` script) and by hand. It never fails the install:
// without Linux, a C compiler, Node's C headers or OpenBLAS it prints one line saying why the native
// product is skipped and how to get it, and exits 0; the wasm backend then multiplies on its own and the
// fused kernels run their JavaScript loops.
//
// It compiles with -march=native: the addon is built where it runs (at install, on this machine), so the
// compiler may use every instruction this CPU has (AVX2 and FMA on the course machine). A build copied to an
// older CPU could stop on an illegal instruction: build it again there. Where the compiler rejects
// -march=native, it builds without it.
//
// It calls the C compiler directly rather than node-gyp: for one C file against plain N-API that is
// the same compile node-gyp would run, without gyp's Python and make steps, and without node-gyp
// downloading Node's headers when it does not find them locally. Nothing here downloads anything.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'accel', 'native');
const sources = ['blas_matmul.c', 'fused_kernels.c', 'parallel.c'].map((f) => path.join(nativeDir, f));
const buildDir = path.join(nativeDir, 'build');
const target = path.join(buildDir, 'blas_matmul.node');
const HOW_TO_GET_IT = 'Debian/Ubuntu: apt install build-essential libopenblas-dev, then node scripts/build-native.mjs';

class Skip extends Error {}

function firstLine(text) {
  return String(text).trim().split('\n')[0].slice(0, 200);
}

/** The directory holding node_api.h for the Node that runs this script. */
function nodeIncludeDir() {
  const candidates = [
    process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'node_api.h')));
  if (!found) throw new Skip(`Node's C headers (node_api.h) are not in ${candidates.join(', ')}`);
  return found;
}

/** Compiler and linker flags for OpenBLAS: pkg-config's when it knows OpenBLAS, else the usual places. */
function openblasFlags() {
  const pc = spawnSync('pkg-config', ['--cflags', '--libs', 'openblas'], { encoding: 'utf8' });
  if (pc.status === 0 && pc.stdout.trim()) return pc.stdout.trim().split(/\s+/);
  const flags = ['-lopenblas'];
  // Fedora and friends keep cblas.h under include/openblas.
  for (const dir of ['/usr/include/openblas', '/usr/local/include/openblas'])
    if (fs.existsSync(dir)) flags.unshift(`-I${dir}`);
  return flags;
}

/**
 * -O3 vectorises the fused kernels' loops; -fopenmp-simd honours their `#pragma omp simd reduction` (the one
 * place float64 sums may be reordered) without OpenMP's runtime; -ffp-contract=off keeps every product and sum
 * rounded as JavaScript rounds it (no fused multiply-add), so the kernels match their JavaScript loops;
 * -fno-math-errno lets sqrt be one instruction; -fno-trapping-math lets a loop compute both sides of a select (no
 * floating-point trap is ever enabled in Node), which the softmax's exp needs to vectorise. None changes a value.
 */
const CFLAGS = [
  '-O3',
  '-std=c99',
  '-fPIC',
  '-ffp-contract=off',
  '-fno-math-errno',
  '-fno-trapping-math',
  '-fopenmp-simd',
];

/** Compile into `out`; a failure names what is missing. Returns the flags used. */
function compile(out) {
  const cc = process.env.CC || 'cc';
  const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Skip(`no C compiler (${cc}) found`);
  const rest = ['-shared', `-I${nodeIncludeDir()}`, ...sources, '-o', out, ...openblasFlags(), '-lm', '-pthread'];
  let run;
  for (const flags of [[...CFLAGS, '-march=native'], CFLAGS]) {
    run = spawnSync(cc, [...flags, ...rest], { encoding: 'utf8' });
    if (run.status === 0) return flags;
    const err = `${run.stderr}${run.stdout}`;
    if (/cblas\.h/.test(err)) throw new Skip('OpenBLAS headers (cblas.h) not found');
    if (/-lopenblas|openblas/.test(err)) throw new Skip('the OpenBLAS library (libopenblas) not found');
  }
  throw new Skip(`${cc} failed: ${firstLine(`${run.stderr}${run.stdout}`)}`);
}

/** Load the fresh addon in a child Node and multiply 2x2 matrices, so a broken build never lands. */
function check(file) {
  const script = `
    const m = { exports: {} };
    process.dlopen(m, ${JSON.stringify(file)});
    const f = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]); // a, b, out
    m.exports.matmul(new Uint8Array(f.buffer), 1, 2, 2, 2, 0, 0, 0, 0, 16, 0, 32, -1, 0);
    if (f.slice(8).join() !== '19,22,43,50') throw new Error('wrong product ' + f.slice(8).join());
    const x = new Float32Array([0, 1, -1, 3, -3, 10]), y = new Float32Array(6); // a fused kernel too
    m.exports.gelu(x, y);
    const want = [0, 0.841192, -0.158808, 2.996363, -0.003637392, 10];
    if (want.some((w, i) => Math.abs(y[i] - w) > 1e-6)) throw new Error('wrong gelu ' + y.join());
    console.log(m.exports.config());`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Skip(`the built addon does not work: ${firstLine(run.stderr || run.stdout)}`);
  return firstLine(run.stdout);
}

function main() {
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    // The setting HOW_LLMS_NATIVE_MATMUL, with accel/src/settings.ts's rule for switches (this runs before any build).
    const off = (process.env.HOW_LLMS_NATIVE_MATMUL ?? '').trim().toLowerCase();
    if (['0', 'false', 'off', 'no'].includes(off)) throw new Skip('HOW_LLMS_NATIVE_MATMUL=0');
    if (process.platform !== 'linux') throw new Skip(`it is built on Linux only, and this is ${process.platform}`);
    fs.mkdirSync(buildDir, { recursive: true });
    const flags = compile(tmp);
    const config = check(tmp);
    fs.renameSync(tmp, target); // whole or not at all, for processes loading it meanwhile
    const arch = flags.includes('-march=native') ? ', -march=native' : '';
    console.log(
      `how-llms-work: OpenBLAS matmul and native kernels built (${path.relative(root, target)}${arch}, ${config}).`,
    );
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const reason =
      err instanceof Skip ? err.message : `unexpected error: ${firstLine(err instanceof Error ? err.message : err)}`;
    console.log(
      `how-llms-work: OpenBLAS matmul skipped (${reason}); wasm multiplies on its own, and the fused kernels run in JavaScript. To get it: ${HOW_TO_GET_IT}.`,
    );
  }
}

main();
