// One settings module (accel/src/settings.ts) reads every HOW_LLMS_* variable, once, with one rule for switches.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTING_ENV, readSettings, settings, withSettings, type Settings } from '@how-llms-work/accel';

const ROOT = path.resolve(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('settings', () => {
  const switches: (keyof Settings)[] = ['stockTfjs', 'fused', 'nativeKernels', 'nativeMatMul'];

  it('one rule for every switch: 1/true/on/yes, 0/false/off/no (any case), unset for the default', () => {
    for (const key of switches) {
      const env = SETTING_ENV[key];
      for (const on of ['1', 'true', 'on', 'yes', 'TRUE', ' On '])
        expect(readSettings({ [env]: on })[key], `${env}=${on}`).toBe(true);
      for (const off of ['0', 'false', 'off', 'no', 'False'])
        expect(readSettings({ [env]: off })[key], `${env}=${off}`).toBe(false);
      expect(readSettings({ [env]: '' })[key]).toBe(readSettings({})[key]);
    }
    expect(readSettings({})).toMatchObject({
      stockTfjs: false,
      fused: true,
      nativeKernels: true,
      nativeMatMul: true,
      threads: undefined,
      wasmThreads: 1,
      profile: 'full',
    });
  });

  it('an unknown value is an error naming the setting and the values it accepts', () => {
    for (const key of switches) {
      expect(() => readSettings({ [SETTING_ENV[key]]: 'maybe' })).toThrow(
        `${SETTING_ENV[key]}=maybe is not a value it takes; use one of 1, true, on, yes, 0, false, off, no`,
      );
    }
    expect(() => readSettings({ HOW_LLMS_PROFILE: 'quick' })).toThrow(/HOW_LLMS_PROFILE=quick .* ci or full/);
    expect(() => readSettings({ HOW_LLMS_BACKEND: 'tpu' })).toThrow(/HOW_LLMS_BACKEND=tpu .* wasm, cpu, or auto/);
    expect(() => readSettings({ HOW_LLMS_WASM_THREADS: '9' })).toThrow(
      /HOW_LLMS_WASM_THREADS=9 .* from 1 to 8 or "all"/,
    );
    expect(() => readSettings({ HOW_LLMS_BLAS: 'mkl' })).toThrow(/HOW_LLMS_BLAS=mkl .* oneDNN or OpenBLAS/);
    expect(readSettings({ HOW_LLMS_BLAS: 'openblas' }).blas).toBe('OpenBLAS');
    expect(readSettings({ HOW_LLMS_BLAS: ' ONEDNN ' }).blas).toBe('oneDNN');
    expect(readSettings({}).blas).toBeUndefined();
    expect(readSettings({ HOW_LLMS_THREADS: '3', HOW_LLMS_DATA_DIR: '/data', HOW_LLMS_PROFILE: 'CI' })).toMatchObject({
      threads: 3,
      dataDir: '/data',
      profile: 'ci',
    });
  });

  it('is read once: a later change to the environment is not seen; withSettings changes and restores', () => {
    const before = settings().fused;
    const saved = process.env[SETTING_ENV.fused];
    process.env[SETTING_ENV.fused] = before ? '0' : '1';
    try {
      expect(settings().fused).toBe(before);
    } finally {
      if (saved === undefined) delete process.env[SETTING_ENV.fused];
      else process.env[SETTING_ENV.fused] = saved;
    }
    expect(withSettings({ fused: !before }, () => settings().fused)).toBe(!before);
    expect(() =>
      withSettings({ fused: !before }, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(settings().fused).toBe(before);
  });

  it('is the only code in accel/src and lib/src that reads an environment variable', () => {
    const offenders: string[] = [];
    for (const file of [...tsFiles(path.join(ROOT, 'accel', 'src')), ...tsFiles(path.join(ROOT, 'lib', 'src'))]) {
      if (file.endsWith(path.join('accel', 'src', 'settings.ts'))) continue;
      const text = fs.readFileSync(file, 'utf8');
      // Reading one variable (process.env.X, process.env[X]); passing the whole environment on to a child is fine.
      for (const m of text.matchAll(/process\.env\s*(?:\.\s*(\w+)|\[)/g)) {
        if (m[1] !== 'LD_LIBRARY_PATH') offenders.push(`${path.relative(ROOT, file)}: ${m[0]}`); // the system's loader path, not a course setting
      }
    }
    expect(offenders).toEqual([]);
  });
});
