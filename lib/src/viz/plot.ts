/**
 * Observable Plot rendered on the server to SVG: the chart is plain markup, so it shows in JupyterLab,
 * classic Notebook, VS Code, exported HTML and GitHub's viewer, with no JavaScript and no network.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { display, MimeBundle } from './display';

export { Plot };

/**
 * Plot's continuous colour legends paint a ramp on a canvas, which a server has not got. This stand-in
 * records the painted cells and turns them into an SVG image, so ramps render everywhere too.
 */
function fakeCanvas() {
  const cells: { x: number; y: number; w: number; h: number; fill: string }[] = [];
  const context = {
    fillStyle: '#000',
    fillRect(x: number, y: number, w: number, h: number) {
      cells.push({ x, y, w, h, fill: String(this.fillStyle) });
    },
  };
  return {
    width: 300,
    height: 150,
    getContext: () => context,
    toDataURL() {
      const rects = cells
        .map((c) => `<rect x="${c.x}" y="${c.y}" width="${c.w}" height="${c.h}" fill="${c.fill}"/>`)
        .join('');
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" preserveAspectRatio="none">${rects}</svg>`;
      return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    },
  };
}

function serverDocument(): Document {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const createElement = document.createElement.bind(document);
  (document as unknown as { createElement: (tag: string) => unknown }).createElement = (tag: string) =>
    tag.toLowerCase() === 'canvas' ? fakeCanvas() : createElement(tag);
  return document as unknown as Document;
}

/** Render Plot options to markup: a bare `<svg>` or, with a title, legend or caption, a `<figure>`. */
export function plotMarkup(options: Plot.PlotOptions): { markup: string; kind: 'svg' | 'figure' } {
  const element = Plot.plot({ ...options, document: serverDocument() }) as unknown as Element;
  if (element.tagName.toLowerCase() === 'svg') {
    element.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    return { markup: element.outerHTML, kind: 'svg' };
  }
  for (const svg of Array.from(element.querySelectorAll('svg')))
    svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // Plot writes a figure's title and subtitle as <h2> and <h3>, which notebooks and the website style (and list) as
  // section headings: they become plain captions.
  const markup = element.outerHTML
    .replace(
      /<h2>([\s\S]*?)<\/h2>/,
      '<div class="chart-title" style="font-weight:600;font-size:14px;line-height:1.3;margin:0 0 2px">$1</div>',
    )
    .replace(
      /<h3>([\s\S]*?)<\/h3>/,
      '<div class="chart-subtitle" style="font-size:12px;line-height:1.3;opacity:0.8;margin:0 0 4px">$1</div>',
    );
  return { markup, kind: 'figure' };
}

/** The MIME bundle of a Plot chart (SVG, or HTML for figures with a title or legend). */
export function plotBundle(options: Plot.PlotOptions): MimeBundle {
  const { markup, kind } = plotMarkup(options);
  const text = `[chart${options.title ? `: ${String(options.title)}` : ''}]`;
  return kind === 'svg' ? { 'image/svg+xml': markup, 'text/plain': text } : { 'text/html': markup, 'text/plain': text };
}

/** Draw an Observable Plot chart in the notebook: `plot({ marks: [Plot.lineY(data, { x: 'step', y: 'loss' })] })`. */
export function plot(options: Plot.PlotOptions): void {
  display(plotBundle(options));
}
