/**
 * Interactive Plotly charts. The MIME bundle carries the Plotly JSON (JupyterLab and VS Code render it
 * natively with the Plotly extension), HTML that draws the chart with a bundled plotly.js (classic Notebook,
 * JupyterLab without the extension, exported HTML; no CDN, works offline), and inside that HTML a static
 * SVG drawn by Observable Plot that stays visible where scripts do not run (GitHub's viewer).
 */
import * as fs from 'node:fs';
import { display, escapeHtml, MimeBundle } from './display';
import { Plot, plotMarkup } from './plot';

/** A Plotly trace, as in plotly.js (`{ type: 'scatter', x, y, mode: 'lines', name }`, `{ type: 'heatmap', z }`, …). */
export type PlotlyTrace = Record<string, unknown> & { type?: string };
/** A Plotly layout (`{ title: { text }, xaxis: { title: { text } }, … }`). */
export type PlotlyLayout = Record<string, unknown>;

/** The MIME type that Plotly's Jupyter renderers read. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

let libraryShown = false;
let counter = 0;

/** plotly.js source, wrapped so that its UMD header sets `window.Plotly` even where require.js is loaded. */
export function plotlyLibraryScript(): string {
  const file = require.resolve('plotly.js-dist-min/plotly.min.js');
  const source = fs.readFileSync(file, 'utf8');
  return `<script type="text/javascript">(function(){var define=undefined,module=undefined,exports=undefined;\n${source}\n}).call(window);</script>`;
}

function titleText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  return undefined;
}

/** Static SVG stand-in for common traces (scatter, bar, heatmap); other types get a caption only. */
export function plotlyStaticMarkup(data: PlotlyTrace[], layout: PlotlyLayout = {}): string {
  const marks: Plot.Markish[] = [];
  let colorLegend = false;
  for (const [i, trace] of data.entries()) {
    const name = String(trace.name ?? `trace ${i}`);
    const type = trace.type ?? 'scatter';
    if (type === 'heatmap' && Array.isArray(trace.z)) {
      const z = trace.z as number[][];
      const xs = (trace.x as unknown[]) ?? z[0].map((_, j) => j);
      const ys = (trace.y as unknown[]) ?? z.map((_, r) => r);
      const cells = z.flatMap((row, r) => row.map((v, c) => ({ x: String(xs[c]), y: String(ys[r]), v })));
      marks.push(Plot.cell(cells, { x: 'x', y: 'y', fill: 'v' }));
      colorLegend = true;
    } else if ((type === 'scatter' || type === 'scattergl' || type === 'bar') && Array.isArray(trace.y)) {
      const ys = trace.y as number[];
      const xs = (trace.x as unknown[]) ?? ys.map((_, j) => j);
      const rows = ys.map((y, j) => ({ x: xs[j], y, name }));
      if (type === 'bar') marks.push(Plot.barY(rows, { x: 'x', y: 'y', fill: 'name' }));
      else {
        const mode = String(trace.mode ?? 'lines');
        if (mode.includes('lines')) marks.push(Plot.line(rows, { x: 'x', y: 'y', stroke: 'name' }));
        if (mode.includes('markers')) marks.push(Plot.dot(rows, { x: 'x', y: 'y', fill: 'name', r: 2 }));
      }
    }
  }
  const xaxis = (layout.xaxis ?? {}) as Record<string, unknown>;
  const yaxis = (layout.yaxis ?? {}) as Record<string, unknown>;
  const { markup } = plotMarkup({
    title: titleText(layout.title),
    x: { label: titleText(xaxis.title) ?? null, ...(colorLegend ? { type: 'band' as const } : {}) },
    y: { label: titleText(yaxis.title) ?? null, grid: !colorLegend, ...(colorLegend ? { type: 'band' as const } : {}) },
    color: colorLegend ? { legend: true, scheme: 'viridis' } : { legend: data.length > 1 },
    marks: marks.length ? marks : [Plot.text(['(interactive chart: open in Jupyter to see it)'], { frameAnchor: 'middle' })],
  });
  return markup;
}

/** The MIME bundle of a Plotly chart; the first one in a kernel session also carries plotly.js itself. */
export function plotlyBundle(data: PlotlyTrace[], layout: PlotlyLayout = {}, config: Record<string, unknown> = {}): MimeBundle {
  const id = `plotly-${process.pid}-${counter++}`;
  const figure = { data, layout, config: { responsive: true, displaylogo: false, ...config } };
  const library = libraryShown ? '' : plotlyLibraryScript();
  libraryShown = true;
  const json = JSON.stringify(figure).replace(/</g, '\\u003c');
  const html =
    `${library}<div id="${id}" class="how-llms-plotly" style="min-height:${Number(layout.height ?? 420)}px">${plotlyStaticMarkup(data, layout)}</div>` +
    `<script type="text/javascript">(function(){var fig=${json};function draw(){var el=document.getElementById(${JSON.stringify(id)});` +
    `if(!el)return;el.innerHTML='';window.Plotly.newPlot(el,fig.data,fig.layout,fig.config);}` +
    `if(window.Plotly){draw();}else{var n=0,t=setInterval(function(){if(window.Plotly||++n>100){clearInterval(t);if(window.Plotly)draw();}},100);}})();</script>`;
  return {
    [PLOTLY_MIME]: figure,
    'text/html': html,
    'text/plain': `[interactive chart${titleText(layout.title) ? `: ${escapeHtml(titleText(layout.title) as string)}` : ''}]`,
  };
}

/** Draw an interactive Plotly chart: `plotly([{ type: 'scatter', x, y, mode: 'lines' }], { title: { text: 'Loss' } })`. */
export function plotly(data: PlotlyTrace[], layout: PlotlyLayout = {}, config: Record<string, unknown> = {}): void {
  display(plotlyBundle(data, layout, config));
}
