#!/usr/bin/env node
// One source for the exercises: every stub in exercises/ is generated from its solution in solutions/.
//
//   node scripts/stubs.mjs write   regenerate every exercises/<chapter>/<stem>.ts from solutions/
//   node scripts/stubs.mjs check   fail, naming the file, when exercises/ differs from what `write` would produce,
//                                  or when a marker names a heading its chapter's notebook does not have
//
// In a solution, each exercise body is wrapped in two marker lines:
//
//   export function splitIntoHeads(x: tf.Tensor3D, H: number): tf.Tensor4D {
//     // BEGIN SOLUTION: Many heads: split and merge
//     ...the body...
//     // END SOLUTION
//   }
//
// The text after `BEGIN SOLUTION:` is a heading (exact text, without the #s) of notebooks/NN-*.ipynb, where NN is
// the chapter folder's number. The stub replaces the marked lines, markers included, with one line at the BEGIN
// marker's indentation:
//
//   throw new Error('TODO: implement splitIntoHeads (see the chapter 05 notebook, section Many heads: split and merge)');
//
// The name is the nearest function (or method, or `const name =` arrow) declared above the marker. Everything outside
// the markers is copied verbatim, except imported names that only the solution's bodies used: those are dropped from
// their import (and an import left empty goes), so a stub never carries an unused import.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION:\s*(.*?)\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const NAMED = [
  /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)/, // function name(, export async function name(
  /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=/, // const name = (...) =>
  /^\s*(?:public\s+|private\s+|protected\s+|static\s+|async\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/, // method(
];
const NOT_NAMES = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'new', 'await']);

/** The name of the function whose body starts above line `at` (nearest declaration), or undefined. */
function enclosingName(lines, at) {
  for (let i = at - 1; i >= 0; i--) {
    for (const pattern of NAMED) {
      const m = lines[i].match(pattern);
      if (m && !NOT_NAMES.has(m[1])) return m[1];
    }
  }
  return undefined;
}

/** Escape text for a single-quoted JavaScript string. */
const quoted = (text) => text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

/** Drop imported names the stub no longer uses; an import left with no names is removed with its blank line. */
function pruneImports(text) {
  const importRe = /^import\s+(type\s+)?([\s\S]*?)\s+from\s+(['"][^'"]+['"]);?[ \t]*\n/gm;
  const rest = text.replace(importRe, '');
  const used = (name) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(rest);
  const pruned = text.replace(importRe, (whole, typeOnly, clause, from) => {
    const braces = clause.match(/\{([\s\S]*)\}/);
    const outside = clause
      .replace(/\{[\s\S]*\}/, '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean); // default, * as ns
    const specs = braces
      ? braces[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    const localName = (spec) =>
      spec
        .split(/\s+as\s+/)
        .pop()
        .replace(/^type\s+/, '');
    const keptOutside = outside.filter((spec) => used(localName(spec)));
    const keptSpecs = specs.filter((spec) => used(localName(spec)));
    if (keptOutside.length === outside.length && keptSpecs.length === specs.length) return whole; // unchanged, as written
    const parts = [...keptOutside, ...(keptSpecs.length > 0 ? [`{ ${keptSpecs.join(', ')} }`] : [])];
    return parts.length > 0 ? `import ${typeOnly ?? ''}${parts.join(', ')} from ${from};\n` : '\u0000';
  });
  return pruned.replace(/\u0000\n?/g, '');
}

/**
 * The stub for one solution file. `chapter` is the two-digit chapter number; `headings` the set of headings of its
 * notebook (or null to skip that check). Returns { stub, errors }, errors naming the line.
 */
export function stubFromSolution(source, { chapter, headings = null, file = 'solution' }) {
  const lines = source.split('\n');
  const out = [];
  const errors = [];
  let markers = 0;
  for (let i = 0; i < lines.length; i++) {
    const begin = lines[i].match(BEGIN);
    if (END.test(lines[i])) {
      errors.push(`${file}:${i + 1}: END SOLUTION without a BEGIN SOLUTION above it`);
      continue;
    }
    if (!begin) {
      if (/\/\/\s*(BEGIN|END)\s+SOLUTION/.test(lines[i]))
        errors.push(
          `${file}:${i + 1}: malformed marker; write exactly "// BEGIN SOLUTION: <heading>" or "// END SOLUTION"`,
        );
      out.push(lines[i]);
      continue;
    }
    markers++;
    const [, indent, heading] = begin;
    let end = i + 1;
    while (end < lines.length && !END.test(lines[end])) {
      if (BEGIN.test(lines[end])) break;
      end++;
    }
    if (end >= lines.length || !END.test(lines[end])) {
      errors.push(`${file}:${i + 1}: BEGIN SOLUTION has no END SOLUTION before the next BEGIN or the end of the file`);
      out.push(lines[i]);
      continue;
    }
    const name = enclosingName(lines, i);
    if (!name) errors.push(`${file}:${i + 1}: no function declared above this BEGIN SOLUTION to name in the stub`);
    if (!heading)
      errors.push(
        `${file}:${i + 1}: BEGIN SOLUTION names no heading; write "// BEGIN SOLUTION: <a heading of the chapter ${chapter} notebook>"`,
      );
    else if (headings && !headings.has(heading)) {
      errors.push(
        `${file}:${i + 1}: section "${heading}" is not a heading of the chapter ${chapter} notebook (it has: ${[...headings].map((h) => `"${h}"`).join(', ')})`,
      );
    }
    out.push(
      `${indent}throw new Error('TODO: implement ${quoted(name ?? '?')} (see the chapter ${chapter} notebook, section ${quoted(heading)})');`,
    );
    i = end;
  }
  if (markers === 0)
    errors.push(`${file}: no "// BEGIN SOLUTION: <heading>" marker, so the stub would be the solution itself`);
  return { stub: pruneImports(out.join('\n')), errors };
}

/** The markdown headings (text after the #s) of a notebook file. */
export function notebookHeadings(notebookPath) {
  const nb = JSON.parse(fs.readFileSync(notebookPath, 'utf8'));
  const headings = new Set();
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    let fenced = false;
    for (const line of text.split('\n')) {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      const m = !fenced && line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
      if (m) headings.add(m[1]);
    }
  }
  return headings;
}

/** Every stub `write` would produce, as { files: Map(relative path → text), errors }. */
export function generateStubs(base = root) {
  const files = new Map();
  const errors = [];
  const solutions = path.join(base, 'solutions');
  for (const chapterDir of fs.readdirSync(solutions).sort()) {
    const full = path.join(solutions, chapterDir);
    if (!fs.statSync(full).isDirectory()) continue;
    const number = chapterDir.match(/^ch(\d\d)-/)?.[1];
    if (!number) {
      errors.push(`solutions/${chapterDir}: a chapter folder is named chNN-topic`);
      continue;
    }
    const notebooks = fs
      .readdirSync(path.join(base, 'notebooks'))
      .filter((f) => f.startsWith(`${number}-`) && f.endsWith('.ipynb'));
    if (notebooks.length !== 1)
      errors.push(`solutions/${chapterDir}: expected one notebooks/${number}-*.ipynb, found ${notebooks.length}`);
    const headings = notebooks.length === 1 ? notebookHeadings(path.join(base, 'notebooks', notebooks[0])) : null;
    for (const file of fs.readdirSync(full).sort()) {
      if (!file.endsWith('.ts')) continue;
      const rel = `${chapterDir}/${file}`;
      const { stub, errors: fileErrors } = stubFromSolution(fs.readFileSync(path.join(full, file), 'utf8'), {
        chapter: number,
        headings,
        file: `solutions/${rel}`,
      });
      errors.push(...fileErrors);
      files.set(`exercises/${rel}`, stub);
    }
  }
  return { files, errors };
}

/** Differences between exercises/ and the generated stubs, one message per file. */
export function checkStubs(base = root) {
  const { files, errors } = generateStubs(base);
  const problems = [...errors];
  for (const [rel, text] of files) {
    const target = path.join(base, rel);
    if (!fs.existsSync(target)) problems.push(`${rel} is missing: run \`node scripts/stubs.mjs write\``);
    else if (fs.readFileSync(target, 'utf8') !== text)
      problems.push(
        `${rel} differs from the stub generated from solutions/: edit the solution, then run \`node scripts/stubs.mjs write\``,
      );
  }
  const exercises = path.join(base, 'exercises');
  for (const chapterDir of fs.existsSync(exercises) ? fs.readdirSync(exercises).sort() : []) {
    if (!fs.statSync(path.join(exercises, chapterDir)).isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(exercises, chapterDir)).sort()) {
      const rel = `exercises/${chapterDir}/${file}`;
      if (file.endsWith('.ts') && !files.has(rel))
        problems.push(
          `${rel} has no solution in solutions/${chapterDir}/${file}: add one with markers, or delete the stub`,
        );
    }
  }
  return { count: files.size, problems };
}

function main(command) {
  if (command === 'write') {
    const { files, errors } = generateStubs();
    if (errors.length > 0) {
      for (const e of errors) console.error(e);
      console.error(`stubs: not written, ${errors.length} problem(s) in solutions/`);
      return 1;
    }
    let changed = 0;
    for (const [rel, text] of files) {
      const target = path.join(root, rel);
      if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const tmp = `${target}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, target);
      changed++;
      console.log(`wrote ${rel}`);
    }
    console.log(`stubs: ${files.size} generated, ${changed} changed`);
    return 0;
  }
  if (command === 'check') {
    const { count, problems } = checkStubs();
    for (const p of problems) console.error(p);
    console.log(
      problems.length === 0
        ? `stubs: all ${count} exercises/ files match their solutions`
        : `stubs: ${problems.length} problem(s)`,
    );
    return problems.length === 0 ? 0 : 1;
  }
  console.error('usage: node scripts/stubs.mjs write|check');
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exit(main(process.argv[2]));
