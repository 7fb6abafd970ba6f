#!/usr/bin/env node
// `npm run time:chapters`: run every notebook in order with the full profile (what a learner runs), as a learner
// would (chapter 7 saves its model, later chapters load it), and write each chapter's wall-clock time into README's
// table between the `chapter-times` markers, with the machine it was measured on. Run it on a quiet machine.
//   npm run time:chapters                  measure all, update README.md
//   npm run time:chapters -- --from FILE   only rewrite README from a saved report (reports/chapter-times.json)
//   npm run time:chapters -- --only notebooks/13-assistant.ipynb …
//                                          re-measure those notebooks alone (after they changed), merge their rows
//                                          into the saved report, marked with when and at what load, update README.md
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- chapter-times:start -->';
const END = '<!-- chapter-times:end -->';

/** The README table of a run_notebooks.py report: one row per notebook, minutes with one decimal. */
export function timesTable(report, machine) {
  const rows = report.map((r) => {
    const name = path.basename(r.notebook, '.ipynb');
    const minutes = r.ok ? (r.seconds / 60).toFixed(1) : 'failed';
    return `| ${Number(name.slice(0, 2))} | ${name} | ${minutes}${r.remeasured ? ` (${r.remeasured})` : ''} |`;
  });
  const total = report.reduce((s, r) => s + r.seconds, 0) / 60;
  return [
    `Measured by \`npm run time:chapters\` (full profile, chapters run in order) on ${machine}, ${total.toFixed(0)} minutes in all:`,
    '',
    '| # | notebook | minutes |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The saved report with `fresh`'s notebooks replaced by their new rows, each marked `remeasured: note`. */
export function mergeRemeasured(saved, fresh, note) {
  const byName = new Map(fresh.map((r) => [path.basename(r.notebook), r]));
  const missing = [...byName.keys()].filter((n) => !saved.some((r) => path.basename(r.notebook) === n));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not in the saved report: run \`npm run time:chapters\` (all) first`);
  }
  return saved.map((r) => {
    const f = byName.get(path.basename(r.notebook));
    return f ? { ...f, notebook: r.notebook, remeasured: note } : r;
  });
}

/** README with the text between the markers replaced; an error when the markers are missing. */
export function replaceBetweenMarkers(readme, text) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} section to fill`);
  return `${readme.slice(0, a + START.length)}\n${text}\n${readme.slice(b)}`;
}

function machine() {
  const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'an unknown CPU';
  return `${os.cpus().length} cores of ${cpu}`;
}

/** The load average's range, sampled every 30 s, as README reads it: "load average 1.0 to 4.2". */
export function loadRange(samples) {
  const lo = Math.min(...samples);
  const hi = Math.max(...samples);
  return `load average ${lo.toFixed(1)} to ${hi.toFixed(1)}`;
}

/** Run the notebooks one at a time in the full profile, sampling the load while they run; the exit status and samples. */
function runNotebooks(report, notebooks = []) {
  return new Promise((resolve) => {
    const samples = [os.loadavg()[0]];
    const timer = setInterval(() => samples.push(os.loadavg()[0]), 30_000);
    const run = spawn(
      process.execPath,
      [
        path.join(root, 'scripts', 'run-notebooks.mjs'),
        ...notebooks,
        '--timeout',
        '3600',
        '--jobs',
        '1',
        '--report',
        report,
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, HOW_LLMS_PROFILE: 'full' } },
    );
    run.on('close', (status) => {
      clearInterval(timer);
      samples.push(os.loadavg()[0]);
      resolve({ status, samples });
    });
  });
}

async function main(args) {
  const fromIndex = args.indexOf('--from');
  const report = fromIndex >= 0 ? args[fromIndex + 1] : path.join(root, 'reports', 'chapter-times.json');
  const onlyIndex = args.indexOf('--only');
  let where = 'the machine named in the report';
  const day = new Date().toISOString().slice(0, 10);
  if (onlyIndex >= 0) {
    const notebooks = args.slice(onlyIndex + 1).filter((a) => a.endsWith('.ipynb'));
    if (notebooks.length === 0)
      throw new Error('--only needs notebook paths, e.g. --only notebooks/13-assistant.ipynb');
    if (!fs.existsSync(report))
      throw new Error(`no saved report at ${report}: run \`npm run time:chapters\` (all) first`);
    const fresh = `${report}.only.json`;
    const { status, samples } = await runNotebooks(fresh, notebooks);
    if (status !== 0) {
      console.error('A notebook failed (see above): README was not changed.');
      process.exit(1);
    }
    const note = `alone, ${day}, ${loadRange(samples)}`;
    const merged = mergeRemeasured(
      JSON.parse(fs.readFileSync(report, 'utf8')),
      JSON.parse(fs.readFileSync(fresh, 'utf8')),
      note,
    );
    fs.writeFileSync(`${report}.tmp`, JSON.stringify(merged, null, 2));
    fs.renameSync(`${report}.tmp`, report);
    fs.rmSync(fresh);
  }
  if (fromIndex < 0 && onlyIndex < 0) {
    fs.mkdirSync(path.dirname(report), { recursive: true });
    const { status, samples } = await runNotebooks(report);
    if (status !== 0) {
      console.error('A notebook failed (see above): README was not changed.');
      process.exit(1);
    }
    where = `${machine()} on ${day} (${loadRange(samples)} while it ran)`;
    fs.writeFileSync(`${report}.machine`, where);
  } else if (fs.existsSync(`${report}.machine`)) {
    where = fs.readFileSync(`${report}.machine`, 'utf8').trim();
  }
  const table = timesTable(JSON.parse(fs.readFileSync(report, 'utf8')), where);
  const readme = path.join(root, 'README.md');
  const tmp = `${readme}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, replaceBetweenMarkers(fs.readFileSync(readme, 'utf8'), table));
  fs.renameSync(tmp, readme);
  console.log(table);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv.slice(2));
