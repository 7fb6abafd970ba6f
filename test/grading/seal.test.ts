// The grader's check of a run's report against the guard's signed lines and sentinels, without a grading run.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sentinelName, verifyAttempt } from '../../grading/run';
import { hmacHex, keyFromHex } from '../../grading/runner/mac';
import type { RunRecord, TestKey } from '../../grading/types';

const key = randomBytes(32).toString('hex');
const file = 'test/exercises/ch01-x/add.test.ts';
const test = (name: string, exercise = 'ch01 add'): TestKey => ({
  visibility: 'visible',
  chapter: 'ch01-x',
  stem: 'add',
  exercise,
  test: name,
});
const real = [test('adds'), test('adds negatives')];
const pass = test(sentinelName(key, 'must pass'), '');
const fail = test(sentinelName(key, 'must fail'), '');
const name = (t: TestKey) => `${file}::${t.exercise ? `${t.exercise} > ` : ''}${t.test}`;
/** A line as the guard signs it. */
const line = (...fields: string[]) => {
  const body = fields.join('\u0001');
  return `${hmacHex(keyFromHex(key), body)}\u0001${body}\n`;
};
const result = (t: TestKey, state: 'passed' | 'failed'): RunRecord => ({ type: 'result', ...t, state, errors: [] });
const honest: RunRecord[] = [pass, fail, ...real].map((t) => ({ type: 'collected', ...t }) as RunRecord);
const check = (records: RunRecord[], lines: string) =>
  verifyAttempt([...honest, ...records], key, lines, ['ch01-x'], real).map((t) => t.evidence);

describe('grading seal', () => {
  it('signs as node:crypto does (HMAC-SHA256 over UTF-16LE)', () => {
    for (const text of ['', 'ch01 add > adds', 'émoji 🙂 \ud800 lone', 'x'.repeat(1000)]) {
      const expected = createHmac('sha256', Buffer.from(key, 'hex')).update(Buffer.from(text, 'utf16le')).digest('hex');
      expect(hmacHex(keyFromHex(key), text)).toBe(expected);
    }
  });

  it('accepts an honest report and flags each kind of forgery', () => {
    const signed = line('test', name(pass), 'pass', '', '1') + line('test', name(real[0]), 'pass', '', '1');
    const ok = [result(pass, 'passed'), result(fail, 'failed'), result(real[0], 'passed'), result(real[1], 'failed')];
    expect(check(ok, signed)).toEqual([]);
    // The must-fail sentinel reported as passed: results flipped wholesale.
    expect(check([result(fail, 'passed'), result(real[0], 'passed')], signed)).toContainEqual(
      expect.stringMatching(/must-fail check in .* was reported as passed/),
    );
    // A pass the guard saw fail, and one it never saw.
    const sawFail = line('test', name(real[1]), 'fail', 'its function threw', '1');
    expect(check([...ok.slice(0, 3), result(real[1], 'passed')], signed + sawFail)).toEqual([
      expect.stringMatching(
        /"test\/exercises\/ch01-x\/add.test.ts: ch01 add > adds negatives" as passed, but the guard saw it fail \(its function threw\)/,
      ),
    ]);
    expect(check([...ok.slice(0, 3), result(real[1], 'passed')], signed)).toEqual([
      expect.stringMatching(/adds negatives" as passed, but the guard recorded no run of it/),
    ]);
    // A line the guard did not sign, a test the file does not have, and the guard's own report of tampering.
    expect(check(ok, `${signed}0000\u0001test\u0001${name(real[1])}\u0001pass\u0001\u00011\n`)).toEqual([
      expect.stringMatching(/a line the guard did not sign/),
    ]);
    expect(check([...ok, { type: 'collected', ...test('made up') }], signed)).toEqual([
      expect.stringMatching(/vitest reported a test that .* does not have: ".*made up"/),
    ]);
    expect(check(ok, signed + line('machinery', `/tmp/x/sandbox/${file}`, 'replaced process.send'))).toEqual([
      `while ${file} ran, the submission replaced process.send`,
    ]);
  });
});
