/**
 * Render executed notebooks as static HTML pages that work offline: Markdown with KaTeX math, highlighted code,
 * every output (SVG charts inline, Plotly charts drawn by a local plotly.js on the pages that have one), a chapter
 * sidebar with previous/next links, client-side search over an index built here, and a dark mode that follows the
 * system. Opened from disk (file://) or any static host.
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

/** A chapter page's place in the course; `summary` and each exercise's `doc` are Markdown. */
export interface ChapterMeta {
  file: string;
  number: string;
  title: string;
  summary: string;
  exercises: { file: string; name: string; doc: string }[];
  chapterKey?: string;
}

/** One entry of the search index: a section of a page, as plain text. */
export interface SearchEntry {
  page: string;
  anchor: string;
  title: string;
  text: string;
}

/** A rendered chapter: its HTML page and the sections the search index gets. */
export interface RenderedPage {
  html: string;
  sections: SearchEntry[];
}

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
const join = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));
const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function protectMath(markdown: string, math: string[]): string {
  const keep = (tex: string, display: boolean) => {
    math.push(katex.renderToString(tex, { displayMode: display, throwOnError: false }));
    return `@@MATH${math.length - 1}@@`;
  };
  // Protect math from the Markdown parser (underscores and asterisks are common in formulas), but not code.
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/\$\$([\s\S]+?)\$\$/g, (_, t) => keep(t, true))
            .replace(/\$([^$\n]+?)\$/g, (_, t) => keep(t, false)),
    )
    .join('');
}

const markdownIt = () =>
  new MarkdownIt({ html: true, linkify: false, typographer: false, highlight: (code, lang) => highlight(code, lang) });

function finish(html: string, math: string[]): string {
  return html
    .replace(/@@MATH(\d+)@@/g, (_, i) => math[Number(i)])
    .replace(
      /href="([^"]*?)\.ipynb(#[^"]*)?"/g,
      (_, base, hash = '') => `href="${base.replace(/^(\.\/)?(notebooks\/)?/, '')}.html${hash}"`,
    )
    .replace(/<table>/g, '<div class="table-wrap"><table>')
    .replace(/<\/table>/g, '</table></div>');
}

/** Markdown to HTML with `$…$` and `$$…$$` typeset by KaTeX; links to other notebooks point at their pages. */
export function renderMarkdown(markdown: string): string {
  const math: string[] = [];
  return finish(markdownIt().render(protectMath(markdown, math)), math);
}

/** One paragraph of Markdown as inline HTML (no <p>), math included: summaries and exercise contracts. */
export function renderInline(markdown: string): string {
  const math: string[] = [];
  return finish(markdownIt().renderInline(protectMath(markdown, math)), math);
}

function highlight(code: string, lang?: string): string {
  const language =
    lang === 'ts' || lang === 'typescript' ? 'typescript' : lang === 'bash' || lang === 'sh' ? 'bash' : undefined;
  return language ? hljs.highlight(code, { language }).value : escape(code);
}

/** Plain text of an HTML fragment (tags dropped, entities decoded), whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style|svg|annotation)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<span class="katex-mathml">[\s\S]*?<\/span>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A URL fragment for a heading: lowercase words joined by '-'. */
export function slug(text: string): string {
  return (
    textOf(text)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  );
}

let plotCounter = 0;

function renderData(data: Record<string, unknown>): string {
  if (data[PLOTLY_MIME]) {
    const id = `plotly-site-${plotCounter++}`;
    const figure = JSON.stringify(data[PLOTLY_MIME]).replace(/</g, '\\u003c');
    // The static drawing the kernel sent beside the figure stays until plotly.js replaces it (and where scripts do not run).
    const fallback = join(data['text/html'] as string | string[] | undefined)
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/ id="plotly-[^"]*"/g, '');
    return `<div class="plotly-chart" id="${id}" data-figure="${id}-figure">${fallback}</div><script type="application/json" id="${id}-figure">${figure}</script>`;
  }
  if (typeof data['image/svg+xml'] === 'string' || Array.isArray(data['image/svg+xml']))
    return `<div class="chart">${join(data['image/svg+xml'] as string)}</div>`;
  if (data['text/html'] !== undefined)
    return `<div class="html-output">${finish(join(data['text/html'] as string), [])}</div>`;
  if (data['image/png'])
    return `<img alt="chart" src="data:image/png;base64,${join(data['image/png'] as string).trim()}">`;
  if (data['text/markdown'] !== undefined)
    return `<div class="markdown-output">${renderMarkdown(join(data['text/markdown'] as string))}</div>`;
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

/** Give every h1–h3 a unique id (for links and search), and return the sections they start. */
function addHeadingIds(html: string): { html: string; headings: { id: string; title: string; index: number }[] } {
  const used = new Map<string, number>();
  const headings: { id: string; title: string; index: number }[] = [];
  let offset = 0;
  const out = html.replace(/<h([1-3])>([\s\S]*?)<\/h\1>/g, (whole, level, inner, index: number) => {
    const base = slug(inner);
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    const id = n ? `${base}-${n + 1}` : base;
    const replacement = `<h${level} id="${id}">${inner}<a class="anchor" href="#${id}" aria-label="Link to this section">#</a></h${level}>`;
    headings.push({ id, title: textOf(inner), index: index + offset });
    offset += replacement.length - whole.length;
    return replacement;
  });
  return { html: out, headings };
}

function exerciseList(meta: ChapterMeta): string {
  return `<dl class="exercise-list">${meta.exercises
    .map(
      (e) =>
        `<dt><code>${escape(e.name)}</code> <span class="muted">in <code>${escape(e.file)}</code></span></dt><dd>${renderInline(e.doc)}</dd>`,
    )
    .join('')}</dl>`;
}

/** A chapter's label: "Chapter 5" (the tour is chapter 0). */
export function chapterLabel(meta: ChapterMeta): string {
  return `Chapter ${Number(meta.number)}`;
}

/** One chapter page: its cells and outputs, the sidebar, links to its neighbours, and its exercises (once). */
export function renderChapter(
  cells: NotebookCell[],
  meta: ChapterMeta,
  nav: { prev?: ChapterMeta; next?: ChapterMeta; chapters?: ChapterMeta[] },
): RenderedPage {
  const hasOwnExercises = cells.some(
    (c) => c.cell_type === 'markdown' && /^#{1,3}\s+Exercises\s*$/m.test(join(c.source)),
  );
  const contracts = meta.exercises.length
    ? `<details class="exercise-contracts"><summary>The ${meta.exercises.length} functions to write, with their contracts</summary>${exerciseList(meta)}</details>`
    : '';
  let placed = false;
  const body = cells
    .map((cell) => {
      const source = join(cell.source);
      if (cell.cell_type === 'markdown') {
        let html = `<section class="prose">${renderMarkdown(source)}</section>`;
        if (!placed && hasOwnExercises && /^#{1,3}\s+Exercises\s*$/m.test(source)) {
          html += contracts;
          placed = true;
        }
        return html;
      }
      if (cell.cell_type !== 'code') return '';
      const outputs = (cell.outputs ?? []).map(renderOutput).join('\n');
      return `<section class="cell"><pre class="code"><code class="hljs language-typescript">${highlight(source, 'typescript')}</code></pre>${outputs ? `<div class="outputs">${outputs}</div>` : ''}</section>`;
    })
    .join('\n');
  const appended =
    meta.exercises.length && !placed
      ? `<section class="exercises prose"><h2>Exercises</h2><p>Write the functions in <code>exercises/${escape(meta.chapterKey ?? '')}/</code>, then check them with <code>npm run check -- ch${meta.number}</code>.</p>${exerciseList(meta)}</section>`
      : '';
  const { html: content, headings } = addHeadingIds(`${body}${appended}`);
  const page = pageName(meta);
  const sections: SearchEntry[] = headings.map((h, i) => ({
    page,
    anchor: h.id,
    title: i === 0 ? `${chapterLabel(meta)}: ${meta.title}` : `${chapterLabel(meta)} › ${h.title}`,
    text: textOf(content.slice(h.index, headings[i + 1]?.index ?? content.length)).slice(0, 6000),
  }));
  const link = (m: ChapterMeta | undefined, rel: 'prev' | 'next') =>
    m
      ? `<a rel="${rel}" href="${pageName(m)}"><span class="muted">${rel === 'prev' ? '← Previous' : 'Next →'}</span><br>${escape(chapterLabel(m))}: ${escape(m.title)}</a>`
      : '<span></span>';
  const pager = `<nav class="pager" aria-label="Previous and next chapter">${link(nav.prev, 'prev')}${link(nav.next, 'next')}</nav>`;
  const usesPlotly = content.includes('class="plotly-chart"');
  return {
    html: layout(
      `${chapterLabel(meta)}: ${meta.title}`,
      `${content}${pager}`,
      nav.chapters ?? [meta],
      page,
      usesPlotly,
    ),
    sections,
  };
}

/** The index: every chapter, numbered as the course numbers them (0 to N), with its summary. */
export function renderIndex(chapters: ChapterMeta[], intro: string): string {
  const items = chapters
    .map(
      (c) =>
        `<li><a href="${pageName(c)}"><span class="num">${Number(c.number)}</span>${escape(c.title)}</a><p>${renderInline(c.summary)}</p>${
          c.exercises.length ? `<p class="muted">${c.exercises.length} exercises</p>` : ''
        }</li>`,
    )
    .join('');
  return layout(
    'How LLMs Work',
    `<section class="prose">${renderMarkdown(intro)}</section><ol class="chapters">${items}</ol>`,
    chapters,
    'index.html',
    false,
  );
}

/** The HTML file name of a chapter's page. */
export function pageName(meta: ChapterMeta): string {
  return meta.file.replace(/\.ipynb$/, '.html');
}

function layout(title: string, content: string, chapters: ChapterMeta[], current: string, usesPlotly: boolean): string {
  const toc = chapters
    .map((c) => {
      const here = pageName(c) === current;
      return `<li${here ? ' class="current"' : ''}><a href="${pageName(c)}"${here ? ' aria-current="page"' : ''}><span class="num">${Number(c.number)}</span>${escape(c.title)}</a></li>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escape(title)}</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/highlight.css" media="(prefers-color-scheme: light)">
<link rel="stylesheet" href="assets/highlight-dark.css" media="(prefers-color-scheme: dark)">
<link rel="stylesheet" href="assets/site.css">
<script src="assets/search-index.js" defer></script>
${usesPlotly ? '<script src="assets/plotly.min.js" defer></script>\n' : ''}<script src="assets/site.js" defer></script>
</head>
<body>
<header class="topbar">
<button class="menu" type="button" aria-controls="sidebar" aria-expanded="false">☰<span class="visually-hidden"> Chapters</span></button>
<a class="brand" href="index.html">How LLMs Work</a>
<form class="search" role="search" onsubmit="return false"><input type="search" id="search" placeholder="Search the course" aria-label="Search the course" autocomplete="off"><ol id="search-results" hidden></ol></form>
</header>
<div class="layout">
<nav id="sidebar" class="sidebar" aria-label="Chapters"><a class="contents" href="index.html">Contents</a><ol class="toc">${toc}</ol></nav>
<main class="content">
${content}
</main>
</div>
</body>
</html>
`;
}

/** The site's script: sidebar toggle, Plotly charts (themed for dark mode), search over the prebuilt index. */
export const SITE_JS = `(function () {
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  var menu = document.querySelector('.menu');
  if (menu) menu.addEventListener('click', function () {
    var open = document.body.classList.toggle('nav-open');
    menu.setAttribute('aria-expanded', String(open));
  });
  // Interactive charts: each figure is JSON beside its static drawing; plotly.js is loaded only on pages with one.
  if (window.Plotly) {
    document.querySelectorAll('.plotly-chart').forEach(function (el) {
      var fig = JSON.parse(document.getElementById(el.getAttribute('data-figure')).textContent);
      var layout = Object.assign({}, fig.layout, { autosize: true });
      delete layout.width;
      if (dark) Object.assign(layout, { paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', font: Object.assign({}, layout.font, { color: '#d8dee4' }) });
      el.innerHTML = '';
      window.Plotly.newPlot(el, fig.data, layout, Object.assign({ responsive: true, displaylogo: false }, fig.config));
    });
  }
  // Search: every section of every page, indexed when the site was built (assets/search-index.js).
  var input = document.getElementById('search');
  var list = document.getElementById('search-results');
  var index = window.HOW_LLMS_SEARCH || [];
  function esc(s) { return s.replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function snippet(text, term) {
    var at = text.toLowerCase().indexOf(term);
    var start = Math.max(0, at - 60);
    var part = (start > 0 ? '…' : '') + text.slice(start, at + 100) + (at + 100 < text.length ? '…' : '');
    return esc(part).replace(new RegExp(term.replace(/[.*+?^$()|[\\]\\\\{}]/g, '\\\\$&'), 'ig'), function (m) { return '<mark>' + m + '</mark>'; });
  }
  function search(query) {
    var terms = query.toLowerCase().split(/\\s+/).filter(Boolean);
    if (!terms.length) { list.hidden = true; list.innerHTML = ''; return; }
    var hits = [];
    index.forEach(function (e) {
      var title = e.title.toLowerCase(), text = e.text.toLowerCase(), score = 0;
      for (var i = 0; i < terms.length; i++) {
        var inTitle = title.indexOf(terms[i]) >= 0, inText = text.indexOf(terms[i]) >= 0;
        if (!inTitle && !inText) return;
        score += (inTitle ? 10 : 0) + text.split(terms[i]).length - 1;
      }
      hits.push({ e: e, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    list.innerHTML = hits.length
      ? hits.slice(0, 20).map(function (h) { return '<li><a href="' + h.e.page + '#' + h.e.anchor + '">' + esc(h.e.title) + '</a><p>' + snippet(h.e.text, terms[0]) + '</p></li>'; }).join('')
      : '<li class="muted">No section mentions ' + esc(query) + '.</li>';
    list.hidden = false;
  }
  if (input && list) {
    input.addEventListener('input', function () { search(input.value); });
    input.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') { input.value = ''; search(''); } });
  }
})();
`;

/** The site's own stylesheet: a readable column, a sidebar that folds away on phones, light and dark. */
export const SITE_CSS = `
:root { --fg: #1b1f24; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --border: #d1d9e0; --accent: #0969da; --mark: #fff8c5; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #d8dee4; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --border: #3d444d; --accent: #4493f8; --mark: #5a4a00; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.6; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.topbar { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; gap: 0.75rem; padding: 0.5rem 1rem; background: var(--bg); border-bottom: 1px solid var(--border); }
.brand { font-weight: 700; color: var(--fg); text-decoration: none; white-space: nowrap; }
.menu { display: none; font: inherit; background: none; border: 1px solid var(--border); border-radius: 6px; color: var(--fg); padding: 0.1rem 0.5rem; }
.search { position: relative; margin-left: auto; flex: 0 1 20rem; min-width: 0; }
.search input { width: 100%; font: inherit; padding: 0.3rem 0.6rem; border: 1px solid var(--border); border-radius: 6px; background: var(--panel); color: var(--fg); }
#search-results { position: absolute; right: 0; top: 2.4rem; width: min(32rem, 92vw); max-height: 70vh; overflow-y: auto; margin: 0; padding: 0.5rem; list-style: none; background: var(--bg); border: 1px solid var(--border); border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,0.2); }
#search-results li { padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--border); }
#search-results li:last-child { border-bottom: none; }
#search-results p { margin: 0.2rem 0 0; font-size: 0.85rem; color: var(--muted); overflow-wrap: anywhere; }
mark { background: var(--mark); color: inherit; }
.layout { display: flex; max-width: 84rem; margin: 0 auto; }
.sidebar { flex: 0 0 17rem; position: sticky; top: 3.2rem; align-self: flex-start; max-height: calc(100vh - 3.2rem); overflow-y: auto; padding: 1rem 0.5rem 2rem 1rem; font-size: 0.92rem; }
.sidebar .contents { display: block; margin-bottom: 0.5rem; font-weight: 600; }
.toc { list-style: none; margin: 0; padding: 0; }
.toc a { display: flex; gap: 0.5rem; padding: 0.25rem 0.5rem; border-radius: 6px; color: var(--fg); text-decoration: none; }
.toc a:hover { background: var(--panel); }
.toc li.current a { background: var(--panel); font-weight: 600; box-shadow: inset 3px 0 0 var(--accent); }
.num { display: inline-block; min-width: 1.6em; color: var(--muted); font-variant-numeric: tabular-nums; }
.content { flex: 1 1 auto; min-width: 0; max-width: 52rem; padding: 1rem 1.5rem 3rem; }
.prose { overflow-wrap: break-word; }
h1, h2, h3 { line-height: 1.25; scroll-margin-top: 3.5rem; }
h1 .anchor, h2 .anchor, h3 .anchor { margin-left: 0.4rem; font-size: 0.8em; color: var(--muted); text-decoration: none; opacity: 0; }
h1:hover .anchor, h2:hover .anchor, h3:hover .anchor { opacity: 1; }
pre { overflow-x: auto; padding: 0.6rem 0.8rem; border-radius: 6px; font-size: 0.88rem; }
pre.code { background: var(--panel); border: 1px solid var(--border); }
pre.code code.hljs, .prose pre code.hljs { display: block; padding: 0; background: transparent; overflow-x: visible; }
.prose pre { background: var(--panel); border: 1px solid var(--border); }
code { font-size: 0.9em; }
pre.stream { background: transparent; border-left: 3px solid var(--border); margin: 0.3rem 0; }
pre.stderr { border-left-color: #d1242f; }
.outputs { margin: 0.2rem 0 1.2rem 0; overflow-x: auto; }
.chart svg, .html-output svg, .plotly-chart svg { max-width: 100%; height: auto; }
.html-output figure, .plotly-chart figure { margin: 0.5rem 0; }
.plotly-chart { width: 100%; min-height: 200px; }
.plotly-chart .chart-title, .html-output .chart-title { font-weight: 600; }
img { max-width: 100%; height: auto; }
.katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.92rem; } th, td { border: 1px solid var(--border); padding: 0.2rem 0.5rem; }
caption { caption-side: top; text-align: left; color: var(--muted); }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin: 2.5rem 0 1rem; padding-top: 1rem; border-top: 1px solid var(--border); }
.pager a { text-decoration: none; max-width: 48%; }
.pager a[rel="next"] { text-align: right; margin-left: auto; }
ol.chapters { list-style: none; padding: 0; }
ol.chapters li { margin-bottom: 1rem; }
ol.chapters > li > a { font-weight: 600; font-size: 1.05rem; }
ol.chapters p { margin: 0.1rem 0 0 2.1em; }
.muted { color: var(--muted); font-size: 0.9rem; }
.exercise-contracts { margin: 0.5rem 0 1.5rem; padding: 0.5rem 0.8rem; border: 1px solid var(--border); border-radius: 6px; }
.exercise-contracts summary { cursor: pointer; font-weight: 600; }
.exercise-list dt { margin-top: 0.7rem; }
.exercise-list dd { margin: 0.2rem 0 0 1rem; overflow-wrap: break-word; }
@media (max-width: 60rem) {
  .menu { display: inline-block; }
  .sidebar { display: none; position: fixed; top: 3rem; left: 0; bottom: 0; z-index: 9; width: min(20rem, 85vw); max-height: none; background: var(--bg); border-right: 1px solid var(--border); }
  body.nav-open .sidebar { display: block; }
  .content { padding: 0.75rem 1rem 2rem; }
  .brand { font-size: 0.95rem; }
}
`;
