/**
 * The setup file of every graded test run, loaded in the worker before the tests (and so before
 * the submission). It snapshots the globals a submission could bend to pass tests it fails
 * (`Object.is`, `Math.random`, built-in prototypes, vitest's `expect` and chai), puts them back
 * before every test, and fails any test during which they changed or assertions stopped failing.
 *
 * It also seals the way results leave the worker: vitest's worker state and RPC channel and the
 * process's IPC `send` can no longer be replaced (an attempt is recorded), two sentinel tests with
 * names derived from a key only the grader and this file know (one must pass, one must fail) run
 * in every file, and every test's outcome as the guard itself saw it (its own wrapper around the
 * test's function, the errors recorded, the checks below) is written to a file, signed with that
 * key. The grader reads the key's hex from the environment here and deletes it before any
 * submission code loads. The grader compares vitest's report with the sentinels and the signed
 * lines, and zeroes a chapter whose report disagrees.
 * A determined attacker in the same process can still get around this (see grading/README.md,
 * "Threat model"); it stops the easy ways and names them.
 */
import * as fs from 'node:fs';
import { afterEach, beforeAll, beforeEach, chai, expect, it, vi } from 'vitest';
import { field, hmacHex, keyFromHex } from './mac';

/** The grader's key for this run (hex), read once and removed before the submission can look. */
const KEY_VAR = 'HOW_LLMS_GRADE_KEY';
const keyHex = process.env[KEY_VAR];
delete process.env[KEY_VAR];
type WorkerState = {
  rpc?: unknown;
  config?: { env?: Record<string, string> };
  ctx?: { rpc?: unknown; config?: { env?: Record<string, string> } };
};
const workerState = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
for (const env of [workerState?.config?.env, workerState?.ctx?.config?.env]) if (env) delete env[KEY_VAR];
const key = keyHex ? keyFromHex(keyHex) : undefined;
const attestFile = process.env.HOW_LLMS_GRADE_ATTEST;
// Test functions are wrapped so that the guard sees for itself whether each one threw (vitest/suite warns once that it is deprecated).
const quiet = console.warn;
console.warn = () => {};
const { getFn, setFn } = await import('vitest/suite');
console.warn = quiet;

type Snapshot = {
  name: string;
  target: object;
  descriptors: Map<PropertyKey, PropertyDescriptor>;
  deleteAdded: boolean;
};

/** Global bindings a submission could replace (Node defines some others lazily, so not all of globalThis). */
const GLOBAL_NAMES = [
  'Math',
  'JSON',
  'Object',
  'Array',
  'Number',
  'String',
  'Boolean',
  'Reflect',
  'Promise',
  'Date',
  'Symbol',
  'Error',
  'Function',
  'Map',
  'Set',
  'RegExp',
  'Float32Array',
  'Int32Array',
  'isNaN',
  'isFinite',
  'parseFloat',
  'parseInt',
];

// The guard's own tools, taken before the submission loads: it may replace the originals.
const { is, getOwnPropertyDescriptor, defineProperty } = Object;
const { ownKeys, deleteProperty, apply } = Reflect;
const appendFileSync = fs.appendFileSync;
const functionText = Function.prototype.call.bind(Function.prototype.toString) as (f: unknown) => string;
const getState = expect.getState;

/**
 * What the submission did to the test machinery itself (vitest's channel, `expect`, chai), as text:
 * plain string concatenation, which no submission can intercept (an array's push could be).
 */
let machinery = '';
function noteMachinery(what: string): void {
  if (machinery.length < 2_000) machinery += `${machinery ? '; ' : ''}${what}`;
}

/** Make `target[name]` a fixed property: reads give the original, writes are refused and recorded. */
function seal(target: object | undefined, name: PropertyKey, label: string): void {
  const d = target && getOwnPropertyDescriptor(target, name);
  if (!target || !d || !d.configurable) return;
  const value = d.get ? apply(d.get, target, []) : d.value;
  defineProperty(target, name, {
    configurable: false,
    enumerable: d.enumerable,
    get: () => value,
    set: () => noteMachinery(`replaced ${label}`),
  });
}

// The channel results leave by: vitest's worker state, its RPC object, and the process's IPC (vitest's fork pool).
if (key) {
  seal(workerState, 'rpc', 'vitest’s worker RPC (__vitest_worker__.rpc)');
  seal(workerState?.ctx, 'rpc', 'vitest’s worker RPC (__vitest_worker__.ctx.rpc)');
  seal(globalThis, '__vitest_worker__', 'vitest’s worker state (globalThis.__vitest_worker__)');
  seal(process, 'send', 'process.send');
  seal(process, '_send', 'process._send');
}

/** Append one signed line (`mac \u0001 kind \u0001 fields…`) to the grader's record of what the guard saw. */
function attest(kind: string, ...fields: string[]): void {
  if (!key || !attestFile) return;
  let body = kind;
  for (let i = 0; i < fields.length; i++) body += `\u0001${field(fields[i])}`;
  appendFileSync(attestFile, `${hmacHex(key, body)}\u0001${body}\n`);
}

/** The sentinels' names: unpredictable without the key; the grader derives the same ones. */
function sentinelName(which: 'must pass' | 'must fail'): string {
  return `grader check ${hmacHex(key!, which).slice(0, 16)}`;
}

const matchersKey = Symbol.for('$$jest-matchers-object');
const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as object;

function watchedObjects(): [string, object, boolean][] {
  const g = globalThis as Record<PropertyKey, unknown>;
  const list: [string, object, boolean][] = [
    ['Math', Math, true],
    ['JSON', JSON, true],
    ['Object', Object, true],
    ['Array', Array, true],
    ['Number', Number, true],
    ['String', String, true],
    ['Reflect', Reflect, true],
    ['Promise', Promise, true],
    ['Date', Date, true],
    ['Symbol', Symbol, true],
    ['Object.prototype', Object.prototype, true],
    ['Array.prototype', Array.prototype, true],
    ['Function.prototype', Function.prototype, true],
    ['String.prototype', String.prototype, true],
    ['Number.prototype', Number.prototype, true],
    ['Boolean.prototype', Boolean.prototype, true],
    ['Promise.prototype', Promise.prototype, true],
    ['Map.prototype', Map.prototype, true],
    ['Set.prototype', Set.prototype, true],
    ['Error.prototype', Error.prototype, true],
    ['RegExp.prototype', RegExp.prototype, true],
    ['TypedArray.prototype', typedArrayPrototype, true],
    ['Float32Array.prototype', Float32Array.prototype, true],
    ['expect', expect, true],
    ['chai.Assertion.prototype', chai.Assertion.prototype, true],
  ];
  const matchers = g[matchersKey] as { matchers?: object } | undefined;
  if (matchers) list.push(['expect matchers', matchers, true]);
  if (matchers?.matchers) list.push(['expect matchers', matchers.matchers, true]);
  return list;
}

function descriptorsOf(target: object, keys: PropertyKey[] = ownKeys(target)): Map<PropertyKey, PropertyDescriptor> {
  const map = new Map<PropertyKey, PropertyDescriptor>();
  for (const key of keys) map.set(key, getOwnPropertyDescriptor(target, key)!);
  return map;
}

const snapshots: Snapshot[] = [
  { name: 'globalThis', target: globalThis, descriptors: descriptorsOf(globalThis, GLOBAL_NAMES), deleteAdded: false },
  ...watchedObjects().map(([name, target, deleteAdded]) => ({
    name,
    target,
    descriptors: descriptorsOf(target),
    deleteAdded,
  })),
];

function same(a: PropertyDescriptor, b: PropertyDescriptor | undefined): boolean {
  return (
    !!b &&
    is(a.value, b.value) &&
    a.get === b.get &&
    a.set === b.set &&
    a.writable === b.writable &&
    a.enumerable === b.enumerable
  );
}

function label(name: string, key: PropertyKey): string {
  return `${name}.${String(key)}`;
}

/** What differs from the snapshot; vitest's own spies (vi.spyOn in a test) do not count. */
function changes(): string[] {
  const found: string[] = [];
  for (const s of snapshots) {
    for (const [key, d] of s.descriptors) {
      const now = getOwnPropertyDescriptor(s.target, key);
      if (!same(d, now) && !(now && vi.isMockFunction(now.value))) found.push(label(s.name, key));
    }
    if (!s.deleteAdded) continue;
    for (const key of ownKeys(s.target)) if (!s.descriptors.has(key)) found.push(label(s.name, key));
  }
  return found;
}

function restore(): void {
  for (const s of snapshots) {
    if (s.deleteAdded) for (const key of ownKeys(s.target)) if (!s.descriptors.has(key)) deleteProperty(s.target, key);
    for (const [key, d] of s.descriptors) {
      const now = getOwnPropertyDescriptor(s.target, key);
      if (!same(d, now)) {
        try {
          defineProperty(s.target, key, d);
        } catch {
          // a property the submission made non-configurable: the check after the test reports it
        }
      }
    }
  }
}

/** Assertions that must fail; if one passes, the submission has disabled `expect`. */
function brokenAssertions(): string[] {
  const probes: [string, () => void][] = [
    ['expect(1).toBe(2)', () => expect(1).toBe(2)],
    ['expect([1]).toEqual([2])', () => expect([1]).toEqual([2])],
    ['expect(1).toBeCloseTo(2)', () => expect(1).toBeCloseTo(2)],
    ['expect(() => {}).toThrow()', () => expect(() => {}).toThrow()],
    ['expect(false).toBe(true)', () => expect(false).toBe(true)],
  ];
  return probes
    .filter(([, probe]) => {
      try {
        probe();
        return true;
      } catch {
        return false;
      }
    })
    .map(([name]) => `${name} passed`);
}

const skip = new Set<string>(JSON.parse(process.env.HOW_LLMS_GRADE_SKIP ?? '[]') as string[]);

/**
 * The grader's watchdog reads which test runs now from this file: vitest's own progress events
 * are sent in batches that a busy loop never lets out. Written synchronously, before the test.
 * (The code under test can write it too; a false name only fails one of its own tests.)
 */
const currentFile = process.env.HOW_LLMS_GRADE_CURRENT;

function markCurrent(what: string): void {
  if (currentFile) fs.writeFileSync(currentFile, what);
}

/** Changes to the test machinery itself (expect, its matchers, chai) rather than to the language's built-ins. */
function isMachinery(label: string): boolean {
  return label.startsWith('expect') || label.startsWith('chai.');
}

const testPath = expect.getState().testPath ?? '';
markCurrent(`loading ${testPath}`);
let importTimeChanges: string[] | undefined;

/** The must-pass sentinel's name (none without a key). */
const mustPass = key ? sentinelName('must pass') : undefined;

if (key) {
  // Two tests whose outcome the grader knows in advance, under names the submission cannot predict.
  const pass = mustPass!;
  const fail = sentinelName('must fail');
  it(pass, () => {
    expect(pass).toBe(pass);
  });
  it(fail, () => {
    expect(pass).toBe(fail);
  });
}

beforeAll(async () => {
  const lib = (await import('@how-llms-work/lib')) as { ready?: () => Promise<unknown> };
  await lib.ready?.();
});

/** What the guard saw of the test now running: its key, whether its function ran, and whether it threw. */
let seen = { key: '', ran: false, threw: false };
/**
 * The source text of the function vitest stores for a test (its own wrapper around the test's body,
 * the same for every test), taken from the first sentinel: a test whose stored function reads
 * otherwise was replaced (a no-op, a proxy, a bound function) before the guard could wrap it.
 */
let vitestWrapper: string | undefined;

beforeEach((ctx) => {
  // vitest's fullName starts with the file's name; the grader's keys name the file once, before `::`.
  const file = ctx.task.file.name;
  const fullName = `${file}::${ctx.task.fullName.startsWith(`${file} > `) ? ctx.task.fullName.slice(file.length + 3) : ctx.task.fullName}`;
  const state = { key: fullName, ran: false, threw: false };
  seen = state;
  if (skip.has(fullName)) ctx.skip();
  markCurrent(fullName);
  // Changes made while the submission was imported are undone here, once per test, and named.
  if (importTimeChanges === undefined) {
    importTimeChanges = changes();
    for (const what of importTimeChanges) if (isMachinery(what)) noteMachinery(`changed ${what} while loading`);
  }
  if (importTimeChanges.length > 0) (ctx.task.meta as { tampered?: string[] }).tampered = importTimeChanges;
  restore();
  const original = getFn(ctx.task) as (...args: unknown[]) => unknown;
  if (ctx.task.name === mustPass) vitestWrapper ??= functionText(original);
  else if (vitestWrapper !== undefined && functionText(original) !== vitestWrapper)
    noteMachinery(`replaced the function of the test "${ctx.task.name}"`);
  setFn(ctx.task, async function (this: unknown, ...args: unknown[]): Promise<void> {
    state.ran = true;
    try {
      await apply(original, this, args);
    } catch (err) {
      state.threw = true;
      throw err;
    }
  });
});

afterEach((ctx) => {
  markCurrent('');
  const changed = changes();
  const broken = brokenAssertions();
  restore();
  for (const what of changed) if (isMachinery(what)) noteMachinery(`changed ${what} during a test`);
  if (broken.length > 0) noteMachinery(`switched off assertions (${broken[0]})`);
  const result = ctx.task.result as { state?: string; errors?: unknown[] } | undefined;
  const skipped = result?.state === 'skip';
  const passed =
    seen.ran &&
    !seen.threw &&
    result?.state !== 'fail' &&
    !(result?.errors && result.errors.length > 0) &&
    changed.length === 0 &&
    broken.length === 0 &&
    !machinery;
  const why = !seen.ran
    ? 'its function never ran through the guard'
    : seen.threw
      ? 'its function threw'
      : machinery
        ? 'the test machinery was changed'
        : 'its checks failed';
  if (!skipped)
    attest(
      'test',
      seen.key,
      passed ? 'pass' : 'fail',
      passed ? '' : why,
      String(apply(getState, expect, []).assertionCalls),
    );
  if (machinery) attest('machinery', testPath, machinery);
  if (changed.length > 0 || broken.length > 0) {
    const what = [
      changed.length > 0 ? `your code changed ${changed.slice(0, 5).join(', ')} while it ran` : '',
      broken.length > 0 ? `assertions that must fail passed (${broken.slice(0, 2).join(', ')})` : '',
    ].filter(Boolean);
    throw new Error(
      `The grader does not trust this test's result: ${what.join('; ')}. Leave built-in objects and the test framework as they are.`,
    );
  }
});
