import { describe, expect, it } from 'vitest';
import { gptDecode, gptEncode, gptTokenize, gptVocabSize, utf8Bytes } from '@how-llms-work/lib';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('gptTokenize', () => {
  it('matches the published ids for GPT-2 and GPT-4', () => {
    // tiktoken: r50k_base and cl100k_base encodings of "hello world".
    expect(gptEncode('hello world', 'r50k_base')).toEqual([31373, 995]);
    expect(gptEncode('hello world', 'cl100k_base')).toEqual([15339, 1917]);
    expect(gptTokenize('hello world').map((t) => t.text)).toEqual(['hello', ' world']);
  });

  it("gives each token's exact bytes, even when a token holds part of a character", () => {
    for (const text of ['我喜欢学习新知识', 'unbelievable 😀 12345', 'def f(x):\n    return x**2']) {
      for (const encoding of ['r50k_base', 'cl100k_base', 'o200k_base'] as const) {
        const tokens = gptTokenize(text, encoding);
        expect(concat(tokens.map((t) => t.bytes))).toEqual(utf8Bytes(text));
        expect(
          gptDecode(
            tokens.map((t) => t.id),
            encoding,
          ),
        ).toBe(text);
      }
    }
    // GPT-2 has few Chinese tokens: some characters are split into bytes.
    expect(gptTokenize('我喜欢学习新知识', 'r50k_base').some((t) => t.text.includes('<0x'))).toBe(true);
  });

  it('encodes special-token text as ordinary text', () => {
    const ids = gptEncode('<|endoftext|>', 'cl100k_base');
    expect(ids.length).toBeGreaterThan(1);
    expect(gptDecode(ids, 'cl100k_base')).toBe('<|endoftext|>');
  });

  it('reports vocabulary sizes, with GPT-2 at its published 50,257', () => {
    expect(gptVocabSize('r50k_base')).toBe(50257);
    expect(gptVocabSize('cl100k_base')).toBeGreaterThan(100_000);
    expect(gptVocabSize('o200k_base')).toBeGreaterThan(gptVocabSize('cl100k_base'));
    // Every id the encoder produces is inside the vocabulary.
    expect(Math.max(...gptEncode('我喜欢学习新知识 😀', 'o200k_base'))).toBeLessThan(gptVocabSize('o200k_base'));
  });

  it('names the encodings it knows', () => {
    expect(() => gptEncode('x', 'p99k' as never)).toThrow(
      /unknown GPT encoding "p99k"; use one of r50k_base, cl100k_base, o200k_base/,
    );
  });
});
