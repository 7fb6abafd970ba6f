/**
 * `npm run site`: execute every notebook and export the course as a static website that works offline.
 *   npm run site                         execute with the ci profile (fast), write _site/
 *   npm run site -- --profile full       execute with the full profile (what a learner sees; slow)
 *   npm run site -- --from DIR           render notebooks already executed into DIR (no execution)
 *   npm run site -- --out DIR            write the site somewhere else
 * Open _site/index.html in a browser, or serve the folder with any static server.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ChapterMeta,
  NotebookCell,
  pageName,
  renderChapter,
  renderIndex,
  SearchEntry,
  SITE_CSS,
  SITE_JS,
  textOf,
  renderMarkdown,
} from './render';

const root = path.resolve(__dirname, '..');

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

const plain = (markdown: string) =>
  markdown
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .trim();

/** Title and first paragraph (Markdown, math kept) of a notebook, for the index. */
export function describeNotebook(
  file: string,
  cells: NotebookCell[],
): { number: string; title: string; summary: string } {
  const first = cells.find((c) => c.cell_type === 'markdown');
  const text = first ? (Array.isArray(first.source) ? first.source.join('') : first.source) : '';
  const title = text.match(/^#\s+(.+)$/m)?.[1]?.trim() ?? file;
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'));
  // "0. A tour" and "A tour" alike: the site numbers chapters itself.
  return {
    number: file.slice(0, 2),
    title: plain(title).replace(/^\d+\.\s+/, ''),
    summary: (paragraphs[0] ?? '').replace(/\s+/g, ' '),
  };
}

/** The first paragraph of a doc comment, as Markdown: the contract, without the worked example that follows. */
export function firstParagraph(doc: string): string {
  const lines = doc.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '');
  return (end < 0 ? lines : lines.slice(0, end)).join('\n').trim();
}

/** The exercises of a chapter: exported functions of exercises/chNN-*\/*.ts with their doc's first paragraph. */
export function chapterExercises(number: string): { key?: string; list: ChapterMeta['exercises'] } {
  const dir = path.join(root, 'exercises');
  const key = fs.existsSync(dir) ? fs.readdirSync(dir).find((d) => d.startsWith(`ch${number}-`)) : undefined;
  if (!key) return { list: [] };
  const list: ChapterMeta['exercises'] = [];
  for (const file of fs
    .readdirSync(path.join(dir, key))
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const source = fs.readFileSync(path.join(dir, key, file), 'utf8');
    for (const m of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export (?:async )?function (\w+)/g)) {
      list.push({ file: `exercises/${key}/${file}`, name: m[2], doc: firstParagraph(m[1]) });
    }
  }
  return { key, list };
}

function copyAssets(out: string): void {
  const assets = path.join(out, 'assets');
  fs.mkdirSync(path.join(assets, 'katex'), { recursive: true });
  fs.copyFileSync(
    require.resolve('plotly.js-dist-min/plotly.min.js', { paths: [path.join(root, 'lib')] }),
    path.join(assets, 'plotly.min.js'),
  );
  const katexDist = path.join(path.dirname(require.resolve('katex/package.json')), 'dist');
  fs.copyFileSync(path.join(katexDist, 'katex.min.css'), path.join(assets, 'katex', 'katex.min.css'));
  fs.cpSync(path.join(katexDist, 'fonts'), path.join(assets, 'katex', 'fonts'), { recursive: true });
  const styles = path.join(path.dirname(require.resolve('highlight.js/package.json')), 'styles');
  fs.copyFileSync(path.join(styles, 'github.css'), path.join(assets, 'highlight.css'));
  fs.copyFileSync(path.join(styles, 'github-dark.css'), path.join(assets, 'highlight-dark.css'));
  fs.writeFileSync(path.join(assets, 'site.css'), SITE_CSS);
  fs.writeFileSync(path.join(assets, 'site.js'), SITE_JS);
}

/** Render executed notebooks from `executedDir` into a complete site at `out` (written beside, then swapped in). */
export function buildSite(executedDir: string, out: string): string[] {
  const notebooks = fs
    .readdirSync(path.join(root, 'notebooks'))
    .filter((f) => f.endsWith('.ipynb'))
    .sort();
  const loaded = notebooks.map((file) => {
    const executed = path.join(executedDir, file);
    if (!fs.existsSync(executed))
      throw new Error(
        `${file} has not been executed into ${executedDir}: run \`npm run site\` without --from, or execute it first.`,
      );
    const cells: NotebookCell[] = JSON.parse(fs.readFileSync(executed, 'utf8')).cells;
    const { number, title, summary } = describeNotebook(file, cells);
    const exercises = chapterExercises(number);
    const meta: ChapterMeta = { file, number, title, summary, exercises: exercises.list, chapterKey: exercises.key };
    return { meta, cells };
  });
  const staging = `${out}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  copyAssets(staging);
  const written: string[] = [];
  const chapters = loaded.map((l) => l.meta);
  const index: SearchEntry[] = [];
  loaded.forEach(({ meta, cells }, i) => {
    const page = renderChapter(cells, meta, { prev: loaded[i - 1]?.meta, next: loaded[i + 1]?.meta, chapters });
    fs.writeFileSync(path.join(staging, pageName(meta)), page.html);
    index.push(...page.sections);
    written.push(pageName(meta));
  });
  // A script, not JSON: pages opened from disk (file://) may not fetch files, but they may load scripts.
  index.push(
    ...chapters.map((c) => ({
      page: pageName(c),
      anchor: '',
      title: `Chapter ${Number(c.number)}: ${c.title}`,
      text: textOf(renderMarkdown(c.summary)),
    })),
  );
  fs.writeFileSync(
    path.join(staging, 'assets', 'search-index.js'),
    `window.HOW_LLMS_SEARCH = ${JSON.stringify(index).replace(/</g, '\\u003c')};\n`,
  );
  const intro = [
    '# How LLMs Work',
    '',
    'A course that explains how large language models work by building one, in TypeScript. These pages are the',
    "course's notebooks, executed, with their outputs and charts. To run them yourself:",
    '',
    '```bash',
    'npm install',
    'npm start',
    '```',
  ].join('\n');
  fs.writeFileSync(path.join(staging, 'index.html'), renderIndex(chapters, intro));
  written.unshift('index.html');
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(staging, out);
  return written;
}

function main(): void {
  const args = process.argv.slice(2);
  const out = path.resolve(option(args, '--out') ?? path.join(root, '_site'));
  let executedDir = option(args, '--from');
  let temporary: string | undefined;
  if (!executedDir) {
    const profile = option(args, '--profile') ?? process.env.HOW_LLMS_PROFILE ?? 'ci';
    if (profile !== 'ci' && profile !== 'full') throw new Error(`--profile must be ci or full, got ${profile}`);
    executedDir = temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'how-llms-site-'));
    console.log(`Executing every notebook with the ${profile} profile…`);
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'scripts', 'run-notebooks.mjs'), '--output-dir', executedDir],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, HOW_LLMS_PROFILE: profile },
      },
    );
    if (run.status !== 0) {
      fs.rmSync(temporary, { recursive: true, force: true });
      console.error('A notebook failed (see above): the site was not written.');
      process.exit(1);
    }
  }
  let pages: string[];
  try {
    pages = buildSite(path.resolve(executedDir), out);
  } finally {
    // The executed notebooks were only the site's input: nothing is left in the temp folder.
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  }
  console.log(
    `Wrote ${pages.length} pages to ${path.relative(process.cwd(), out) || out}; open ${path.join(out, 'index.html')}`,
  );
}

if (require.main === module) main();
