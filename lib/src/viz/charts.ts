/** Small one-call charts and tables that several chapters share. */
import { display, escapeHtml, MimeBundle } from './display';
import { Plot, plotMarkup } from './plot';
import { plotlyBundle } from './plotly';

/** Plotly's name for an Observable Plot colour scheme the course uses (viridis, rdbu, blues, …); Viridis otherwise. */
function plotlyColorscale(scheme: string): string {
  const known: Record<string, string> = {
    viridis: 'Viridis',
    rdbu: 'RdBu',
    blues: 'Blues',
    reds: 'Reds',
    greens: 'Greens',
    greys: 'Greys',
    ylorrd: 'YlOrRd',
    magma: 'Hot',
    inferno: 'Hot',
    cividis: 'Cividis',
    symmetric: 'RdBu',
  };
  return known[scheme.toLowerCase()] ?? 'Viridis';
}

/** Options of `heatmap`: axis labels for rows (y) and columns (x), a title, and the colour scheme. */
export interface HeatmapOptions {
  x?: (string | number)[];
  y?: (string | number)[];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  scheme?: string;
  width?: number;
  height?: number;
}

/**
 * The bundle of a heatmap of a (rows, cols) matrix: attention weights, positional encodings, confusion tables.
 * Interactive (hover a cell for its row, column and value) where Plotly runs; a static SVG elsewhere.
 */
export function heatmapBundle(matrix: number[][], options: HeatmapOptions = {}): MimeBundle {
  const rows = matrix.length;
  const cols = rows ? matrix[0].length : 0;
  const xs = options.x ?? Array.from({ length: cols }, (_, i) => i);
  const ys = options.y ?? Array.from({ length: rows }, (_, i) => i);
  if (xs.length !== cols || ys.length !== rows) {
    throw new Error(
      `heatmap labels do not fit a ${rows}x${cols} matrix: got ${ys.length} row and ${xs.length} column labels`,
    );
  }
  // Band scales need distinct names: positions keep their order, repeated tokens get a suffix.
  const unique = (labels: (string | number)[]) =>
    labels.map((l, i) => (labels.indexOf(l) === i ? String(l) : `${l}\u200b${i}`));
  const ux = unique(xs);
  const uy = unique(ys);
  const cells = matrix.flatMap((row, r) => row.map((value, c) => ({ x: ux[c], y: uy[r], value })));
  const small = cols <= 40 && rows <= 40;
  const height = options.height ?? Math.max(200, Math.min(640, rows * (small ? 22 : 4) + 80));
  const scheme = options.scheme ?? 'viridis';
  const { markup } = plotMarkup({
    title: options.title,
    width: options.width,
    height,
    padding: 0,
    x: {
      type: 'band',
      label: options.xLabel ?? null,
      domain: ux,
      tickRotate: cols > 12 ? -60 : 0,
      ticks: small ? undefined : [],
    },
    y: { type: 'band', label: options.yLabel ?? null, domain: uy, ticks: small ? undefined : [] },
    // The ramp legend's first tick label sits on its left edge: a margin keeps "0.0" whole.
    color: {
      scheme: scheme as Plot.ColorScheme,
      legend: true,
      ...({ marginLeft: 16, marginRight: 16, width: 272 } as object),
    },
    marks: [Plot.cell(cells, { x: 'x', y: 'y', fill: 'value', inset: 0 })],
  });
  // Plotly merges repeated category names, so cells sit at their indices and the labels are tick texts.
  const index = (n: number) => Array.from({ length: n }, (_, i) => i);
  const axis = (labels: (string | number)[], title?: string) => ({
    title: title ? { text: title } : undefined,
    tickmode: 'array',
    tickvals: small ? index(labels.length) : [],
    ticktext: small ? labels.map(String) : [],
    showgrid: false,
    zeroline: false,
  });
  const trace = {
    type: 'heatmap',
    z: matrix,
    x: index(cols),
    y: index(rows),
    customdata: matrix.map((row, r) => row.map((_, c) => [String(ys[r]), String(xs[c])])),
    hovertemplate: `${options.yLabel ?? 'row'} %{customdata[0]}<br>${options.xLabel ?? 'column'} %{customdata[1]}<br>value %{z:.4g}<extra></extra>`,
    colorscale: plotlyColorscale(scheme),
    ...(scheme === 'symmetric' || scheme === 'rdbu' ? { zmid: 0 } : {}),
  };
  const layout = {
    title: options.title ? { text: options.title } : undefined,
    height: height + 40,
    width: options.width,
    margin: { t: options.title ? 40 : 10, r: 10, b: 50, l: 60 },
    xaxis: { ...axis(xs, options.xLabel), tickangle: cols > 12 ? -60 : 0 },
    yaxis: { ...axis(ys, options.yLabel), autorange: 'reversed' },
  };
  return plotlyBundle([trace], layout, {}, markup);
}

/** Draw a heatmap of a (rows, cols) matrix. */
export function heatmap(matrix: number[][], options: HeatmapOptions = {}): void {
  display(heatmapBundle(matrix, options));
}

/** The bundle of an HTML table of rows (objects with the same keys); numbers are shown with 4 significant digits. */
export function tableBundle(rows: Record<string, unknown>[], options: { caption?: string } = {}): MimeBundle {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fmt = (v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)).toString() : String(v ?? '');
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(fmt(r[c]))}</td>`).join('')}</tr>`).join('');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  const text = [columns.join('\t'), ...rows.map((r) => columns.map((c) => fmt(r[c])).join('\t'))].join('\n');
  return { 'text/html': `<table>${caption}<thead>${head}</thead><tbody>${body}</tbody></table>`, 'text/plain': text };
}

/** Show a table of rows: `table([{ model: 'baby', params: 0.8e6 }])`. */
export function table(rows: Record<string, unknown>[], options: { caption?: string } = {}): void {
  display(tableBundle(rows, options));
}

/** Show Markdown (`show('**bold**')`) or HTML (`show('<b>bold</b>', 'html')`). */
export function show(content: string, kind: 'markdown' | 'html' = 'markdown'): void {
  display(
    kind === 'markdown'
      ? { 'text/markdown': content, 'text/plain': content }
      : { 'text/html': content, 'text/plain': content },
  );
}
