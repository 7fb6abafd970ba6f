import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '@how-llms-work/lib';

describe('CharTokenizer', () => {
  it('builds a sorted vocabulary of distinct characters and round-trips its text', () => {
    const text = 'hello, world';
    const tok = CharTokenizer.fromText(text);
    expect(tok.chars).toEqual([' ', ',', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(tok.vocabSize).toBe(9);
    const ids = tok.encode(text);
    expect(ids).toHaveLength(text.length);
    expect(ids.slice(0, 5)).toEqual([4, 3, 5, 5, 6]);
    expect(tok.decode(ids)).toBe(text);
  });

  it('treats an emoji as one character, not two UTF-16 halves', () => {
    const tok = CharTokenizer.fromText('a😀b');
    expect(tok.vocabSize).toBe(3);
    expect(tok.encode('😀')).toHaveLength(1);
    expect(tok.decode(tok.encode('b😀a'))).toBe('b😀a');
  });

  it('names an unknown character, its code point and the fix', () => {
    const tok = CharTokenizer.fromText('abc');
    expect(() => tok.encode('abü')).toThrow(/"ü" \(U\+00FC\).*vocabulary of 3 characters.*byte-level BPE/);
  });

  it('rejects ids outside the vocabulary', () => {
    const tok = CharTokenizer.fromText('abc');
    expect(() => tok.decode([0, 3])).toThrow(/token id 3 is out of range.*ids 0 to 2/);
  });
});
