/**
 * The setup file of every graded test run, loaded in the worker before the tests (and so before
 * the submission). It snapshots the globals a submission could bend to pass tests it fails
 * (`Object.is`, `Math.random`, built-in prototypes, vitest's `expect` and chai), puts them back
 * before every test, and fails any test during which they changed or assertions stopped failing.
 * A determined attacker in the same process can still get around this (see grading/README.md,
 * "Threat model"); it stops the easy ways and names them in the feedback.
 */
import * as fs from 'node:fs';
import { afterEach, beforeAll, beforeEach, chai, expect, vi } from 'vitest';

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
const { ownKeys, deleteProperty } = Reflect;

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

markCurrent(`loading ${expect.getState().testPath ?? ''}`);
let importTimeChanges: string[] | undefined;

beforeAll(async () => {
  const lib = (await import('@how-llms-work/lib')) as { ready?: () => Promise<unknown> };
  await lib.ready?.();
});

beforeEach((ctx) => {
  // vitest's fullName starts with the file's name; the grader's keys name the file once, before `::`.
  const file = ctx.task.file.name;
  const fullName = `${file}::${ctx.task.fullName.startsWith(`${file} > `) ? ctx.task.fullName.slice(file.length + 3) : ctx.task.fullName}`;
  if (skip.has(fullName)) ctx.skip();
  markCurrent(fullName);
  // Changes made while the submission was imported are undone here, once per test, and named.
  if (importTimeChanges === undefined) importTimeChanges = changes();
  if (importTimeChanges.length > 0) (ctx.task.meta as { tampered?: string[] }).tampered = importTimeChanges;
  restore();
});

afterEach(() => {
  markCurrent('');
  const changed = changes();
  const broken = brokenAssertions();
  restore();
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
