import { describe, expect, it } from 'vitest';
import {
  heatmapBundle,
  inNotebook,
  liveLossChart,
  Plot,
  plotBundle,
  PLOTLY_LOADER,
  PLOTLY_MIME,
  plotlyBundle,
  progressBar,
  tableBundle,
} from '@how-llms-work/lib';

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

  it('draws heatmaps interactive (Plotly, hover names row, column and value) over a static figure without a canvas', () => {
    const bundle = heatmapBundle(
      [
        [0, 1],
        [2, 3],
      ],
      { x: ['a', 'a'], y: ['c', 'd'], title: 'weights', xLabel: 'key', yLabel: 'query' },
    );
    const html = bundle['text/html'] as string;
    expect(html).toMatch(/class="how-llms-plotly"[^>]*><figure/);
    expect(html).toContain('weights');
    expect(marksIn(html, 'rect')).toBeGreaterThanOrEqual(4);
    expect(html).toContain('data:image/svg+xml;base64,');
    const figure = bundle[PLOTLY_MIME] as {
      data: { type: string; z: number[][]; customdata: string[][][]; hovertemplate: string }[];
      layout: { xaxis: { ticktext: string[] }; yaxis: { autorange: string } };
    };
    expect(figure.data[0].type).toBe('heatmap');
    expect(figure.data[0].z).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(figure.data[0].customdata[1][0]).toEqual(['d', 'a']);
    expect(figure.data[0].hovertemplate).toMatch(
      /^query %\{customdata\[0\]\}<br>key %\{customdata\[1\]\}<br>value %\{z/,
    );
    // Repeated labels stay two columns: cells sit at indices, labels are tick texts.
    expect(figure.layout.xaxis.ticktext).toEqual(['a', 'a']);
    expect(figure.layout.yaxis.autorange).toBe('reversed');
  });

  it('keeps the first label of the colour legend whole (0.0, not .0)', () => {
    const html = heatmapBundle([
      [0, 0.5],
      [0.25, 1],
    ])['text/html'] as string;
    const first = html.match(/class="plot-[a-z0-9]+-ramp"[\s\S]*?class="tick"/)?.[0] ?? '';
    const x = Number(
      html
        .slice(html.indexOf(first))
        .match(/translate\(([\d.]+),0\)" opacity="1" class="tick"><line[^>]*\/><text[^>]*>0\.0</)?.[1],
    );
    expect(x).toBeGreaterThanOrEqual(10);
  });

  it('rejects heatmap labels that do not fit the matrix', () => {
    expect(() => heatmapBundle([[1, 2]], { x: ['only one'] })).toThrow(/labels do not fit a 1x2 matrix/);
  });
});

describe('Plotly', () => {
  it('carries the figure JSON, HTML that draws it and a static SVG fallback', () => {
    const bundle = plotlyBundle([{ type: 'scatter', x: [1, 2, 3], y: [3, 1, 2], mode: 'lines', name: 'loss' }], {
      title: { text: 'Loss' },
    });
    const figure = bundle[PLOTLY_MIME] as { data: { y: number[] }[] };
    expect(figure.data[0].y).toEqual([3, 1, 2]);
    const html = bundle['text/html'] as string;
    expect(html).toContain('Plotly.newPlot');
    expect(html).toMatch(/<div id="plotly-[^"]+" class="how-llms-plotly"[^>]*><(svg|figure)/);
    expect(bundle['text/plain']).toContain('Loss');
  });

  it('carries a loader, not the library, in every chart: small, no CDN, no require.js', () => {
    for (let i = 0; i < 2; i++) {
      const html = plotlyBundle([{ type: 'bar', x: ['a'], y: [1] }])['text/html'] as string;
      expect(html.length).toBeLessThan(100_000);
      expect(html).toContain(PLOTLY_LOADER);
      expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)|require\(/);
    }
  });

  it('loads plotly.js once per page from the Jupyter server, trying the folder of the notebook and each one above', async () => {
    const run = async (pathname: string, configBase?: string) => {
      const tried: string[] = [];
      const win: Record<string, unknown> = {};
      const drawn: number[] = [];
      const doc = {
        getElementById: (id: string) =>
          id === 'jupyter-config-data' && configBase ? { textContent: JSON.stringify({ baseUrl: configBase }) } : null,
        body: { getAttribute: (name: string) => (name === 'data-base-url' ? '/nb/' : null) },
      };
      const fetchStub = async (url: string) => {
        tried.push(url);
        // plotly.js's UMD header: with define, module and exports hidden it sets the global.
        const code = "if (typeof define === 'function') throw new Error('AMD'); this.Plotly = { newPlot() {} };";
        return url === '/nb/files/node_modules/plotly.js-dist-min/plotly.min.js' ||
          url.startsWith('/lab-base/files/node_modules/')
          ? { ok: true, text: async () => code }
          : { ok: false, status: 404, text: async () => '' };
      };
      const loader = new Function('window', 'document', 'location', 'fetch', 'console', `return (${PLOTLY_LOADER});`)(
        win,
        doc,
        { pathname },
        fetchStub,
        console,
      );
      loader(() => drawn.push(1));
      loader(() => drawn.push(2)); // a second chart on the same page waits for the same load
      await new Promise((r) => setTimeout(r, 20));
      return { tried, drawn, plotly: Boolean(win.Plotly) };
    };
    const classic = await run('/nb/notebooks/course/notebooks/05-attention.ipynb');
    expect(classic.tried).toEqual([
      '/nb/files/course/notebooks/node_modules/plotly.js-dist-min/plotly.min.js',
      '/nb/files/course/node_modules/plotly.js-dist-min/plotly.min.js',
      '/nb/files/node_modules/plotly.js-dist-min/plotly.min.js',
    ]);
    expect(classic).toMatchObject({ drawn: [1, 2], plotly: true });
    const lab = await run('/lab-base/lab/tree/notebooks/05-attention.ipynb', '/lab-base/');
    expect(lab.tried[0]).toBe('/lab-base/files/notebooks/node_modules/plotly.js-dist-min/plotly.min.js');
    expect(lab).toMatchObject({ drawn: [1, 2], plotly: true });
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
    expect(chart.points).toEqual([
      { step: 0, train: 4.2, val: 4.2 },
      { step: 10, train: 3.1, val: 3.3 },
    ]);
    expect(chart.output.last?.['text/html']).toContain('val 3.300');
    // The final drawing is interactive: one trace per curve, hover gives step and loss.
    const figure = chart.output.last?.[PLOTLY_MIME] as { data: { name: string; x: number[]; hovertemplate: string }[] };
    expect(figure.data.map((t) => t.name)).toEqual(['train', 'validation']);
    expect(figure.data[1].x).toEqual([0, 10]);
    expect(figure.data[0].hovertemplate).toMatch(/step %\{x\}, loss %\{y/);
  });

  it('names in its legend only the curves it draws', () => {
    const chart = liveLossChart({ minIntervalMs: 60_000 });
    chart.update(0, { train: 2 });
    chart.update(5, { train: 1 });
    expect(chart.output.last?.['text/html']).not.toContain('validation');
    chart.done();
    expect(chart.output.last?.['text/html']).not.toContain('validation');
    expect((chart.output.last?.[PLOTLY_MIME] as { data: unknown[] }).data).toHaveLength(1);
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
