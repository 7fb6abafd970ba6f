import { describe, expect, it } from 'vitest';
import {
  readSettings,
  STOCK_TFJS_ENV,
  installedTfjsVersions,
  speedPatchesOffReason,
  wasmThreadCount,
} from '@how-llms-work/accel';
import { WASM_THREADS_ENV } from '@how-llms-work/lib';

describe('speed patch switch', () => {
  it('applies to the installed TF.js 4.22', () => {
    const versions = installedTfjsVersions();
    expect(versions.core).toMatch(/^4\.22\./);
    expect(speedPatchesOffReason(versions, readSettings({}))).toBeUndefined();
  });

  it('switches off on another TF.js version and says which', () => {
    const reason = speedPatchesOffReason({ core: '4.23.0', wasm: '4.23.0' }, readSettings({}));
    expect(reason).toMatch(/written for TF\.js 4\.22\.x.*tfjs-core 4\.23\.0/);
    expect(speedPatchesOffReason({ core: '4.22.0', wasm: '4.21.0' }, readSettings({}))).toMatch(
      /tfjs-backend-wasm 4\.21\.0/,
    );
  });

  it(`switches off with ${STOCK_TFJS_ENV}=1, stays on with 0`, () => {
    const versions = { core: '4.22.0', wasm: '4.22.0' };
    expect(speedPatchesOffReason(versions, readSettings({ [STOCK_TFJS_ENV]: '1' }))).toBe(`${STOCK_TFJS_ENV}=1`);
    expect(speedPatchesOffReason(versions, readSettings({ [STOCK_TFJS_ENV]: '0' }))).toBeUndefined();
  });
});

describe('wasm thread count', () => {
  function withThreads<T>(value: string | undefined, f: (s: ReturnType<typeof readSettings>) => T): T {
    return f(readSettings(value === undefined ? {} : { [WASM_THREADS_ENV]: value }));
  }

  it('reads the environment variable', () => {
    expect(withThreads('3', wasmThreadCount)).toBe(3);
    expect(withThreads(undefined, wasmThreadCount)).toBe(1);
    expect(withThreads('all', wasmThreadCount)).toBeGreaterThanOrEqual(1);
  });

  it('names a bad value and the range', () => {
    expect(() => withThreads('0', wasmThreadCount)).toThrow(
      `${WASM_THREADS_ENV}=0 is not a value it takes; use an integer from 1 to 8 or "all"`,
    );
    expect(() => withThreads('two', wasmThreadCount)).toThrow(/HOW_LLMS_WASM_THREADS=two/);
  });
});
