// Chapter 13, the SFT loss mask: compared with the library's assistantTargets on chat examples.
import { describe, expect, it } from 'vitest';
import * as L from '@how-llms-work/lib';
import { assistantTargets } from '@exercises/ch13-assistant/sft-mask';

describe('ch13 assistantTargets', () => {
  it('follows the worked example', () => {
    expect(assistantTargets([5, 6, 7, 8], [false, false, true, true])).toEqual([-1, 7, 8]);
  });

  it('agrees with the library on real chat examples', () => {
    const tok = L.ChatTokenizer.extending(
      L.CharTokenizer.fromText('abcdefghijklmnopqrstuvwxyz :'),
      '0123456789+=ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    );
    for (const e of L.instructionExamples(30, 3)) {
      const { ids, isAssistant } = L.sftTokens(e, tok);
      expect(assistantTargets(ids, isAssistant)).toEqual(L.assistantTargets(ids, isAssistant));
    }
  });

  it('names a length mismatch', () => {
    expect(() => assistantTargets([1, 2, 3], [true, false])).toThrow(/flag|length/i);
    expect(() => assistantTargets([1, 2, 3], [true, false])).not.toThrow(/TODO/);
  });
});
