#!/usr/bin/env node
// The learner's untouched stubs must fail every exercise test: a test that passes on a stub grades nothing.
// Runs the exercise tests with HOW_LLMS_EXERCISES=exercises and fails if any test passes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-stubs-')), 'stubs.json');
spawnSync(
  path.join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--project', 'course', 'test/exercises', '--reporter=json', `--outputFile.json=${report}`],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, HOW_LLMS_EXERCISES: 'exercises' } },
);
if (!fs.existsSync(report)) {
  console.error('The exercise tests did not run against the stubs (no report written).');
  process.exit(1);
}
const results = JSON.parse(fs.readFileSync(report, 'utf8')).testResults ?? [];
const tests = results.flatMap((file) =>
  file.assertionResults.map((t) => ({ file: path.relative(root, file.name), name: t.fullName, status: t.status })),
);
const passing = tests.filter((t) => t.status === 'passed');
// Every exercise file has its own test file: exercises/<chapter>/<stem>.ts ↔ test/exercises/<chapter>/<stem>.test.ts.
const stubFolders = fs
  .readdirSync(path.join(root, 'exercises'))
  .filter((d) => fs.statSync(path.join(root, 'exercises', d)).isDirectory());
const stubFiles = stubFolders.flatMap((d) =>
  fs
    .readdirSync(path.join(root, 'exercises', d))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${d}/${f.replace(/\.ts$/, '')}`),
);
const testedFiles = new Set(
  results.map((f) =>
    path
      .relative(path.join(root, 'test', 'exercises'), f.name)
      .split(path.sep)
      .join('/')
      .replace(/\.test\.ts$/, ''),
  ),
);
const untested = stubFiles.filter((f) => !testedFiles.has(f));
for (const t of passing) console.error(`passes on the untouched stub: ${t.file} › ${t.name}`);
for (const f of untested) console.error(`exercises/${f}.ts has no test file test/exercises/${f}.test.ts`);
console.log(
  `exercise stubs: ${tests.length - passing.length} of ${tests.length} tests fail on the stubs as they should (${stubFiles.length} exercise files in ${stubFolders.length} chapters)`,
);
process.exit(passing.length === 0 && untested.length === 0 && tests.length > 0 ? 0 : 1);
