/**
 * Interactive Plotly charts. The MIME bundle carries Plotly's own JSON (`application/vnd.plotly.v1+json`: JupyterLab
 * with Plotly's extension, VS Code and the course's website draw it natively) and HTML for every other front end:
 * a static SVG drawn by Observable Plot (visible where scripts do not run: GitHub's viewer, exported HTML) and a small
 * script that swaps in the interactive chart. The script needs no CDN and no require.js: when the page has no Plotly
 * yet, it fetches plotly.js from the course's own node_modules through the Jupyter server (`/files/...`), once per
 * page, so charts stay interactive after a reload, a re-run or a kernel restart, offline.
 */
import { display, escapeHtml, MimeBundle } from './display';
import { Plot, plotMarkup } from './plot';

/** A Plotly trace, as in plotly.js (`{ type: 'scatter', x, y, mode: 'lines', name }`, `{ type: 'heatmap', z }`, …). */
export type PlotlyTrace = Record<string, unknown> & { type?: string };
/** A Plotly layout (`{ title: { text }, xaxis: { title: { text } }, … }`). */
export type PlotlyLayout = Record<string, unknown>;

/** The MIME type that Plotly's Jupyter renderers read. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

let counter = 0;

/** Where plotly.js lies inside the course, relative to the repository root (served by Jupyter as /files/…). */
export const PLOTLY_LIBRARY_PATH = 'node_modules/plotly.js-dist-min/plotly.min.js';

/**
 * The browser-side loader every chart's HTML carries (ES5, no require.js): draw now when `window.Plotly` exists,
 * else queue the drawing and load plotly.js once per page from the Jupyter server. The candidates are the folder of
 * the open notebook and each folder above it, so it works wherever the server's root is (repository or notebooks/).
 * plotly.js is evaluated with `define`, `module` and `exports` hidden, so it sets `window.Plotly` even where
 * require.js is loaded (classic Notebook).
 */
export const PLOTLY_LOADER = `function(draw){var w=window;if(w.Plotly){draw();return;}
var s=w.__howLlmsPlotly=w.__howLlmsPlotly||{queue:[],state:'idle'};s.queue.push(draw);if(s.state!=='idle')return;s.state='loading';
var base='/',doc='';try{var cfg=document.getElementById('jupyter-config-data');if(cfg){base=JSON.parse(cfg.textContent).baseUrl||base;}
else if(document.body&&document.body.getAttribute('data-base-url')){base=document.body.getAttribute('data-base-url');}}catch(e){}
var m=decodeURIComponent(location.pathname).match(/\\/(?:lab\\/(?:workspaces\\/[^\\/]+\\/)?tree|notebooks|doc\\/tree|tree)\\/(.*)$/);
if(m){doc=m[1];}else if(document.body&&document.body.getAttribute('data-notebook-path')){doc=document.body.getAttribute('data-notebook-path');}
var dirs=doc.split('/').slice(0,-1),urls=[];for(var i=dirs.length;i>=0;i--){urls.push(base+'files/'+dirs.slice(0,i).concat(['${PLOTLY_LIBRARY_PATH}']).join('/'));}
function flush(){var q=s.queue;s.queue=[];for(var j=0;j<q.length;j++){try{q[j]();}catch(e){console.error(e);}}}
(function next(k){if(k>=urls.length){s.state='idle';s.queue=[];return;}
fetch(urls[k],{credentials:'same-origin'}).then(function(r){if(!r.ok)throw new Error(r.status);return r.text();})
.then(function(code){new Function('define','module','exports',code).call(w);if(!w.Plotly)throw new Error('no Plotly');s.state='ready';flush();})
.catch(function(){next(k+1);});})(0);}`;

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
        if (mode.includes('markers'))
          marks.push(Plot.dot(rows, { x: 'x', y: 'y', fill: 'name', r: mode.includes('text') ? 4 : 2 }));
        if (mode.includes('text') && Array.isArray(trace.text)) {
          const labels = trace.text as unknown[];
          marks.push(
            Plot.text(
              rows.map((r, j) => ({ ...r, label: String(labels[j] ?? '') })),
              { x: 'x', y: 'y', text: 'label', dy: -8 },
            ),
          );
        }
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
    marks: marks.length
      ? marks
      : [Plot.text(['(interactive chart: open in Jupyter to see it)'], { frameAnchor: 'middle' })],
  });
  return markup;
}

/**
 * The MIME bundle of a Plotly chart: Plotly's JSON, and HTML with a static SVG that turns interactive where scripts
 * run. `staticMarkup` replaces the automatic SVG stand-in (heatmaps and loss charts pass their own Plot drawing).
 */
export function plotlyBundle(
  data: PlotlyTrace[],
  layout: PlotlyLayout = {},
  config: Record<string, unknown> = {},
  staticMarkup?: string,
): MimeBundle {
  const id = `plotly-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const figure = { data, layout, config: { responsive: true, displaylogo: false, ...config } };
  const json = JSON.stringify(figure).replace(/</g, '\\u003c');
  const html =
    `<div id="${id}" class="how-llms-plotly" style="min-height:${Number(layout.height ?? 420)}px">${staticMarkup ?? plotlyStaticMarkup(data, layout)}</div>` +
    `<script type="text/javascript">(${PLOTLY_LOADER})(function(){var fig=${json};var el=document.getElementById(${JSON.stringify(id)});` +
    `if(!el)return;el.innerHTML='';window.Plotly.newPlot(el,fig.data,fig.layout,fig.config);});</script>`;
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
