/**
 * Turn what a student handed in (a folder or a zip, shaped like the whole `exercises/` folder or
 * like one chapter's folder, possibly wrapped in a folder of its own) into one folder per chapter.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHAPTER_PATTERN, type Course, exerciseFiles, listFiles } from './course';
import { extractZip } from './zip';

export interface Submission {
  /** The student, from the folder or zip name, safe as a file name. */
  student: string;
  input: string;
  /** chapter → the folder holding that chapter's files. */
  chapters: Record<string, string>;
  /** Problems to tell the student (unreadable zip, nothing recognisable). */
  notes: string[];
}

const JUNK = new Set(['__MACOSX', '.DS_Store', 'node_modules', '.git']);

function entries(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !JUNK.has(e.name) && !e.name.startsWith('._'));
}

/** A name safe for a file: letters, digits, dot, dash, underscore. */
export function safeName(name: string): string {
  return (
    name
      .replace(/\.zip$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '') || 'student'
  );
}

/** Find the chapters in a folder; walks through single wrapper folders and an `exercises/` folder. */
export function findChapters(course: Course, root: string): Record<string, string> {
  let dir = root;
  for (let depth = 0; depth < 4; depth++) {
    const list = entries(dir);
    const chapterDirs = list.filter((e) => e.isDirectory() && CHAPTER_PATTERN.test(e.name));
    if (chapterDirs.length > 0) return Object.fromEntries(chapterDirs.map((e) => [e.name, path.join(dir, e.name)]));
    if (CHAPTER_PATTERN.test(path.basename(dir))) return { [path.basename(dir)]: dir };
    const exercises = list.find((e) => e.isDirectory() && e.name === 'exercises');
    if (exercises) {
      dir = path.join(dir, 'exercises');
      continue;
    }
    const dirs = list.filter((e) => e.isDirectory());
    const files = list.filter((e) => e.isFile());
    if (files.length === 0 && dirs.length === 1) {
      dir = path.join(dir, dirs[0].name);
      continue;
    }
    // One chapter's files without their folder: match the file names against the chapters' stubs.
    const names = new Set(listFiles(dir));
    const matches = course.chapters.filter((c) => exerciseFiles(course, c).some((f) => names.has(f)));
    return matches.length === 1 ? { [matches[0]]: dir } : {};
  }
  return {};
}

/** Open one submission; zips are unpacked under `workDir`. */
export function openSubmission(course: Course, input: string, student: string, workDir: string): Submission {
  const notes: string[] = [];
  let root = path.resolve(input);
  if (!fs.existsSync(root)) throw new Error(`Submission ${input} does not exist: pass folders or .zip files`);
  if (fs.statSync(root).isFile()) {
    if (!/\.zip$/i.test(root))
      throw new Error(`Submission ${input} is a file but not a .zip: pass a folder or a zip archive`);
    const dir = path.join(workDir, 'unzipped');
    fs.mkdirSync(dir, { recursive: true });
    try {
      extractZip(root, dir);
    } catch (err) {
      notes.push(`The zip could not be unpacked: ${(err as Error).message}`);
    }
    root = dir;
  }
  const chapters = findChapters(course, root);
  if (Object.keys(chapters).length === 0) {
    notes.push(
      'No exercise files were found: hand in your exercises/ folder (or one chapter folder such as exercises/ch02-tokenizers).',
    );
  }
  return { student, input, chapters, notes };
}

/** Student names for inputs, from their folder or zip names, made unique. */
export function studentNames(inputs: string[]): string[] {
  const seen = new Map<string, number>();
  return inputs.map((input) => {
    const base = safeName(path.basename(path.resolve(input)));
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}
