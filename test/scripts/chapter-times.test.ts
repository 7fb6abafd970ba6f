// README's chapter times are written by `npm run time:chapters` from a run, never typed in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types
import { loadRange, mergeRemeasured, replaceBetweenMarkers, timesTable } from '../../scripts/chapter-times.mjs';

const root = path.resolve(__dirname, '../..');

it('turns a notebook report into README rows and replaces only the marked section', () => {
  const table = timesTable(
    [
      { notebook: 'notebooks/00-tour.ipynb', ok: true, seconds: 75 },
      { notebook: 'notebooks/07-pretraining.ipynb', ok: true, seconds: 690 },
    ],
    '2 cores of Test CPU',
  );
  expect(table).toMatch(/on 2 cores of Test CPU, 13 minutes in all/);
  expect(table).toMatch(/\| 0 \| 00-tour \| 1\.3 \|\n\| 7 \| 07-pretraining \| 11\.5 \|/);
  const readme = 'intro\n<!-- chapter-times:start -->\nold\n<!-- chapter-times:end -->\nrest\n';
  expect(replaceBetweenMarkers(readme, 'new')).toBe(
    'intro\n<!-- chapter-times:start -->\nnew\n<!-- chapter-times:end -->\nrest\n',
  );
  expect(() => replaceBetweenMarkers('no markers', 'x')).toThrow(/has no <!-- chapter-times:start -->/);
});

it('README has the section that the measurement fills', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  expect(readme).toMatch(/<!-- chapter-times:start -->[\s\S]*<!-- chapter-times:end -->/);
});

it('states the load average the run saw, lowest to highest', () => {
  expect(loadRange([1.03, 4.24, 2.5])).toBe('load average 1.0 to 4.2');
});

it('merges a re-measured notebook into the saved run and marks it in the table', () => {
  const saved = [
    { notebook: 'notebooks/07-pretraining.ipynb', ok: true, seconds: 414 },
    { notebook: 'notebooks/13-assistant.ipynb', ok: true, seconds: 258 },
  ];
  const fresh = [{ notebook: '/abs/notebooks/13-assistant.ipynb', ok: true, seconds: 300 }];
  const merged = mergeRemeasured(saved, fresh, 'alone, 2026-12-07, load average 0.2 to 1.9');
  expect(merged[0]).toEqual(saved[0]);
  expect(merged[1]).toMatchObject({ notebook: 'notebooks/13-assistant.ipynb', seconds: 300 });
  expect(timesTable(merged, 'here')).toMatch(
    /\| 13 \| 13-assistant \| 5\.0 \(alone, 2026-12-07, load average 0\.2 to 1\.9\) \|/,
  );
  expect(() => mergeRemeasured(saved, [{ notebook: 'notebooks/99-new.ipynb', ok: true, seconds: 1 }], 'x')).toThrow(
    /99-new\.ipynb not in the saved report: run `npm run time:chapters`/,
  );
});
