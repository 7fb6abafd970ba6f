// The native BLAS product (accel/native, native-matmul.ts; oneDNN or OpenBLAS) must agree with the cpu backend on values and gradients for every
// transpose, batch and fused layout it takes, leave nothing behind, and step aside cleanly: where the addon is not
// built, is switched off or does not load, wasm multiplies on its own and the backend summary says why.
// Where the addon is built, every case also checks that the BLAS computed it, with every BLAS built in (HOW_LLMS_BLAS);
// CI (HOW_LLMS_PROFILE=ci) must build it.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NATIVE_ADDON_PATH,
  NATIVE_MATMUL_ENV,
  BLAS_ENV,
  nativeMatMulPatch,
  THREADS_ENV,
  defaultThreadCount,
  nativeThreadCount,
  installNativeMatMul,
  nativeMatMulInstalled,
  nativeMatMulOffReason,
  nativeProductCount,
  openblasInfo,
  readSettings,
  uninstallNativeMatMul,
  withSettings,
} from '@how-llms-work/accel';
import { nativeAddon } from '../../accel/src/native-matmul';
import { selectBackend, tf } from '@how-llms-work/lib';
import { expectCloseToLargest, on, onWasmForThisFile, randomValues } from './on-backends';

const TOLERANCE = 1e-4; // relative to the largest magnitude in the reference, as for the wasm matmul
const ROOT = path.resolve(__dirname, '..', '..');
const built = fs.existsSync(NATIVE_ADDON_PATH);

function expectClose(got: Float32Array[], want: Float32Array[]): void {
  expectCloseToLargest(got, want, TOLERANCE);
}

/** Run f on wasm and on cpu, compare, and return how many products the BLAS computed during the wasm run. */
async function agree(f: () => tf.Tensor[]): Promise<number> {
  const before = nativeProductCount();
  const got = await on('wasm', f);
  const products = nativeProductCount() - before;
  expectClose(got, await on('cpu', f));
  return products;
}

// TF.js's own matMul gradient rejects broadcast batches (on every backend), so those cases compare values only.
type Case = [name: string, a: number[], b: number[], transposeA: boolean, transposeB: boolean, gradients?: false];
const CASES: Case[] = [
  ['plain', [5, 7], [7, 3], false, false],
  ['transposed a', [7, 5], [7, 3], true, false],
  ['transposed b (linear layers)', [5, 7], [3, 7], false, true],
  ['both transposed', [7, 5], [3, 7], true, true],
  ['batched', [4, 5, 7], [4, 7, 3], false, false],
  ['batched, transposed b (attention scores)', [2, 3, 6, 8], [2, 3, 6, 8], false, true],
  ['batched, both transposed', [4, 7, 5], [4, 3, 7], true, true],
  ['batch of a, one b (folded into rows)', [2, 3, 5, 7], [7, 3], false, false, false],
  ['batch of transposed a, one b (stride 0 for b)', [3, 7, 5], [3, 7], true, true, false],
  ['one a, batch of b (stride 0 for a)', [5, 7], [4, 7, 3], false, false, false],
  ['one a of batch 1, batch of transposed b', [1, 5, 7], [4, 3, 7], false, true, false],
  ['one query per head (cached generation)', [2, 3, 1, 8], [2, 3, 10, 8], false, true],
  ['larger than the BLAS blocks', [300, 130], [270, 130], false, true],
];

function product([, aShape, bShape, tA, tB, gradients]: Case): () => tf.Tensor[] {
  return () => {
    const a = tf.tensor(randomValues(aShape, 1), aShape);
    const b = tf.tensor(randomValues(bShape, 2), bShape);
    const y = tf.matMul(a, b, tA, tB);
    if (gradients === false) return [y];
    const w = tf.tensor(randomValues(y.shape, 3), y.shape); // a random upstream gradient
    const [da, db] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.matMul(x, z, tA, tB).mul(w).sum())([a, b]);
    return [y, da, db];
  };
}

/** A fused product with a bias and an activation, and its gradients for a, b and the bias. */
function fusedCase(
  aShape: number[],
  bShape: number[],
  transposeB: boolean,
  activation: 'linear' | 'relu' | 'relu6',
  gradients = true,
) {
  return () => {
    const a = tf.tensor(randomValues(aShape, 4), aShape);
    const b = tf.tensor(randomValues(bShape, 5), bShape);
    const N = transposeB ? bShape[bShape.length - 2] : bShape[bShape.length - 1];
    const bias = tf.tensor(randomValues([N], 6), [N]);
    const f = (x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) =>
      tf.fused.matMul({ a: x as tf.Tensor3D, b: z as tf.Tensor3D, transposeB, bias: c, activation });
    // Scaled so that relu6 clamps some entries at 6 too.
    const y = f(a.mul(3), b, bias);
    if (!gradients) return [y];
    return [y, ...tf.grads((x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) => f(x, z, c).square().sum())([a, b, bias])];
  };
}

onWasmForThisFile();

describe('native BLAS matmul on wasm', () => {
  it('runs where the addon is built, and the backend summary says why not elsewhere', async () => {
    const info = await selectBackend('wasm');
    if (process.env.HOW_LLMS_PROFILE === 'ci')
      expect(built, `CI installs libdnnl-dev and libopenblas-dev, so ${NATIVE_ADDON_PATH} must be built`).toBe(true);
    if (built) {
      expect(nativeMatMulInstalled()).toBe(true);
      expect(info.patches).toContain(nativeMatMulPatch());
      expect(info.nativeMatMulOff).toBeUndefined();
      expect(info.summary).not.toContain('native matmul off');
    } else {
      expect(nativeMatMulInstalled()).toBe(false);
      expect(info.patches).not.toContain(nativeMatMulPatch());
      expect(info.summary).toContain(
        'native matmul off: the native addon is not built (Debian/Ubuntu: apt install libdnnl-dev',
      );
    }
    // Either way the fast wasm product stays under it as the fallback.
    expect(info.patches).toContain('fast matmul');
  });

  for (const c of CASES) {
    const what = c[5] === false ? 'values' : 'values and both gradients';
    it(`${c[0]}: a ${JSON.stringify(c[1])}, b ${JSON.stringify(c[2])}, ${what}`, async () => {
      const products = await agree(product(c));
      // The forward product, and for gradients the forward again under tf.grads and the two backward products.
      expect(products).toBe(built ? (c[5] === false ? 1 : 4) : 0);
    });
  }

  for (const activation of ['linear', 'relu', 'relu6'] as const) {
    it(`fused matMul with bias and ${activation}: values and gradients of a, b and bias`, async () => {
      // The forward product twice (once alone, once under grads), the two backward products, and the bias's
      // gradient, a sum over leading axes that the product Sum (wasm-sum.ts) computes as ones @ dy.
      expect(await agree(fusedCase([2, 12, 9], [2, 5, 9], true, activation))).toBe(built ? 5 : 0);
    });
  }

  it('fused matMul with bias and relu6, batch of a and one b', async () => {
    expect(await agree(fusedCase([3, 8, 9], [9, 5], false, 'relu6', false))).toBe(built ? 1 : 0);
  });

  it('every BLAS built in computes every case, chosen by HOW_LLMS_BLAS (one not built in is named)', async () => {
    const addon = nativeAddon().addon;
    if (!addon) return;
    const blasBuilt = addon.blasBuilt();
    expect(blasBuilt.length).toBeGreaterThanOrEqual(1);
    try {
      for (const blas of blasBuilt) {
        expect(withSettings({ blas }, () => installNativeMatMul())).toBeUndefined();
        expect(openblasInfo()?.blas).toBe(blas);
        expect(openblasInfo()?.config).toContain(blas);
        expect(nativeMatMulPatch()).toBe(`${blas} matmul`);
        for (const c of CASES) expect(await agree(product(c)), `${blas}: ${c[0]}`).toBe(c[5] === false ? 1 : 4);
      }
      for (const blas of (['oneDNN', 'OpenBLAS'] as const).filter((b) => !blasBuilt.includes(b))) {
        expect(withSettings({ blas }, () => installNativeMatMul())).toBe(
          `${BLAS_ENV}=${blas}: ${blas} is not built into this addon; it has ${blasBuilt.join(' and ')}`,
        );
      }
    } finally {
      installNativeMatMul(); // the default again: the first built in
    }
    expect(openblasInfo()?.blas).toBe(blasBuilt[0]);
    expect(nativeMatMulInstalled()).toBe(true);
  });

  it('leaves what the BLAS product cannot take to wasm: a two-sided broadcast, an elu', async () => {
    const twoSided = await agree(product(['two-sided broadcast', [2, 1, 5, 7], [1, 3, 7, 4], false, false, false]));
    const elu = await agree(() => [
      tf.fused.matMul({
        a: tf.tensor2d(randomValues([6, 9], 7), [6, 9]),
        b: tf.tensor2d(randomValues([9, 4], 8), [9, 4]),
        activation: 'elu',
      }),
    ]);
    expect([twoSided, elu]).toEqual([0, 0]);
  });

  it('gradients of a small model (embedding, fused relu layer, attention scores, output layer) agree', async () => {
    const model = () => {
      const [B, T, C, V] = [2, 6, 16, 11];
      const emb = tf.tensor(randomValues([V, C], 20), [V, C]);
      const w1 = tf.tensor(randomValues([4 * C, C], 21), [4 * C, C]).mul(0.2);
      const b1 = tf.tensor(randomValues([4 * C], 22), [4 * C]).mul(0.1);
      const w2 = tf.tensor(randomValues([C, 4 * C], 23), [C, 4 * C]).mul(0.2);
      const ids = tf.tensor1d(
        Array.from({ length: B * T }, (_, i) => (i * 7) % V),
        'int32',
      );
      const targets = tf.oneHot(
        tf.tensor1d(
          Array.from({ length: B * T }, (_, i) => (i * 3) % V),
          'int32',
        ),
        V,
      );
      const loss = (e: tf.Tensor, a: tf.Tensor, bias: tf.Tensor, b: tf.Tensor) => {
        const x = tf.gather(e, ids); // (B·T, C)
        const h = tf.fused.matMul({
          a: x as tf.Tensor2D,
          b: a as tf.Tensor2D,
          transposeB: true,
          bias,
          activation: 'relu',
        }); // (B·T, 4C)
        const y = tf.matMul(h, b, false, true).reshape([B, T, C]); // (B, T, C)
        const att = tf.softmax(tf.matMul(y, y, false, true).div(4)); // (B, T, T)
        const z = tf.matMul(att, y).reshape([B * T, C]); // (B·T, C)
        const logits = tf.matMul(z, e, false, true); // (B·T, V), tied embedding
        return tf.losses.softmaxCrossEntropy(targets, logits);
      };
      return [loss(emb, w1, b1, w2), ...tf.grads(loss)([emb, w1, b1, w2])];
    };
    const products = await agree(model);
    expect(products > 0).toBe(built);
  });

  it('stays right when the output makes the wasm memory grow (the heap is re-read after allocating)', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
    const [M, K] = [1024, 8];
    const heap = backend.wasm.HEAPU8.length;
    const N = Math.ceil(heap / 4 / M) + 1000; // an output larger than the whole heap: it must grow
    const a = tf.tensor(randomValues([M, K], 30), [M, K]);
    const b = tf.tensor(randomValues([K, N], 31), [K, N]);
    const before = nativeProductCount();
    const y = tf.matMul(a, b);
    expect(backend.wasm.HEAPU8.length).toBeGreaterThan(heap);
    expect(nativeProductCount() - before).toBe(built ? 1 : 0);
    const values = (await y.data()) as Float32Array;
    const [av, bv] = [(await a.data()) as Float32Array, (await b.data()) as Float32Array];
    tf.dispose([a, b, y]);
    // Spot-check rows and columns across the output against plain arithmetic.
    let worst = 0;
    for (const i of [0, 1, 777, M - 1]) {
      for (const j of [0, 5, 1234, N - 1]) {
        let want = 0;
        for (let k = 0; k < K; k++) want += av[i * K + k] * bv[k * N + j];
        worst = Math.max(worst, Math.abs(values[i * N + j] - want));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('keeps tensors, data ids and the wasm heap flat over repeated training-like steps', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor(randomValues([128, 64], 9), [128, 64]);
    const w = tf.tensor(randomValues([96, 64], 10), [96, 64]);
    const bias = tf.tensor(randomValues([96], 11), [96]);
    const step = () =>
      tf.tidy(() => {
        const [da, dw, db] = tf.grads((x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) => {
          const h = tf.fused.matMul({
            a: x as tf.Tensor2D,
            b: z as tf.Tensor2D,
            transposeB: true,
            bias: c,
            activation: 'relu',
          });
          const hb = h.reshape([4, 32, 96]); // (B, T, C)
          return tf.matMul(hb, hb, false, true).sum(); // (B, T, T), batched
        })([a, w, bias]);
        return da.sum().add(dw.sum()).add(db.sum());
      });
    const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
    for (let i = 0; i < 5; i++) step().dispose();
    const tensors = tf.memory().numTensors;
    const ids = backend.numDataIds();
    const heap = backend.wasm.HEAPU8.length;
    const before = nativeProductCount();
    for (let i = 0; i < 40; i++) step().dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(ids);
    expect(backend.wasm.HEAPU8.length).toBe(heap);
    expect(nativeProductCount() - before > 0).toBe(built);
    tf.dispose([a, w, bias]);
  });

  it('uninstalls to the wasm product and reinstalls, with the same results', async () => {
    const c = CASES[5];
    const first = await on('wasm', product(c));
    uninstallNativeMatMul();
    try {
      expect(nativeMatMulInstalled()).toBe(false);
      const before = nativeProductCount();
      expectClose(await on('wasm', product(c)), first);
      expect(nativeProductCount()).toBe(before);
    } finally {
      installNativeMatMul();
    }
    expect(nativeMatMulInstalled()).toBe(built);
  });
});

describe('native BLAS matmul switches', () => {
  it(`${NATIVE_MATMUL_ENV}=0 and HOW_LLMS_STOCK_TFJS=1 switch it off and say so; other values are named`, () => {
    expect(nativeMatMulOffReason(readSettings({ [NATIVE_MATMUL_ENV]: '0' }))).toBe(`${NATIVE_MATMUL_ENV}=0`);
    expect(nativeMatMulOffReason(readSettings({ HOW_LLMS_STOCK_TFJS: '1' }))).toBe('HOW_LLMS_STOCK_TFJS=1');
    expect(nativeMatMulOffReason(readSettings({ [NATIVE_MATMUL_ENV]: 'no' }))).toBe(`${NATIVE_MATMUL_ENV}=0`);
    expect(() => readSettings({ [NATIVE_MATMUL_ENV]: 'nope' })).toThrow(
      /HOW_LLMS_NATIVE_MATMUL=nope is not a value it takes/,
    );
    const unset = nativeMatMulOffReason(readSettings({}));
    if (built) expect(unset).toBeUndefined();
    else expect(unset).toMatch(/not built/);
  });

  it(`reads ${THREADS_ENV}, defaults to one thread per core, and names a bad value`, () => {
    expect(THREADS_ENV).toBe('HOW_LLMS_THREADS');
    expect(nativeThreadCount(readSettings({}))).toBe(defaultThreadCount());
    expect(defaultThreadCount()).toBeGreaterThanOrEqual(1);
    expect(defaultThreadCount()).toBeLessThanOrEqual(os.availableParallelism());
    expect(nativeThreadCount(readSettings({ HOW_LLMS_THREADS: '2' }))).toBe(2);
    expect(nativeThreadCount(readSettings({ HOW_LLMS_THREADS: 'all' }))).toBe(Math.min(64, os.availableParallelism()));
    expect(() => readSettings({ HOW_LLMS_THREADS: '0' })).toThrow(
      'HOW_LLMS_THREADS=0 is not a value it takes; use an integer from 1 to 64 or "all"',
    );
    expect(() => readSettings({ HOW_LLMS_THREADS: 'many' })).toThrow(/HOW_LLMS_THREADS=many/);
  });

  it('unset (as in this test process), takes one thread per core and the summary says so', async () => {
    if (process.env.HOW_LLMS_THREADS || !built) return;
    const info = await selectBackend('wasm');
    expect(info.patches).toContain(threadsLabel(defaultThreadCount()));
    expect(info.summary).toContain(
      `${threadsLabel(defaultThreadCount())} (one per core of ${defaultThreadCount()}; HOW_LLMS_THREADS=N sets it)`,
    );
  });
});

interface FixtureOutput {
  backend: string;
  patches: string[];
  summary: string;
  nativeMatMulOff: string | null;
  y: number[][];
  batched: number[][][];
  fused: number[][];
  products: number;
  threads: number | string;
  openblas: { blas: string; config: string; threads: number } | null;
}

/** Run the fixture in a fresh process (the backend and its patches are chosen once per process). */
function runFixture(env: Record<string, string>): Promise<FixtureOutput> {
  const fixture = path.join(__dirname, 'fixtures', 'native-matmul.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', fixture],
      {
        env: {
          ...process.env,
          HOW_LLMS_BACKEND: 'wasm',
          HOW_LLMS_STOCK_TFJS: '',
          HOW_LLMS_NATIVE_MATMUL: '',
          HOW_LLMS_THREADS: '',
          ...env,
        },
        encoding: 'utf8',
        timeout: 50_000,
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`fixture failed (${err.message}): ${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as FixtureOutput);
      },
    );
  });
}

/** The backend's label for the addon's thread count. */
const threadsLabel = (n: number) => `${n} native thread${n === 1 ? '' : 's'}`;

const Y = [
  [7, 11, 6, 2],
  [16, 23, 15, 8],
]; // [[1,2,3],[4,5,6]] times the fixture's (4, 3) matrix, transposed
const BATCHED = [Y, Y.map((row) => row.map((v) => -v))];
const FUSED = [
  [7, 0, 6, 0],
  [16, 11, 15, 3],
]; // relu(Y + [0, -12, 0, -5])

describe('native BLAS matmul in a fresh process', () => {
  // The children start at once: each spends most of its time loading TF.js.
  const children = {
    default: runFixture({ HOW_LLMS_THREADS: '3' }),
    off: runFixture({ HOW_LLMS_NATIVE_MATMUL: '0' }),
    stock: runFixture({ HOW_LLMS_STOCK_TFJS: '1' }),
    broken: runFixture({ FIXTURE_BREAK_DLOPEN: '1' }),
    openblas: runFixture({ [BLAS_ENV]: 'openblas' }),
  };

  const expectProducts = (out: FixtureOutput, fused = true) => {
    expect(out.backend).toBe('wasm');
    expect(out.y).toEqual(Y);
    expect(out.batched).toEqual(BATCHED);
    if (fused) expect(out.fused).toEqual(FUSED);
  };

  it('multiplies with the BLAS where it is built (HOW_LLMS_THREADS=3 reaches the addon and the summary), or names why not', async () => {
    const out = await children.default;
    expectProducts(out);
    expect(out.threads).toBe(3);
    if (built) {
      expect(out.patches).toEqual([
        'fast matmul',
        `${out.openblas?.blas} matmul`,
        'product pow',
        'product sum',
        'row gather',
        'shared clone',
        'fused kernels in C',
        '3 native threads',
      ]);
      expect(out.summary).toMatch(/3 native threads \(set by HOW_LLMS_THREADS\)/);
      expect(out.products).toBe(3);
      // The default: the first BLAS built in, oneDNN where it was found.
      expect(out.openblas?.blas).toBe(nativeAddon().addon?.blasBuilt()[0]);
      expect(out.openblas?.config).toContain(out.openblas?.blas);
      expect(out.summary).toContain(`${out.openblas?.blas} matmul`);
      expect(out.openblas?.threads).toBe(3);
    } else {
      expect(out.products).toBe(0);
      expect(out.summary).toMatch(/native matmul off: the native addon is not built/);
    }
  });

  it(`${BLAS_ENV}=openblas multiplies with OpenBLAS where it is built in, or names why not`, async () => {
    const out = await children.openblas;
    expectProducts(out);
    if (nativeAddon().addon?.blasBuilt().includes('OpenBLAS')) {
      expect(out.patches).toContain('OpenBLAS matmul');
      expect(out.openblas?.config).toMatch(/^OpenBLAS \d/);
      expect(out.products).toBe(3);
    } else {
      expect(out.products).toBe(0);
      expect(out.summary).toMatch(
        /native matmul off: (HOW_LLMS_BLAS=OpenBLAS: OpenBLAS is not built|the native addon)/,
      );
    }
  });

  it(`${NATIVE_MATMUL_ENV}=0: wasm multiplies, and the summary says why`, async () => {
    const out = await children.off;
    expectProducts(out);
    // The switch is the product's own: the fused kernels still run in C where the addon is built.
    const fused = built ? ['fused kernels in C', threadsLabel(defaultThreadCount())] : ['fused kernels in JS'];
    expect(out.patches).toEqual(['fast matmul', 'product pow', 'product sum', 'row gather', 'shared clone', ...fused]);
    expect(out.products).toBe(0);
    expect(out.nativeMatMulOff).toBe(`${NATIVE_MATMUL_ENV}=0`);
    expect(out.summary).toContain(`native matmul off: ${NATIVE_MATMUL_ENV}=0`);
  });

  it('HOW_LLMS_STOCK_TFJS=1: stock TF.js, no patches and no native product', async () => {
    const out = await children.stock;
    // Stock wasm's own fused product with a transposed b adds the bias wrongly here (TF.js 4.22): not compared.
    expectProducts(out, false);
    expect(out.patches).toEqual([]);
    expect(out.products).toBe(0);
  });

  it('an addon that does not load: wasm multiplies, and the summary names the loader error', async () => {
    const out = await children.broken;
    expectProducts(out);
    expect(out.patches).toEqual([
      'fast matmul',
      'product pow',
      'product sum',
      'row gather',
      'shared clone',
      'fused kernels in JS',
    ]);
    expect(out.products).toBe(0);
    const reason = built
      ? /the native addon does not load \(libopenblas\.so\.0: cannot open shared object file/
      : /not built/;
    expect(out.nativeMatMulOff).toMatch(reason);
    expect(out.summary).toMatch(reason);
  });
});

describe('scripts/build-native.mjs', () => {
  /** Run the build script; resolve with its exit code and output. */
  function build(env: Record<string, string>): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'scripts', 'build-native.mjs')],
        { env: { ...process.env, ...env }, encoding: 'utf8' },
        (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
        },
      );
    });
  }

  it('never fails an install: without a compiler it prints one line saying why and how to get it, and exits 0', async () => {
    const { code, out } = await build({ CC: path.join(os.tmpdir(), 'no-such-compiler') });
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(
      /native matmul skipped \(no C compiler .* found\).*apt install build-essential libdnnl-dev libopenblas-dev/,
    );
  });

  it('names the missing BLAS headers, and leaves no partial file behind', async () => {
    // A compiler that knows its version but finds no header its source includes, as on a machine without
    // libdnnl-dev and libopenblas-dev.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-cc-'));
    const cc = path.join(dir, 'cc');
    fs.writeFileSync(
      cc,
      '#!/bin/sh\n[ "$1" = --version ] && exit 0\necho "$1:1:10: fatal error: $(grep -o -m1 \'[a-z]*\\.h\' "$1"): No such file or directory" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    try {
      const { code, out } = await build({ CC: cc });
      expect(code).toBe(0);
      expect(out).toMatch(/skipped \(no BLAS: oneDNN \(dnnl\.h not found\), OpenBLAS \(cblas\.h not found\)\)/);
      const leftovers = fs.existsSync(path.dirname(NATIVE_ADDON_PATH))
        ? fs.readdirSync(path.dirname(NATIVE_ADDON_PATH)).filter((f) => f.endsWith('.tmp'))
        : [];
      expect(leftovers).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`skips when ${NATIVE_MATMUL_ENV}=0 at install`, async () => {
    const { code, out } = await build({ [NATIVE_MATMUL_ENV]: '0' });
    expect(code).toBe(0);
    expect(out).toMatch(/native matmul skipped \(HOW_LLMS_NATIVE_MATMUL=0\)/);
  });
});
