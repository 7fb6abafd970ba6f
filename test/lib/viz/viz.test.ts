import { describe, expect, it } from 'vitest';
import { heatmapBundle, inNotebook, liveLossChart, Plot, plotBundle, PLOTLY_MIME, plotlyBundle, progressBar, tableBundle } from '@how-llms-work/lib';

const marksIn = (svg: string, tag: string) => (svg.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;

describe('Observable Plot on the server', () => {
  it('renders a standalone SVG with one path per series', () => {
    const data = [0, 1, 2, 3].flatMap((step) => [
      { step, loss: 4 - step, split: 'train' },
      { step, loss: 4.2 - step, split: 'val' },
    ]);
    const bundle = plotBundle({ marks: [Plot.line(data, { x: 'step', y: 'loss', stroke: 'split' })] });
    const svg = bundle['image/svg+xml'] as string;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(marksIn(svg.split('aria-label="line"')[1] ?? '', 'path')).toBe(2);
  });

  it('renders titled charts and continuous legends as HTML figures without a canvas', () => {
    const bundle = heatmapBundle([[0, 1], [2, 3]], { x: ['a', 'b'], y: ['c', 'd'], title: 'weights' });
    const html = bundle['text/html'] as string;
    expect(html.startsWith('<figure')).toBe(true);
    expect(html).toContain('weights');
    expect(marksIn(html, 'rect')).toBeGreaterThanOrEqual(4);
    expect(html).toContain('data:image/svg+xml;base64,');
  });

  it('rejects heatmap labels that do not fit the matrix', () => {
    expect(() => heatmapBundle([[1, 2]], { x: ['only one'] })).toThrow(/labels do not fit a 1x2 matrix/);
  });
});

describe('Plotly', () => {
  it('carries the figure JSON, HTML that draws it and a static SVG fallback', () => {
    const bundle = plotlyBundle([{ type: 'scatter', x: [1, 2, 3], y: [3, 1, 2], mode: 'lines', name: 'loss' }], { title: { text: 'Loss' } });
    const figure = bundle[PLOTLY_MIME] as { data: { y: number[] }[] };
    expect(figure.data[0].y).toEqual([3, 1, 2]);
    const html = bundle['text/html'] as string;
    expect(html).toContain('Plotly.newPlot');
    expect(html).toMatch(/<div id="plotly-[^"]+" class="how-llms-plotly"[^>]*><(svg|figure)/);
    expect(bundle['text/plain']).toContain('Loss');
  });

  it('bundles plotly.js once per session, then reuses it', () => {
    const second = plotlyBundle([{ type: 'bar', x: ['a'], y: [1] }]);
    expect((second['text/html'] as string).length).toBeLessThan(100_000);
  });
});

describe('live outputs', () => {
  it('redraws a loss chart in place and always draws the final state', () => {
    const chart = liveLossChart({ minIntervalMs: 60_000, reference: { y: Math.log(65), label: 'log V' } });
    chart.update(0, { train: 4.2, val: 4.2 });
    chart.update(10, { train: 3.1 });
    chart.update(10, { val: 3.3 });
    expect(chart.output.draws).toBe(1);
    chart.done();
    expect(chart.output.draws).toBe(2);
    expect(chart.points).toEqual([{ step: 0, train: 4.2, val: 4.2 }, { step: 10, train: 3.1, val: 3.3 }]);
    expect(chart.output.last?.['text/html']).toContain('val 3.300');
  });

  it('counts progress and refuses a non-positive total', () => {
    const bar = progressBar(4, 'batches', { minIntervalMs: 60_000 });
    for (let i = 0; i < 4; i++) bar.tick();
    expect(bar.count).toBe(4);
    expect(bar.output.last?.['text/plain']).toMatch(/^batches: 4\/4 \(100%\)/);
    expect(() => progressBar(0)).toThrow(/positive total, got 0/);
  });

  it('knows it is not in a notebook here', () => {
    expect(inNotebook()).toBe(false);
  });
});

describe('tables', () => {
  it('formats numbers and escapes HTML', () => {
    const bundle = tableBundle([{ model: '<b>', loss: 1.234567 }]);
    expect(bundle['text/html']).toContain('&lt;b&gt;');
    expect(bundle['text/plain']).toBe('model\tloss\n<b>\t1.235');
  });
});
