/**
 * Outputs that redraw in place while a cell runs: a progress bar and a live loss chart.
 * Redraws are throttled (a chart per `minIntervalMs`) so a fast loop does not flood the notebook;
 * `done()` always draws the final state.
 */
import { escapeHtml, LiveOutput } from './display';
import { Plot, plotBundle, plotMarkup } from './plot';
import { plotlyBundle, PlotlyTrace } from './plotly';

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

/**
 * Loss curves (train and validation against step) drawn live as a light static chart, and once more by `done()` as an
 * interactive one (hover a point for its step and loss); optional reference line such as log(V). The legend names
 * only the curves that have points.
 */
export function liveLossChart(
  options: { title?: string; reference?: { y: number; label: string }; minIntervalMs?: number } = {},
): LiveLossChart {
  const output = new LiveOutput();
  const points: LossPoint[] = [];
  const title = options.title ?? 'Loss';
  const draw = (final: boolean) => {
    const rows = points.flatMap((p) => [
      ...(p.train !== undefined ? [{ step: p.step, loss: p.train, split: 'train' }] : []),
      ...(p.val !== undefined ? [{ step: p.step, loss: p.val, split: 'validation' }] : []),
    ]);
    const splits = ['train', 'validation'].filter((split) => rows.some((r) => r.split === split));
    const marks: Plot.Markish[] = [
      Plot.line(rows, { x: 'step', y: 'loss', stroke: 'split', z: 'split' }),
      Plot.dot(
        rows.filter((r) => r.split === 'validation'),
        { x: 'step', y: 'loss', fill: 'split', r: 2 },
      ),
    ];
    if (options.reference) {
      marks.push(Plot.ruleY([options.reference.y], { stroke: 'gray', strokeDasharray: '4,3' }));
      marks.push(Plot.text([options.reference], { y: 'y', text: 'label', frameAnchor: 'right', dy: -6, fill: 'gray' }));
    }
    const last = points.at(-1);
    const caption = last
      ? `step ${last.step}${last.train !== undefined ? `, train ${last.train.toFixed(3)}` : ''}${last.val !== undefined ? `, val ${last.val.toFixed(3)}` : ''}`
      : 'waiting for the first step';
    const staticOptions: Plot.PlotOptions = {
      title,
      subtitle: caption,
      x: { label: 'step' },
      y: { label: 'loss', grid: true },
      color: { legend: splits.length > 0, domain: splits.length ? splits : ['train'] },
      marks,
    };
    if (!final) {
      output.update(plotBundle(staticOptions));
      return;
    }
    const traces: PlotlyTrace[] = splits.map((split) => {
      const mine = rows.filter((r) => r.split === split);
      return {
        type: 'scatter',
        mode: split === 'validation' ? 'lines+markers' : 'lines',
        name: split,
        x: mine.map((r) => r.step),
        y: mine.map((r) => r.loss),
        hovertemplate: `${split}: step %{x}, loss %{y:.4f}<extra></extra>`,
      };
    });
    const reference = options.reference;
    output.update(
      plotlyBundle(
        traces,
        {
          title: { text: `${title}<br><sup>${escapeHtml(caption)}</sup>` },
          height: 360,
          xaxis: { title: { text: 'step' } },
          yaxis: { title: { text: 'loss' } },
          hovermode: 'closest',
          shapes: reference
            ? [
                {
                  type: 'line',
                  xref: 'paper',
                  x0: 0,
                  x1: 1,
                  y0: reference.y,
                  y1: reference.y,
                  line: { color: 'gray', dash: 'dash', width: 1 },
                },
              ]
            : [],
          annotations: reference
            ? [
                {
                  xref: 'paper',
                  x: 1,
                  y: reference.y,
                  text: escapeHtml(reference.label),
                  showarrow: false,
                  xanchor: 'right',
                  yanchor: 'bottom',
                  font: { color: 'gray' },
                },
              ]
            : [],
        },
        {},
        plotMarkup(staticOptions).markup,
      ),
    );
  };
  const redraw = throttled(options.minIntervalMs ?? 500, () => draw(false));
  return {
    update(step, losses) {
      const existing = points.find((p) => p.step === step);
      if (existing) Object.assign(existing, losses);
      else points.push({ step, ...losses });
      redraw.maybe();
    },
    done: () => draw(true),
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
