#!/usr/bin/env node
// `npm test`: every check the course depends on, in order, failing on any failure.
//   build (strict) → typecheck → markdownlint → eslint → prettier → vitest (library on wasm and cpu, exercises against the solutions,
//   notebook hygiene and prose, grading, tools) → exercise stubs equal what scripts/stubs.mjs generates from
//   solutions/ and must fail → every notebook executed end to end
//   → the static site built from them → the learner's view in a real browser (Jupyter + Chromium).
// Ends with one line `total: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const results = [];
let passed = 0;
let failed = 0;

function step(name, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${[path.basename(command), ...args].join(' ')}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...options.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const ok = run.status === 0;
  results.push({ name, ok, seconds });
  console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${seconds} s`);
  return ok;
}

/** Count one step's outcome. */
function count(ok) {
  if (ok) passed++;
  else failed++;
}

function countVitest(file) {
  if (!fs.existsSync(file)) return { passed: 0, failed: 1 };
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests,
    failed:
      report.numFailedTests + (report.numTotalTestSuites && !report.success && report.numFailedTests === 0 ? 1 : 0),
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-test-'));
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (want('build')) count(step('build', bin('tsc'), ['-b', 'accel', 'lib']));
if (want('typecheck')) count(step('typecheck', bin('tsc'), ['-p', 'tsconfig.json']));
if (want('markdownlint')) count(step('markdownlint', bin('markdownlint-cli2'), []));
if (want('eslint')) count(step('eslint', bin('eslint'), ['.']));
if (want('prettier')) count(step('prettier', bin('prettier'), ['--check', '.']));

if (want('vitest')) {
  const report = path.join(tmp, 'vitest.json');
  step('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const counts = countVitest(report);
  passed += counts.passed;
  failed += counts.failed;
  console.log(`vitest: ${counts.passed} passed, ${counts.failed} failed`);
}

if (want('stubs')) {
  count(
    step('exercise stubs generated from solutions', process.execPath, [
      path.join(root, 'scripts', 'stubs.mjs'),
      'check',
    ]),
  );
  count(step('exercise stubs fail', process.execPath, [path.join(root, 'scripts', 'check-stubs.mjs')]));
}

// Executed copies feed the static site, which the browser test then opens.
const executed = path.join(root, 'test-artifacts', 'executed');
const site = path.join(root, 'test-artifacts', 'site');
if (want('notebooks')) {
  fs.rmSync(executed, { recursive: true, force: true });
  count(
    step('notebooks', process.execPath, [path.join(root, 'scripts', 'run-notebooks.mjs'), '--output-dir', executed]),
  );
}
if (want('site'))
  count(step('site', bin('tsx'), [path.join(root, 'site', 'build.ts'), '--from', executed, '--out', site]));
if (want('browser'))
  count(
    step('browser', process.execPath, [path.join(root, 'test', 'browser', 'run.mjs')], {
      env: { HOW_LLMS_SITE_DIR: site },
    }),
  );

fs.rmSync(tmp, { recursive: true, force: true });
console.log('\nSummary:');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)`);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.every((r) => r.ok) ? 0 : 1);
