import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BPE_FORMAT,
  BpeTokenizer,
  GPT2_SPLIT_PATTERN,
  GPT4_SPLIT_PATTERN,
  Rng,
  bpeFromJson,
  bpeToJson,
  loadBpe,
  preSplit,
  saveBpe,
  trainBpe,
  utf8Bytes,
} from '@how-llms-work/lib';

// A corpus with repetition (so merges are learned) and every script the round-trip tests use.
function corpus(rng: Rng, words: number): string {
  const vocab = [
    'the',
    'cat',
    'sat',
    'on',
    'mat',
    'unbelievable',
    'believe',
    'able',
    "don't",
    '我',
    '喜欢',
    '学习',
    '新',
    '知识',
    '😀',
    '👨‍👩‍👧',
    'café',
    'cafe\u0301',
    '2024',
    '3.14',
    '\n',
    'naïve',
    'Ünïcödé',
  ];
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(vocab[rng.int(vocab.length)] + (rng.next() < 0.1 ? '.' : ''));
  return out.join(' ');
}

// Minbpe's algorithm, straight from its definition: recount every pair over every chunk before each merge.
function naiveTrain(text: string, merges: number, pattern: string | null): [number, number][] {
  const counts = new Map<string, number>();
  for (const chunk of preSplit(text, pattern)) counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
  const words = [...counts].map(([c, n]) => ({ ids: Array.from(utf8Bytes(c)), n }));
  const learned: [number, number][] = [];
  for (let m = 0; m < merges; m++) {
    const stats = new Map<string, number>();
    for (const { ids, n } of words)
      for (let i = 0; i + 1 < ids.length; i++)
        stats.set(`${ids[i]},${ids[i + 1]}`, (stats.get(`${ids[i]},${ids[i + 1]}`) ?? 0) + n);
    let best: [number, number] | null = null;
    let bestCount = 1; // stop below 2, as trainBpe's default minPairCount
    for (const [k, c] of stats) {
      const [a, b] = k.split(',').map(Number) as [number, number];
      if (c > bestCount || (c === bestCount && best !== null && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestCount = c;
      }
    }
    if (best === null) break;
    learned.push(best);
    for (const w of words) w.ids = naiveMerge(w.ids, best, 256 + m);
  }
  return learned;
}

function naiveMerge(ids: number[], [a, b]: [number, number], id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(ids[i]);
  }
  return out;
}

// Encoding from its definition: repeatedly merge the pair learned earliest, chunk by chunk.
function naiveEncode(text: string, merges: readonly (readonly [number, number])[], pattern: string | null): number[] {
  const rank = new Map(merges.map(([a, b], i) => [`${a},${b}`, i]));
  return preSplit(text, pattern).flatMap((chunk) => {
    let ids = Array.from(utf8Bytes(chunk));
    for (;;) {
      let best = -1;
      for (let i = 0; i + 1 < ids.length; i++) {
        const r = rank.get(`${ids[i]},${ids[i + 1]}`);
        if (r !== undefined && (best < 0 || r < best)) best = r;
      }
      if (best < 0) return ids;
      ids = naiveMerge(ids, merges[best] as [number, number], 256 + best);
    }
  });
}

// Random well-formed text: ASCII, accents, combining marks, CJK, emoji with ZWJ and variation selectors, any plane.
function randomText(rng: Rng, length: number): string {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0x0a, 0x0a],
    [0xc0, 0x17f],
    [0x300, 0x36f],
    [0x4e00, 0x9fff],
    [0x1f300, 0x1faff],
    [0x200d, 0x200d],
    [0xfe0f, 0xfe0f],
    [0x0e00, 0x0e7f],
    [0x10000, 0x10ffff],
  ];
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = ranges[rng.int(ranges.length)];
    out += String.fromCodePoint(lo + rng.int(hi - lo + 1));
  }
  return out;
}

const TEXT = corpus(new Rng(7), 3000);

describe('trainBpe', () => {
  it('learns the classic aaabdaaabac example', () => {
    const tok = trainBpe('aaabdaaabac', { vocabSize: 259, pattern: null });
    expect(tok.merges.map((m) => m.pair)).toEqual([
      [97, 97],
      [97, 98],
      [256, 257],
    ]);
    expect(tok.encode('aaabdaaabac')).toEqual([258, 100, 258, 97, 99]);
    expect(tok.decode([258, 100, 258, 97, 99])).toBe('aaabdaaabac');
  });

  it('learns exactly the merges of full recounting, with and without pre-splitting', () => {
    for (const pattern of [GPT4_SPLIT_PATTERN, GPT2_SPLIT_PATTERN, null]) {
      const text = TEXT.slice(0, 6000);
      const tok = trainBpe(text, { vocabSize: 256 + 80, pattern });
      expect(tok.merges.map((m) => [...m.pair])).toEqual(naiveTrain(text, 80, pattern));
    }
  });

  it('reports every merge with its count and text, in order', () => {
    const events: { rank: number; id: number; count: number; text: string }[] = [];
    const tok = trainBpe('hug hug hug pug pug hugs', { vocabSize: 300, onMerge: (e) => events.push(e) });
    expect(events.map((e) => e.rank)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.id)).toEqual(tok.merges.map((m) => m.id));
    expect(events[0]).toMatchObject({ text: 'ug', count: 6 });
    expect(events.map((e) => e.text)).toContain(' hug');
    // Counts never rise: each merge takes the most frequent pair left.
    for (let i = 1; i < events.length; i++) expect(events[i].count).toBeLessThanOrEqual(events[i - 1].count);
  });

  it('stops early when pairs run out, and says what vocabulary size it needs', () => {
    const tok = trainBpe('abab', { vocabSize: 1000, pattern: null });
    expect(tok.merges.length).toBe(1);
    expect(tok.vocabSize).toBe(257);
    expect(() => trainBpe('abc', { vocabSize: 200 })).toThrow(/vocabSize must be an integer of at least 256.*got 200/);
    expect(() => trainBpe('abc', { vocabSize: 256, specialTokens: ['<|endoftext|>'] })).toThrow(/at least 257/);
  });

  it('never merges across a special token and gives specials the last ids', () => {
    const tok = trainBpe('ab<|endoftext|>ab<|endoftext|>ab', {
      vocabSize: 258,
      pattern: null,
      specialTokens: ['<|endoftext|>'],
    });
    expect(tok.merges.map((m) => m.pair)).toEqual([[97, 98]]);
    expect(tok.specialTokens.get('<|endoftext|>')).toBe(257);
    expect(tok.vocabSize).toBe(258);
  });
});

describe('BpeTokenizer encode and decode', () => {
  const tok = trainBpe(TEXT, { vocabSize: 256 + 200, specialTokens: ['<|endoftext|>'] });

  it('encodes as the definition says: earliest-learned pair first, chunk by chunk', () => {
    const text = corpus(new Rng(99), 400);
    expect(tok.encode(text)).toEqual(
      naiveEncode(
        text,
        tok.merges.map((m) => m.pair),
        GPT4_SPLIT_PATTERN,
      ),
    );
  });

  it('encodes long unsplit text (the merge-replay path) as the definition says', () => {
    const plain = trainBpe(TEXT, { vocabSize: 256 + 120, pattern: null });
    const text = corpus(new Rng(3), 200);
    expect(utf8Bytes(text).length).toBeGreaterThan(256);
    expect(plain.encode(text)).toEqual(
      naiveEncode(
        text,
        plain.merges.map((m) => m.pair),
        null,
      ),
    );
  });

  it('compresses: fewer tokens than bytes on text like its training text', () => {
    const text = corpus(new Rng(11), 500);
    expect(tok.encode(text).length).toBeLessThan(0.6 * utf8Bytes(text).length);
  });

  it('round-trips Chinese, emoji, ZWJ sequences and combining marks', () => {
    for (const text of [
      '我喜欢学习新知识',
      '👨‍👩‍👧‍👦 family 🏳️‍🌈',
      'cafe\u0301 vs café',
      'ﷺ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{10FFFD}',
      '',
      ' \n\t  ',
    ]) {
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
  });

  it('round-trips seeded random code points from every plane (fuzz)', () => {
    const rng = new Rng(2024);
    const plain = trainBpe(randomText(new Rng(1), 3000) + TEXT.slice(0, 3000), { vocabSize: 256 + 100, pattern: null });
    for (let i = 0; i < 200; i++) {
      const text = randomText(rng, 1 + rng.int(60));
      expect(tok.decode(tok.encode(text))).toBe(text);
      expect(plain.decode(plain.encode(text))).toBe(text);
      // Pre-split chunks tile the text exactly: nothing dropped between matches.
      expect(preSplit(text, GPT4_SPLIT_PATTERN).join('')).toBe(text);
    }
  });

  it('keeps characters a custom split pattern skips', () => {
    const letters = new BpeTokenizer({ merges: [], pattern: '\\p{L}+' });
    expect(letters.decode(letters.encode('ab, cd!'))).toBe('ab, cd!');
    const empty = new BpeTokenizer({ merges: [], pattern: 'x*' });
    expect(() => empty.encode('ab')).toThrow(/matched the empty string at index 0/);
  });

  it('handles special tokens as the caller allows', () => {
    const text = 'the cat<|endoftext|>the mat';
    const eot = tok.specialTokens.get('<|endoftext|>')!;
    expect(() => tok.encode(text)).toThrow(/contains the special token "<\|endoftext\|>".*allowedSpecial: 'all'/);
    const all = tok.encode(text, { allowedSpecial: 'all' });
    expect(all.filter((id) => id === eot)).toHaveLength(1);
    expect(tok.decode(all)).toBe(text);
    expect(tok.encode(text, { allowedSpecial: ['<|endoftext|>'] })).toEqual(all);
    const none = tok.encode(text, { allowedSpecial: 'none' });
    expect(none).not.toContain(eot);
    expect(tok.decode(none)).toBe(text);
    expect(() => tok.encode(text, { allowedSpecial: ['<|pad|>'] })).toThrow(/"<\|pad\|>" is not a special token/);
  });

  it('shows tokens that split a character as stray bytes, and decodes them together', () => {
    const ids = tok.encode('😀');
    const bytes = utf8Bytes('😀');
    expect(tok.decodeBytes(ids)).toEqual(bytes);
    const raw = new BpeTokenizer({ merges: [], pattern: null });
    expect(raw.encode('é')).toEqual([0xc3, 0xa9]);
    expect(raw.tokenText(0xc3)).toBe('<0xC3>');
    // One byte at a time is not text: each half decodes to the replacement character.
    expect(raw.decode([0xc3]) + raw.decode([0xa9])).toBe('\uFFFD\uFFFD');
  });

  it('streams decoding: holds back a partial character until it is complete', () => {
    const text = '我喜欢 😀 ok';
    const stream = tok.decodeStream();
    let out = '';
    for (const id of tok.encode(text)) {
      const piece = stream.push(id);
      expect(piece).not.toContain('\uFFFD');
      out += piece;
    }
    expect(out + stream.flush()).toBe(text);
  });

  it('rejects unknown ids, naming the range', () => {
    expect(() => tok.decode([tok.vocabSize])).toThrow(
      new RegExp(`token id ${tok.vocabSize} is not in this tokenizer's vocabulary.*0 to ${tok.vocabSize - 1}`),
    );
  });

  it('rejects merge tables that refer to ids not yet made', () => {
    expect(() => new BpeTokenizer({ merges: [[97, 300]], pattern: null })).toThrow(
      /merge 0 joins \(97, 300\).*ids 0 to 255/,
    );
    expect(
      () =>
        new BpeTokenizer({
          merges: [
            [97, 98],
            [97, 98],
          ],
          pattern: null,
        }),
    ).toThrow(/merge 1 repeats the pair \(97, 98\)/);
    expect(() => new BpeTokenizer({ merges: [], pattern: null, specialTokens: { '<s>': 10 } })).toThrow(
      /id 10.*ids below 256/,
    );
  });
});

describe('saveBpe and loadBpe', () => {
  const tok = trainBpe(TEXT, { vocabSize: 256 + 50, specialTokens: ['<|endoftext|>'] });

  it('round-trips through a file, atomically, with identical encodings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpe-'));
    const file = path.join(dir, 'nested', 'tok.json');
    saveBpe(tok, file);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['tok.json']);
    const back = loadBpe(file);
    expect(back.merges).toEqual(tok.merges);
    expect(back.pattern).toBe(tok.pattern);
    expect([...back.specialTokens]).toEqual([...tok.specialTokens]);
    const text = TEXT.slice(0, 2000) + '<|endoftext|>';
    expect(back.encode(text, { allowedSpecial: 'all' })).toEqual(tok.encode(text, { allowedSpecial: 'all' }));
    fs.rmSync(dir, { recursive: true });
  });

  it('writes a versioned format', () => {
    const json = bpeToJson(tok);
    expect(json.format).toBe(BPE_FORMAT);
    expect(json.version).toBe(1);
    expect(json.merges).toHaveLength(tok.merges.length);
    expect(bpeFromJson(JSON.stringify(json)).encode('the cat')).toEqual(tok.encode('the cat'));
  });

  it('explains bad files', () => {
    const good = JSON.stringify(bpeToJson(tok));
    expect(() => bpeFromJson(good.slice(0, 40), 'tok.json')).toThrow(/tok.json is not valid JSON.*truncated/);
    expect(() => bpeFromJson({ format: 'other' })).toThrow(
      /not a BPE tokenizer file: expected "format": "how-llms-work\/bpe", got "other"/,
    );
    expect(() => bpeFromJson({ ...bpeToJson(tok), version: 9 })).toThrow(/version 9.*reads version 1/);
    expect(() => bpeFromJson({ ...bpeToJson(tok), merges: [[1]] })).toThrow(/"merges" as a list of \[a, b\]/);
    expect(() => loadBpe('/nonexistent/tok.json')).toThrow(
      /cannot read tokenizer file \/nonexistent\/tok.json \(ENOENT\)/,
    );
  });
});
