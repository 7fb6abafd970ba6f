/** Files for people (reports, grades, bundles) appear whole or not at all: write a temp file, then rename. */
import * as fs from 'node:fs';
import * as path from 'node:path';

let counter = 0;

/** Write `data` to `file` atomically, creating its folder. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
