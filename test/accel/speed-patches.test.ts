import { describe, expect, it } from 'vitest';
import { STOCK_TFJS_ENV, WASM_THREADS_ENV, installedTfjsVersions, speedPatchesOffReason, wasmThreadCount } from '@how-llms-work/lib';

describe('speed patch switch', () => {
  it('applies to the installed TF.js 4.22', () => {
    const versions = installedTfjsVersions();
    expect(versions.core).toMatch(/^4\.22\./);
    expect(speedPatchesOffReason(versions, {})).toBeUndefined();
  });

  it('switches off on another TF.js version and says which', () => {
    const reason = speedPatchesOffReason({ core: '4.23.0', wasm: '4.23.0' }, {});
    expect(reason).toMatch(/written for TF\.js 4\.22\.x.*tfjs-core 4\.23\.0/);
    expect(speedPatchesOffReason({ core: '4.22.0', wasm: '4.21.0' }, {})).toMatch(/tfjs-backend-wasm 4\.21\.0/);
  });

  it(`switches off with ${STOCK_TFJS_ENV}=1, stays on with 0`, () => {
    const versions = { core: '4.22.0', wasm: '4.22.0' };
    expect(speedPatchesOffReason(versions, { [STOCK_TFJS_ENV]: '1' })).toBe(`${STOCK_TFJS_ENV}=1`);
    expect(speedPatchesOffReason(versions, { [STOCK_TFJS_ENV]: '0' })).toBeUndefined();
  });
});

describe('wasm thread count', () => {
  function withThreads<T>(value: string | undefined, f: () => T): T {
    const saved = process.env[WASM_THREADS_ENV];
    if (value === undefined) delete process.env[WASM_THREADS_ENV];
    else process.env[WASM_THREADS_ENV] = value;
    try {
      return f();
    } finally {
      if (saved === undefined) delete process.env[WASM_THREADS_ENV];
      else process.env[WASM_THREADS_ENV] = saved;
    }
  }

  it('reads the environment variable', () => {
    expect(withThreads('3', wasmThreadCount)).toBe(3);
    expect(withThreads(undefined, wasmThreadCount)).toBe(1);
    expect(withThreads('all', wasmThreadCount)).toBeGreaterThanOrEqual(1);
  });

  it('names a bad value and the range', () => {
    expect(() => withThreads('0', wasmThreadCount)).toThrow(`${WASM_THREADS_ENV} must be an integer from 1 to 8 or "all", got 0`);
    expect(() => withThreads('two', wasmThreadCount)).toThrow(/got two/);
  });
});
