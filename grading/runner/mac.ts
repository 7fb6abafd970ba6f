/**
 * HMAC-SHA256 in plain arithmetic on typed arrays, for the guard: it signs what it saw of each test
 * with a key the submission never sees, so the grader can tell the guard's lines from forged ones.
 * It calls no method a submission could replace after the guard loaded (no crypto module, no
 * prototype methods, only the functions captured below), and keeps the key as numbers in a typed
 * array. The grader checks the lines with node:crypto (`createHmac('sha256', key)` over the
 * message as UTF-16LE), which must give the same hex.
 */

const charCodeAt = Function.prototype.call.bind(String.prototype.charCodeAt) as (s: string, i: number) => number;
const fromCharCode = String.fromCharCode;

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** SHA-256 of `data` (bytes): 32 bytes. */
function sha256(data: Uint8Array): Uint8Array {
  const bitLength = data.length * 8;
  const padded = new Uint8Array((((data.length + 8) >> 6) + 1) << 6);
  for (let i = 0; i < data.length; i++) padded[i] = data[i];
  padded[data.length] = 0x80;
  // Messages here are far below 2^32 bits: the high word of the length stays 0.
  for (let i = 0; i < 4; i++) padded[padded.length - 1 - i] = (bitLength >>> (8 * i)) & 0xff;
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) {
      const j = block + 4 * i;
      w[i] = (padded[j] << 24) | (padded[j + 1] << 16) | (padded[j + 2] << 8) | padded[j + 3];
    }
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0];
    let b = h[1];
    let c = h[2];
    let d = h[3];
    let e = h[4];
    let f = h[5];
    let g = h[6];
    let k = h[7];
    for (let i = 0; i < 64; i++) {
      const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) for (let j = 0; j < 4; j++) out[4 * i + j] = (h[i] >>> (24 - 8 * j)) & 0xff;
  return out;
}

/** A string's UTF-16 code units as little-endian bytes (Node's `utf16le`). */
function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = charCodeAt(text, i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** A key from its hex text (as the grader hands it over): bytes, never kept as a string. */
export function keyFromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  const nibble = (c: number) => (c <= 57 ? c - 48 : (c | 32) - 87);
  for (let i = 0; i < out.length; i++)
    out[i] = (nibble(charCodeAt(hex, 2 * i)) << 4) | nibble(charCodeAt(hex, 2 * i + 1));
  return out;
}

const HEX = '0123456789abcdef';

/** HMAC-SHA256 of `message` (as UTF-16LE) under `key` (at most 64 bytes), as lowercase hex. */
export function hmacHex(key: Uint8Array, message: string): string {
  const body = utf16le(message);
  const inner = new Uint8Array(64 + body.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    const k = i < key.length ? key[i] : 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  for (let i = 0; i < body.length; i++) inner[64 + i] = body[i];
  const innerHash = sha256(inner);
  for (let i = 0; i < 32; i++) outer[64 + i] = innerHash[i];
  const mac = sha256(outer);
  let hex = '';
  for (let i = 0; i < mac.length; i++) hex += HEX[mac[i] >> 4] + HEX[mac[i] & 15];
  return hex;
}

/** Text safe to put in one field of a guard line: no line breaks or field separators, at most `max` characters. */
export function field(text: string, max = 300): string {
  let out = '';
  for (let i = 0; i < text.length && i < max; i++) {
    const c = charCodeAt(text, i);
    out += c < 32 ? ' ' : fromCharCode(c);
  }
  return out;
}
