/**
 * The graded tree: the one folder per grading run whose `node_modules` the tested code may read.
 * It holds copies of the built library and accelerator (`lib/dist`, `accel/dist`, the addon) and
 * hard links to the third-party packages they and vitest need, and no symbolic link that leaves it.
 * Node's permission model checks path strings while the kernel follows links, so one link into the
 * repository (npm's workspace link `@how-llms-work/lib -> ../../lib`) made
 * `…/@how-llms-work/lib/../solutions/…` readable; here every real path under the tree stays under
 * it, which `verifyTree` checks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Course, TOOL_ROOT } from './course';

export interface GradedTree {
  /** The folder that holds `node_modules`; run folders are made below it, so Node's resolution finds the packages. */
  root: string;
  nodeModules: string;
  /** The datasets folder the graded code may read (by real path, checked like the tree), if there is one. */
  dataDir?: string;
  /** What building it cost: hard links made, files copied (and their bytes), and the time building and checking took. */
  cost: { linked: number; copied: number; copiedBytes: number; buildMs: number; verifyMs: number };
}

/** The course's own packages: copied from their build, never linked (npm links them to the repository). */
const WORKSPACE_SCOPE = '@how-llms-work';

type Cost = GradedTree['cost'];

/** Put `from` at `to` as a hard link (free: same filesystem), else as a copy (another filesystem, or links refused). */
function place(from: string, to: string, cost: Cost, link: boolean): void {
  if (link) {
    try {
      fs.linkSync(from, to);
      cost.linked++;
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP') throw err;
    }
  }
  fs.copyFileSync(from, to);
  cost.copied++;
  cost.copiedBytes += fs.statSync(to).size;
}

/**
 * Mirror the folder `from` at `to`: folders made, files linked (or copied). A symbolic link is kept
 * only when it is relative and points inside `within`, the package being mirrored (its own
 * `node_modules/.bin`); any other is left out, so none can dangle or lead out of the tree.
 */
function mirror(from: string, to: string, within: string, cost: Cost, link: boolean): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) mirror(src, dst, within, cost, link);
    else if (entry.isFile()) place(src, dst, cost, link);
    else if (entry.isSymbolicLink()) {
      const target = fs.readlinkSync(src);
      if (!path.isAbsolute(target) && isInside(path.resolve(from, target), within)) fs.symlinkSync(target, dst);
    }
  }
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A package's dependencies, optional ones included, by name. */
function dependencyNames(pkgDir: string): string[] {
  const file = path.join(pkgDir, 'package.json');
  if (!fs.existsSync(file)) return [];
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
  return Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
}

/**
 * The top-level folders of `nodeModules` (`name` or `@scope/name`) that hold `roots` and everything
 * they depend on, found as Node finds them (the package's own node_modules, then each one above).
 * Dependencies that are not installed (optional ones, peers) are skipped.
 */
export function packageClosure(nodeModules: string, roots: string[]): string[] {
  const top = new Set<string>();
  const seen = new Set<string>();
  const find = (from: string, name: string): string | undefined => {
    for (let dir = from; isInside(dir, path.dirname(nodeModules)); dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
      if (dir === path.dirname(nodeModules)) break;
    }
    return undefined;
  };
  const visit = (pkgDir: string) => {
    if (seen.has(pkgDir)) return;
    seen.add(pkgDir);
    const parts = path.relative(nodeModules, pkgDir).split(path.sep);
    top.add(parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
    for (const dep of dependencyNames(pkgDir)) {
      const found = find(pkgDir, dep);
      if (found) visit(found);
    }
  };
  for (const root of roots) {
    const found = find(path.dirname(nodeModules), root);
    if (found) visit(found);
  }
  return [...top].sort();
}

/** The course's library package (`lib/`, with `package.json` and the built `dist/`) whose build the graded code imports. */
export function libPackageDir(course: Course): string {
  return path.dirname(course.libSrc);
}

/** The latest modification time (ms) of the files under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) latest = Math.max(latest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  return latest;
}

/** Copy one workspace package's build (package.json and the named folders) into the tree. */
function copyPackage(pkg: string, parts: string[], to: string, cost: Cost): void {
  const missing = ['package.json', 'dist/index.js'].filter((f) => !fs.existsSync(path.join(pkg, f)));
  if (missing.length > 0)
    throw new Error(
      `${pkg} has no ${missing.join(' or ')}: the grader runs submissions against the built library; build it with \`npx tsc -b accel lib\` (npm ci does) and grade again`,
    );
  const src = path.join(pkg, 'src');
  // tsc -b, finding a source touched but unchanged, only touches tsconfig.tsbuildinfo: that counts as built too.
  const buildInfo = path.join(pkg, 'tsconfig.tsbuildinfo');
  const built = Math.max(newest(path.join(pkg, 'dist')), fs.existsSync(buildInfo) ? fs.statSync(buildInfo).mtimeMs : 0);
  if (fs.existsSync(src) && newest(src) > built)
    throw new Error(
      `${pkg}/dist is older than ${pkg}/src: the grader runs submissions against the built library, and a stale build grades them against old code; build it with \`npx tsc -b accel lib\` and grade again`,
    );
  fs.mkdirSync(to, { recursive: true });
  place(path.join(pkg, 'package.json'), path.join(to, 'package.json'), cost, false);
  for (const part of parts)
    if (fs.existsSync(path.join(pkg, part))) mirror(path.join(pkg, part), path.join(to, part), pkg, cost, false);
}

/**
 * Build the graded tree in `<workRoot>/node_modules`, once per grading run: hard links to the tool's
 * third-party packages, copies of the course's library and the accelerator, then check it by real path.
 */
export function buildGradedTree(course: Course, workRoot: string): GradedTree {
  const start = Date.now();
  const root = fs.realpathSync(workRoot);
  const nodeModules = path.join(root, 'node_modules');
  const from = fs.realpathSync(path.join(TOOL_ROOT, 'node_modules'));
  const cost: Cost = { linked: 0, copied: 0, copiedBytes: 0, buildMs: 0, verifyMs: 0 };
  fs.mkdirSync(nodeModules);
  // Only what the graded code can need: the library's and the accelerator's dependencies, and vitest's.
  const accel = path.join(TOOL_ROOT, 'accel');
  const roots = [...dependencyNames(libPackageDir(course)), ...dependencyNames(accel), 'vitest'];
  for (const name of packageClosure(from, roots)) {
    // A link here is a workspace package (copied below) or something outside the packages: left out.
    if (name.startsWith(`${WORKSPACE_SCOPE}/`) || fs.lstatSync(path.join(from, name)).isSymbolicLink()) continue;
    mirror(path.join(from, name), path.join(nodeModules, name), path.join(from, name), cost, true);
  }
  const scope = path.join(nodeModules, WORKSPACE_SCOPE);
  copyPackage(libPackageDir(course), ['dist'], path.join(scope, 'lib'), cost);
  copyPackage(path.join(TOOL_ROOT, 'accel'), ['dist', 'native/build'], path.join(scope, 'accel'), cost);
  cost.buildMs = Date.now() - start;
  const checked = Date.now();
  const forbidden = forbiddenDirs(course);
  verifyTree(root, forbidden);
  const data = process.env.HOW_LLMS_DATA_DIR ?? path.join(course.root, 'datasets');
  const dataDir = fs.existsSync(data) ? fs.realpathSync(data) : undefined;
  if (dataDir) verifyTree(dataDir, forbidden);
  cost.verifyMs = Date.now() - checked;
  return { root, nodeModules, dataDir, cost };
}

/** The instructor's folders no file the graded code can read may be: solutions, hidden tests, the library's source. */
export function forbiddenDirs(course: Course): string[] {
  const dirs = [course.solutionsDir, course.hiddenTestsDir, course.libSrc];
  for (const rel of ['solutions', 'grading/hidden', 'lib/src']) dirs.push(path.join(TOOL_ROOT, rel));
  return [...new Set(dirs.filter((d) => fs.existsSync(d)).map((d) => fs.realpathSync(d)))];
}

/** Device and inode of every file under `dir`: a hard link shares them with its original. */
function inodes(dir: string, into: Set<string>): Set<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) inodes(p, into);
    else if (entry.isFile()) {
      const s = fs.statSync(p, { bigint: true });
      into.add(`${s.dev}:${s.ino}`);
    }
  }
  return into;
}

/** The instructor's files by inode, once per set of folders (every attempt's sandbox is checked against them). */
const secretInodes = new Map<string, Set<string>>();
function secretsOf(forbidden: string[]): Set<string> {
  const key = forbidden.join('\u0000');
  if (!secretInodes.has(key)) {
    const set = new Set<string>();
    for (const d of forbidden) inodes(d, set);
    secretInodes.set(key, set);
  }
  return secretInodes.get(key)!;
}

/**
 * Walk `root` and fail loudly if anything in it reaches outside it or into the instructor's folders:
 * a symbolic link whose real path leaves `root`, a file whose real path is inside one of `forbidden`,
 * or a hard link to one of their files. `root` itself must not be inside them either.
 */
export function verifyTree(root: string, forbidden: string[]): void {
  const realRoot = fs.realpathSync(root);
  const inForbidden = (p: string) => forbidden.find((d) => isInside(p, d));
  const secret = secretsOf(forbidden);
  const problems: string[] = [];
  if (inForbidden(realRoot)) problems.push(`${realRoot} itself is inside ${inForbidden(realRoot)}`);
  for (const d of forbidden) if (isInside(d, realRoot)) problems.push(`${d} is inside ${realRoot}`);
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = fs.realpathSync(p);
        } catch {
          problems.push(`${p} is a broken link`);
          continue;
        }
        if (!isInside(real, realRoot)) problems.push(`${p} is a link that leaves the tree (to ${real})`);
      } else if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const s = fs.statSync(p, { bigint: true });
        if (secret.has(`${s.dev}:${s.ino}`))
          problems.push(`${p} is a hard link to a file in ${forbidden.join(' or ')}`);
      }
      if (problems.length > 20) return;
    }
  };
  walk(realRoot);
  if (problems.length > 0)
    throw new Error(
      `The graded tree ${realRoot} reaches the instructor's files, so the grader refuses to run submissions in it:\n  - ${problems.join('\n  - ')}`,
    );
}

/**
 * Folders the graded code may read, checked: none may hold the repository (or the course) or sit
 * inside the instructor's folders, by real path.
 */
export function checkReadAllowance(allowed: string[], protectedRoots: string[], forbidden: string[]): void {
  for (const a of allowed) {
    const real = fs.existsSync(a) ? fs.realpathSync(a) : path.resolve(a);
    const holds = protectedRoots.find((r) => fs.existsSync(r) && isInside(fs.realpathSync(r), real));
    const inside = forbidden.find((d) => isInside(real, d));
    if (holds || inside)
      throw new Error(
        `refusing to let graded code read ${a}: it ${holds ? `holds ${holds}` : `is inside ${inside}`}, which holds the instructor's files`,
      );
  }
}
