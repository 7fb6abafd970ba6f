/**
 * UTF-8 helpers shared by the byte-level tokenizers. A byte-level vocabulary stores bytes, not text:
 * one token can hold half a character, so showing a token needs care.
 */

const encoder = new TextEncoder();
// Decoding never throws: invalid sequences become U+FFFD, as a model can emit any id sequence.
const decoder = new TextDecoder('utf-8');

/** Text to its UTF-8 bytes (T). */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** UTF-8 bytes (T) to text; invalid sequences become U+FFFD (the replacement character). */
export function utf8Text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Length of the UTF-8 sequence a lead byte starts, or 0 if it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead < 0xf5) return 4;
  return 0;
}

/**
 * A token's bytes (T) as readable text: complete characters as themselves, stray bytes as `<0xE5>`.
 * `describeBytes(utf8Bytes('é').slice(0, 1))` is `'<0xC3>'`.
 */
export function describeBytes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes[i]);
    const slice = n > 0 && i + n <= bytes.length ? bytes.subarray(i, i + n) : null;
    const text = slice ? strictDecode(slice) : null;
    if (text !== null) {
      out += text;
      i += n;
    } else {
      out += `<0x${bytes[i].toString(16).toUpperCase().padStart(2, '0')}>`;
      i += 1;
    }
  }
  return out;
}

const strict = new TextDecoder('utf-8', { fatal: true });

function strictDecode(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}
