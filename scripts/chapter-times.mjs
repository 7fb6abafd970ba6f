#!/usr/bin/env node
// `npm run time:chapters`: run every notebook in order with the full profile (what a learner runs), as a learner
// would (chapter 7 saves its model, later chapters load it), and write each chapter's wall-clock time into README's
// table between the `chapter-times` markers, with the machine it was measured on. Run it on a quiet machine.
//   npm run time:chapters                  measure all, update README.md
//   npm run time:chapters -- --from FILE   only rewrite README from a saved report (reports/chapter-times.json)
import { spawnSync } from 'node:child_process';
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
    return `| ${Number(name.slice(0, 2))} | ${name} | ${r.ok ? (r.seconds / 60).toFixed(1) : 'failed'} |`;
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

function main(args) {
  const fromIndex = args.indexOf('--from');
  const report = fromIndex >= 0 ? args[fromIndex + 1] : path.join(root, 'reports', 'chapter-times.json');
  let where = fromIndex >= 0 ? 'the machine named in the report' : machine();
  if (fromIndex < 0) {
    fs.mkdirSync(path.dirname(report), { recursive: true });
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'scripts', 'run-notebooks.mjs'), '--timeout', '3600', '--jobs', '1', '--report', report],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, HOW_LLMS_PROFILE: 'full' },
      },
    );
    if (run.status !== 0) {
      console.error('A notebook failed (see above): README was not changed.');
      process.exit(1);
    }
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
