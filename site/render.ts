/**
 * Render executed notebooks as static HTML pages that work offline: Markdown with KaTeX math, highlighted code,
 * and every output (SVG charts inline, Plotly charts drawn by a local plotly.js, text, images).
 */
import hljs from 'highlight.js/lib/core';
import typescript from 'highlight.js/lib/languages/typescript';
import bash from 'highlight.js/lib/languages/bash';
import katex from 'katex';
import MarkdownIt from 'markdown-it';

hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('bash', bash);

/** A notebook cell as nbformat 4 stores it. */
export interface NotebookCell {
  cell_type: 'markdown' | 'code' | 'raw';
  source: string | string[];
  outputs?: NotebookOutput[];
}

/** One output of a code cell. */
export interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** A chapter page's place in the course. */
export interface ChapterMeta {
  file: string;
  number: string;
  title: string;
  summary: string;
  exercises: { file: string; name: string; doc: string }[];
  chapterKey?: string;
}

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const join = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Markdown to HTML with `$…$` and `$$…$$` typeset by KaTeX; links to other notebooks point at their pages. */
export function renderMarkdown(markdown: string): string {
  const math: string[] = [];
  const keep = (tex: string, display: boolean) => {
    math.push(katex.renderToString(tex, { displayMode: display, throwOnError: false }));
    return `@@MATH${math.length - 1}@@`;
  };
  // Protect math from the Markdown parser (underscores and asterisks are common in formulas), but not code.
  const protectedText = markdown
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\$\$([\s\S]+?)\$\$/g, (_, t) => keep(t, true)).replace(/\$([^$\n]+?)\$/g, (_, t) => keep(t, false))))
    .join('');
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false, highlight: (code, lang) => highlight(code, lang) });
  return md
    .render(protectedText)
    .replace(/@@MATH(\d+)@@/g, (_, i) => math[Number(i)])
    .replace(/href="([^"]*?)\.ipynb(#[^"]*)?"/g, (_, base, hash = '') => `href="${base.replace(/^(\.\/)?(notebooks\/)?/, '')}.html${hash}"`);
}

function highlight(code: string, lang?: string): string {
  const language = lang === 'ts' || lang === 'typescript' ? 'typescript' : lang === 'bash' || lang === 'sh' ? 'bash' : undefined;
  return language ? hljs.highlight(code, { language }).value : escape(code);
}

let plotCounter = 0;

function renderData(data: Record<string, unknown>): string {
  if (data[PLOTLY_MIME]) {
    const id = `plotly-site-${plotCounter++}`;
    const figure = JSON.stringify(data[PLOTLY_MIME]).replace(/</g, '\\u003c');
    return `<div class="plotly-chart" id="${id}"></div><script>(function(){var f=${figure};Plotly.newPlot(${JSON.stringify(id)},f.data,f.layout,f.config);})();</script>`;
  }
  if (typeof data['image/svg+xml'] === 'string' || Array.isArray(data['image/svg+xml'])) return `<div class="chart">${join(data['image/svg+xml'] as string)}</div>`;
  if (data['text/html'] !== undefined) return `<div class="html-output">${join(data['text/html'] as string)}</div>`;
  if (data['image/png']) return `<img alt="chart" src="data:image/png;base64,${join(data['image/png'] as string).trim()}">`;
  if (data['text/markdown'] !== undefined) return `<div class="markdown-output">${renderMarkdown(join(data['text/markdown'] as string))}</div>`;
  return `<pre class="text-output">${escape(join(data['text/plain'] as string))}</pre>`;
}

function renderOutput(output: NotebookOutput): string {
  switch (output.output_type) {
    case 'stream':
      return `<pre class="stream ${output.name === 'stderr' ? 'stderr' : 'stdout'}">${escape(join(output.text))}</pre>`;
    case 'error':
      return `<pre class="stream stderr">${escape([output.ename, output.evalue].filter(Boolean).join(': '))}</pre>`;
    default:
      return renderData(output.data ?? {});
  }
}

/** One chapter page: its cells and outputs, links to its neighbours, and its exercises. */
export function renderChapter(cells: NotebookCell[], meta: ChapterMeta, nav: { prev?: ChapterMeta; next?: ChapterMeta }): string {
  const body = cells
    .map((cell) => {
      const source = join(cell.source);
      if (cell.cell_type === 'markdown') return `<section class="prose">${renderMarkdown(source)}</section>`;
      if (cell.cell_type !== 'code') return '';
      const outputs = (cell.outputs ?? []).map(renderOutput).join('\n');
      return `<section class="cell"><pre class="code"><code class="hljs language-typescript">${highlight(source, 'typescript')}</code></pre>${outputs ? `<div class="outputs">${outputs}</div>` : ''}</section>`;
    })
    .join('\n');
  const exercises = meta.exercises.length
    ? `<section class="exercises"><h2>Exercises for this chapter</h2><p>Write the functions in <code>exercises/${escape(meta.chapterKey ?? '')}/</code>, then check them with <code>npm run check -- ch${meta.number}</code>.</p><ul>${meta.exercises
        .map((e) => `<li><code>${escape(e.name)}</code> in <code>${escape(e.file)}</code>: ${escape(e.doc)}</li>`)
        .join('')}</ul></section>`
    : '';
  const links = `<nav class="chapter-nav">${nav.prev ? `<a rel="prev" href="${pageName(nav.prev)}">← ${escape(nav.prev.title)}</a>` : '<span></span>'}<a href="index.html">Contents</a>${nav.next ? `<a rel="next" href="${pageName(nav.next)}">${escape(nav.next.title)} →</a>` : '<span></span>'}</nav>`;
  return page(meta.title, `${links}<main>${body}${exercises}</main>${links}`);
}

/** The index: every chapter with its short description. */
export function renderIndex(chapters: ChapterMeta[], intro: string): string {
  const items = chapters
    .map((c) => `<li><a href="${pageName(c)}">${escape(c.title)}</a><p>${escape(c.summary)}</p>${c.exercises.length ? `<p class="muted">${c.exercises.length} exercises</p>` : ''}</li>`)
    .join('');
  return page('How LLMs Work', `<main><section class="prose">${renderMarkdown(intro)}</section><ol class="chapters">${items}</ol></main>`);
}

/** The HTML file name of a chapter's page. */
export function pageName(meta: ChapterMeta): string {
  return meta.file.replace(/\.ipynb$/, '.html');
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/highlight.css">
<link rel="stylesheet" href="assets/site.css">
<script src="assets/plotly.min.js"></script>
</head>
<body>
${content}
</body>
</html>
`;
}

/** The site's own stylesheet. */
export const SITE_CSS = `
body { font-family: system-ui, sans-serif; line-height: 1.55; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; color: #1b1b1b; }
pre { overflow-x: auto; padding: 0.6rem 0.8rem; border-radius: 4px; }
pre.code { background: #f6f8fa; border: 1px solid #e1e4e8; }
pre.stream { background: #fff; border-left: 3px solid #c8d1dc; margin: 0.3rem 0; }
pre.stderr { border-left-color: #d73a49; background: #fff5f5; }
.outputs { margin: 0.2rem 0 1.2rem 0; }
.chart svg, .html-output svg { max-width: 100%; height: auto; }
.plotly-chart { min-height: 420px; }
.chapter-nav { display: flex; justify-content: space-between; margin: 1rem 0; font-size: 0.95rem; }
ol.chapters li { margin-bottom: 0.8rem; }
ol.chapters p { margin: 0.1rem 0; }
.muted { color: #666; font-size: 0.9rem; }
table { border-collapse: collapse; } th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; }
`;
