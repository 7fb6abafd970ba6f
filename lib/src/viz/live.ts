/**
 * Outputs that redraw in place while a cell runs: a progress bar and a live loss chart.
 * Redraws are throttled (a chart per `minIntervalMs`) so a fast loop does not flood the notebook;
 * `done()` always draws the final state.
 */
import { escapeHtml, LiveOutput } from './display';
import { Plot, plotBundle } from './plot';

/** One point of a loss curve: the step and the losses measured there. */
export interface LossPoint {
  step: number;
  train?: number;
  val?: number;
}

/** A loss chart that redraws in place: `update(step, { train, val })`, then `done()`. */
export interface LiveLossChart {
  update(step: number, losses: { train?: number; val?: number }): void;
  done(): void;
  readonly points: readonly LossPoint[];
  readonly output: LiveOutput;
}

function throttled(minIntervalMs: number, draw: () => void): { maybe(): void; now(): void } {
  let last = -Infinity;
  return {
    maybe() {
      const t = Date.now();
      if (t - last >= minIntervalMs) {
        last = t;
        draw();
      }
    },
    now() {
      last = Date.now();
      draw();
    },
  };
}

/** Loss curves (train and validation against step) drawn live; optional reference line such as log(V). */
export function liveLossChart(options: { title?: string; reference?: { y: number; label: string }; minIntervalMs?: number } = {}): LiveLossChart {
  const output = new LiveOutput();
  const points: LossPoint[] = [];
  const draw = () => {
    const rows = points.flatMap((p) => [
      ...(p.train !== undefined ? [{ step: p.step, loss: p.train, split: 'train' }] : []),
      ...(p.val !== undefined ? [{ step: p.step, loss: p.val, split: 'validation' }] : []),
    ]);
    const marks: Plot.Markish[] = [
      Plot.line(rows, { x: 'step', y: 'loss', stroke: 'split', z: 'split' }),
      Plot.dot(rows.filter((r) => r.split === 'validation'), { x: 'step', y: 'loss', fill: 'split', r: 2 }),
    ];
    if (options.reference) {
      marks.push(Plot.ruleY([options.reference.y], { stroke: 'gray', strokeDasharray: '4,3' }));
      marks.push(Plot.text([options.reference], { y: 'y', text: 'label', frameAnchor: 'right', dy: -6, fill: 'gray' }));
    }
    const last = points.at(-1);
    const caption = last
      ? `step ${last.step}${last.train !== undefined ? `, train ${last.train.toFixed(3)}` : ''}${last.val !== undefined ? `, val ${last.val.toFixed(3)}` : ''}`
      : 'waiting for the first step';
    output.update(
      plotBundle({
        title: options.title ?? 'Loss',
        subtitle: caption,
        x: { label: 'step' },
        y: { label: 'loss', grid: true },
        color: { legend: true, domain: ['train', 'validation'] },
        marks,
      }),
    );
  };
  const redraw = throttled(options.minIntervalMs ?? 500, draw);
  return {
    update(step, losses) {
      const existing = points.find((p) => p.step === step);
      if (existing) Object.assign(existing, losses);
      else points.push({ step, ...losses });
      redraw.maybe();
    },
    done: redraw.now,
    points,
    output,
  };
}

/** A progress bar that redraws in place: `tick()` per item, `done()` at the end. */
export interface ProgressBar {
  tick(n?: number, note?: string): void;
  done(note?: string): void;
  readonly count: number;
  readonly output: LiveOutput;
}

/** A progress bar for `total` items, labelled, with elapsed time and an estimate of what is left. */
export function progressBar(total: number, label = 'progress', options: { minIntervalMs?: number } = {}): ProgressBar {
  if (!(total > 0)) throw new Error(`progressBar needs a positive total, got ${total}`);
  const output = new LiveOutput();
  const start = Date.now();
  let count = 0;
  let lastNote = '';
  const draw = () => {
    const fraction = Math.min(1, count / total);
    const elapsed = (Date.now() - start) / 1000;
    const eta = count > 0 ? (elapsed / count) * (total - count) : NaN;
    const text = `${label}: ${count}/${total} (${Math.round(100 * fraction)}%) ${elapsed.toFixed(1)} s${Number.isFinite(eta) && count < total ? `, ~${eta.toFixed(0)} s left` : ''}${lastNote ? ` — ${lastNote}` : ''}`;
    const html =
      `<div style="font-family:monospace">${escapeHtml(label)} ` +
      `<progress value="${count}" max="${total}" style="width:40%;vertical-align:middle"></progress> ` +
      `${escapeHtml(text.slice(label.length + 2))}</div>`;
    output.update({ 'text/html': html, 'text/plain': text });
  };
  const redraw = throttled(options.minIntervalMs ?? 250, draw);
  return {
    tick(n = 1, note) {
      count += n;
      if (note !== undefined) lastNote = note;
      if (count >= total) redraw.now();
      else redraw.maybe();
    },
    done(note) {
      if (note !== undefined) lastNote = note;
      redraw.now();
    },
    get count() {
      return count;
    },
    output,
  };
}
