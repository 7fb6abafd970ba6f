// The grader's zip reader and writer: round trip, and refusal of entries that escape the folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createZip, extractZip } from '../../grading/zip';
import { runCommand, tempDir } from './helpers';

describe('grading zip', () => {
  it('round-trips files, and the system unzip reads what it writes', async () => {
    const dir = tempDir('zip');
    const zip = path.join(dir, 'a.zip');
    fs.writeFileSync(
      zip,
      createZip([
        { name: 'ch01-x/a.ts', data: Buffer.from('export const a = 1;\n'.repeat(50)) },
        { name: 'run', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      ]),
    );
    expect(extractZip(zip, path.join(dir, 'out'))).toEqual(['ch01-x/a.ts', 'run']);
    expect(fs.readFileSync(path.join(dir, 'out', 'ch01-x', 'a.ts'), 'utf8')).toBe('export const a = 1;\n'.repeat(50));
    const listed = await runCommand('unzip', ['-Z', zip]);
    expect(listed.stdout).toMatch(/-rwxr-xr-x.*run/);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses an entry that points outside the target folder', () => {
    const dir = tempDir('zip');
    const zip = path.join(dir, 'evil.zip');
    fs.writeFileSync(zip, createZip([{ name: '../escaped.ts', data: Buffer.from('x') }]));
    expect(() => extractZip(zip, path.join(dir, 'out'))).toThrow(/points outside the archive's folder/);
    expect(fs.existsSync(path.join(dir, 'escaped.ts'))).toBe(false);
    fs.writeFileSync(zip, 'not a zip');
    expect(() => extractZip(zip, path.join(dir, 'out'))).toThrow(/is not a zip archive/);
    fs.rmSync(dir, { recursive: true });
  });
});
