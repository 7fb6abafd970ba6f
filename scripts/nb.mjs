#!/usr/bin/env node
// Notebook tooling for authors.
//   node scripts/nb.mjs from-text draft.ts notebooks/NN-topic.ipynb   percent-format draft -> notebook
//   node scripts/nb.mjs to-text notebooks/NN-topic.ipynb draft.ts     notebook -> percent-format draft
//   node scripts/nb.mjs clean notebooks/*.ipynb                       drop outputs, renumber ids, set the kernel
//   node scripts/nb.mjs clean-filter PATH < in.ipynb > out.ipynb     the same as a git clean filter (stdin to stdout)
//   node scripts/nb.mjs install-filter                                register that filter in this clone (npm install does)
// Draft format: `// %% [markdown]` starts a markdown cell whose lines are written `// text`;
// `// %%` starts a code cell. The committed .ipynb is the source of truth: no outputs, stable ids.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const KERNELSPEC = { name: 'how-llms-work', display_name: 'How LLMs Work (TypeScript)', language: 'typescript' };
export const LANGUAGE_INFO = {
  name: 'typescript',
  file_extension: '.ts',
  mimetype: 'text/typescript',
  codemirror_mode: { name: 'javascript', typescript: true },
};

function toSource(text) {
  const lines = text.split('\n');
  return lines
    .map((line, i) => (i < lines.length - 1 ? `${line}\n` : line))
    .filter((l, i, a) => !(i === a.length - 1 && l === ''));
}

/** Stable cell ids derived from the notebook's name and the cell's position: `ch07-003`. */
export function cellId(notebookPath, index) {
  const stem = path
    .basename(notebookPath, '.ipynb')
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 40);
  return `${stem}-${String(index).padStart(3, '0')}`;
}

/** A clean notebook object from a list of { kind, text } cells. */
export function buildNotebook(cells, notebookPath) {
  return {
    cells: cells.map((c, i) =>
      c.kind === 'markdown'
        ? { cell_type: 'markdown', id: cellId(notebookPath, i), metadata: {}, source: toSource(c.text) }
        : {
            cell_type: 'code',
            execution_count: null,
            id: cellId(notebookPath, i),
            metadata: {},
            outputs: [],
            source: toSource(c.text),
          },
    ),
    metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Parse a percent-format draft into cells. */
export function parseDraft(text) {
  const cells = [];
  let current;
  for (const line of text.split('\n')) {
    const marker = line.match(/^\/\/ %%(.*)$/);
    if (marker) {
      current = { kind: marker[1].includes('[markdown]') ? 'markdown' : 'code', lines: [] };
      cells.push(current);
      continue;
    }
    if (!current) {
      if (line.trim() === '') continue;
      throw new Error(`Draft text before the first "// %%" marker: ${JSON.stringify(line)}`);
    }
    current.lines.push(current.kind === 'markdown' ? line.replace(/^\/\/ ?/, '') : line);
  }
  return cells.map((c) => {
    while (c.lines.length && c.lines[0].trim() === '') c.lines.shift();
    while (c.lines.length && c.lines.at(-1).trim() === '') c.lines.pop();
    return { kind: c.kind, text: c.lines.join('\n') };
  });
}

/** Render a notebook back to a percent-format draft. */
export function toDraft(nb) {
  return nb.cells
    .map((c) => {
      const text = Array.isArray(c.source) ? c.source.join('') : c.source;
      if (c.cell_type === 'markdown')
        return `// %% [markdown]\n${text
          .split('\n')
          .map((l) => (l ? `// ${l}` : '//'))
          .join('\n')}`;
      return `// %%\n${text}`;
    })
    .join('\n\n')
    .concat('\n');
}

/** Write JSON atomically, formatted as Jupyter writes it (one-space indent, trailing newline). */
export function writeNotebook(file, nb) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(nb, null, 1)}\n`);
  fs.renameSync(tmp, file);
}

/** The same notebook with outputs dropped, ids renumbered and the course kernel set. */
export function cleanNotebook(nb, notebookPath) {
  return buildNotebook(
    nb.cells.map((c) => ({
      kind: c.cell_type === 'markdown' ? 'markdown' : 'code',
      text: Array.isArray(c.source) ? c.source.join('') : c.source,
    })),
    notebookPath,
  );
}

/** The text git stores for a notebook: the clean notebook, formatted as committed; anything not JSON passes unchanged. */
export function cleanText(text, notebookPath) {
  let nb;
  try {
    nb = JSON.parse(text);
  } catch {
    return text; // a merge in progress or a broken file: leave it for the author to see
  }
  if (!Array.isArray(nb?.cells)) return text;
  return `${JSON.stringify(cleanNotebook(nb, notebookPath), null, 1)}\n`;
}

/** Git config that makes `git add`, `git diff` and `git status` see notebooks without their outputs. */
export const FILTER_CONFIG = {
  'filter.nbclean.clean': 'node scripts/nb.mjs clean-filter %f',
  'filter.nbclean.smudge': 'cat',
};

/** Register the clean filter in the git repository at `root` (a no-op outside git); returns what it did. */
export function installFilter(root) {
  const inGit = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' });
  if (inGit.status !== 0 || inGit.stdout.trim() !== 'true')
    return 'not a git checkout: notebook outputs filter not installed';
  for (const [key, value] of Object.entries(FILTER_CONFIG)) {
    const set = spawnSync('git', ['config', key, value], { cwd: root, encoding: 'utf8' });
    if (set.status !== 0) return `could not set git config ${key}: ${set.stderr.trim()}`;
  }
  return 'git keeps notebooks without their outputs (clean filter nbclean, see .gitattributes)';
}

function main(argv) {
  const [command, ...args] = argv;
  if (command === 'from-text' && args.length === 2) {
    writeNotebook(args[1], buildNotebook(parseDraft(fs.readFileSync(args[0], 'utf8')), args[1]));
  } else if (command === 'to-text' && args.length === 2) {
    fs.writeFileSync(args[1], toDraft(JSON.parse(fs.readFileSync(args[0], 'utf8'))));
  } else if (command === 'clean' && args.length >= 1) {
    for (const file of args) writeNotebook(file, cleanNotebook(JSON.parse(fs.readFileSync(file, 'utf8')), file));
  } else if (command === 'clean-filter' && args.length <= 1) {
    process.stdout.write(cleanText(fs.readFileSync(0, 'utf8'), args[0] ?? 'notebook.ipynb'));
  } else if (command === 'install-filter' && args.length === 0) {
    console.log(`how-llms-work: ${installFilter(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'))}.`);
  } else {
    console.error(
      'usage: nb.mjs from-text DRAFT.ts OUT.ipynb | to-text IN.ipynb DRAFT.ts | clean NB.ipynb… | clean-filter PATH | install-filter',
    );
    process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
