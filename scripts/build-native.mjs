#!/usr/bin/env node
// Builds the native addon, the BLAS matrix product (accel/native/blas_matmul.c) and the fused kernels' C versions
// (accel/native/fused_kernels.c), into accel/native/build/blas_matmul.node.
// Run by `npm install` / `npm ci` (the root `prepare` script) and by hand. It never fails the install:
// without Linux, a C compiler, Node's C headers or a BLAS it prints one line saying why the native
// product is skipped and how to get it, and exits 0; the wasm backend then multiplies on its own and the
// fused kernels run their JavaScript loops.
//
// The BLAS: oneDNN (libdnnl-dev) and OpenBLAS (libopenblas-dev), each built in where it is found, oneDNN first:
// at the baby GPT's products its sgemm (compiled at run time for the CPU's widest vectors) took 17.8 ms a step on
// the course's AMD EPYC, OpenBLAS 18.3 ms with the kernels it picks and 33.6 ms pinned to Haswell as that machine
// pins it (bench/sgemm-shapes.c). HOW_LLMS_BLAS chooses between those built in at run time.
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
const HOW_TO_GET_IT =
  'Debian/Ubuntu: apt install build-essential libdnnl-dev libopenblas-dev (either BLAS will do), then node scripts/build-native.mjs';

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

/** Whether a small program using `code` compiles and links with `flags`; else the compiler's first error line. */
function links(cc, name, code, flags) {
  const probe = path.join(buildDir, `probe-${name}.${process.pid}`);
  try {
    fs.writeFileSync(`${probe}.c`, code);
    const run = spawnSync(cc, [`${probe}.c`, '-o', probe, ...flags], { encoding: 'utf8' });
    return run.status === 0 ? undefined : firstLine(`${run.stderr}${run.stdout}`) || `${cc} failed`;
  } finally {
    fs.rmSync(`${probe}.c`, { force: true });
    fs.rmSync(probe, { force: true });
  }
}

/**
 * The BLAS libraries this machine has, the default (the faster at the course's products) first, each with the
 * flags that build it in; throws Skip naming what is missing where there is none.
 */
function blasLibraries(cc) {
  const found = [];
  const onednn = ['-ldnnl'];
  const onednnError = links(
    cc,
    'onednn',
    "#include <dnnl.h>\nint main(void) { float c = 0; return dnnl_sgemm('N', 'N', 1, 1, 1, 1, &c, 1, &c, 1, 0, &c, 1) != dnnl_success; }\n",
    onednn,
  );
  if (!onednnError) found.push({ name: 'oneDNN', flags: ['-DHOW_LLMS_HAVE_ONEDNN', ...onednn] });
  const openblas = openblasFlags();
  const openblasError = links(
    cc,
    'openblas',
    '#include <cblas.h>\nint main(void) { openblas_set_num_threads(1); return openblas_get_config() == 0; }\n',
    openblas,
  );
  if (!openblasError) found.push({ name: 'OpenBLAS', flags: ['-DHOW_LLMS_HAVE_OPENBLAS', ...openblas] });
  if (found.length > 0) return found;
  // The compiler's complaint, shortened to what is missing where it names a header or the library.
  const why = (error, header, lib) =>
    error.includes(header) ? `${header} not found` : error.includes(lib) ? `lib${lib} not found` : error;
  throw new Skip(
    `no BLAS: oneDNN (${why(onednnError, 'dnnl.h', 'dnnl')}), OpenBLAS (${why(openblasError, 'cblas.h', 'openblas')})`,
  );
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

/** Compile into `out` with every BLAS found; a failure names what is missing. Returns the flags and the BLAS names. */
function compile(out) {
  const cc = process.env.CC || 'cc';
  const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Skip(`no C compiler (${cc}) found`);
  const include = `-I${nodeIncludeDir()}`;
  const blas = blasLibraries(cc);
  const rest = ['-shared', include, ...sources, '-o', out, ...blas.flatMap((b) => b.flags), '-lm', '-pthread'];
  let run;
  for (const flags of [[...CFLAGS, '-march=native'], CFLAGS]) {
    run = spawnSync(cc, [...flags, ...rest], { encoding: 'utf8' });
    if (run.status === 0) return { flags, blas: blas.map((b) => b.name) };
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
    console.log(m.exports.config());
    if (m.exports.blasBuilt().length > 1) { // every BLAS built in multiplies too
      for (const name of m.exports.blasBuilt()) {
        m.exports.setBlas(name);
        f.fill(0, 8);
        m.exports.matmul(new Uint8Array(f.buffer), 1, 2, 2, 2, 0, 0, 0, 0, 16, 0, 32, -1, 0);
        if (f.slice(8).join() !== '19,22,43,50') throw new Error(name + ': wrong product ' + f.slice(8).join());
      }
    }`;
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
    const { flags, blas } = compile(tmp);
    const config = check(tmp);
    fs.renameSync(tmp, target); // whole or not at all, for processes loading it meanwhile
    const arch = flags.includes('-march=native') ? ', -march=native' : '';
    const also = blas.length > 1 ? `; also ${blas.slice(1).join(', ')} (HOW_LLMS_BLAS)` : '';
    console.log(
      `how-llms-work: ${blas[0]} matmul and native kernels built (${path.relative(root, target)}${arch}, ${config}${also}).`,
    );
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const reason =
      err instanceof Skip ? err.message : `unexpected error: ${firstLine(err instanceof Error ? err.message : err)}`;
    console.log(
      `how-llms-work: native matmul skipped (${reason}); wasm multiplies on its own, and the fused kernels run in JavaScript. To get it: ${HOW_TO_GET_IT}.`,
    );
  }
}

main();
