/**
 * Type-check submissions: the tests score code as it runs, so a type error beside correct code
 * costs nothing, but the learner and the instructor should hear of it. One `tsc --noEmit` run
 * (at most two minutes) checks every submission's files, overlaid on the stubs as in a sandbox, and
 * that each file still has its stub's exports with the stub's types (the exercise's signatures).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Course, exerciseFiles, listFiles, TOOL_ROOT } from './course';

/** What to type-check: a student's chapters (chapter → folder of the submission's files). */
export interface TypeCheckInput {
  student: string;
  sources: Record<string, string | undefined>;
}

const TSC_LINE = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/** The library's types for `@how-llms-work/lib`: its declarations when built (fast), else its source. */
function libTypes(course: Course): string {
  const dist = path.join(TOOL_ROOT, 'lib', 'dist', 'index.d.ts');
  return course.libSrc === path.join(TOOL_ROOT, 'lib', 'src') && fs.existsSync(dist)
    ? dist
    : path.join(course.libSrc, 'index.ts');
}

/**
 * Type-check `inputs` against the course's stubs in `dir` (a fresh folder); student → a note naming
 * the file and the first type error, for students with one. Gives up silently after `timeoutMs`.
 */
export async function typeCheck(
  course: Course,
  chapters: string[],
  inputs: TypeCheckInput[],
  dir: string,
  timeoutMs = 120_000,
): Promise<Map<string, string>> {
  const files: string[] = [];
  // For each student's folder: which files are the student's own (errors in stubs they left alone are not theirs).
  const own = new Map<string, { student: string; rel: string }>();
  inputs.forEach((input, i) => {
    for (const chapter of chapters) {
      const from = input.sources[chapter];
      const mine = from && fs.existsSync(from) ? listFiles(from).filter((f) => f.endsWith('.ts')) : [];
      if (mine.length === 0) continue;
      const to = path.join(dir, `s${i}`, 'exercises', chapter);
      for (const [src, rels] of [
        [path.join(course.exercisesDir, chapter), exerciseFiles(course, chapter)],
        [from!, mine],
      ] as const) {
        for (const rel of rels) {
          fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
          fs.copyFileSync(path.join(src, rel), path.join(to, rel));
        }
      }
      for (const rel of mine) {
        const file = path.join(to, rel);
        own.set(file, { student: input.student, rel: `exercises/${chapter}/${rel}` });
        files.push(file);
        const stub = path.join(course.exercisesDir, chapter, rel);
        if (!fs.existsSync(stub)) continue;
        // The signatures: the submission's module must be assignable to the stub's.
        const check = path.join(dir, `s${i}`, 'signatures', chapter, `${rel.replace(/\.ts$/, '')}.check.ts`);
        fs.mkdirSync(path.dirname(check), { recursive: true });
        const noExt = (p: string) => JSON.stringify(p.replace(/\.ts$/, ''));
        fs.writeFileSync(
          check,
          `import * as submission from ${noExt(file)};\nimport * as stub from ${noExt(stub)};\nexport const signatures: typeof stub = submission;\n`,
        );
        own.set(check, { student: input.student, rel: `exercises/${chapter}/${rel}` });
        files.push(check);
      }
    }
  });
  if (files.length === 0) return new Map();
  const modules = path.join(TOOL_ROOT, 'node_modules');
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['ES2022', 'DOM'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [path.join(modules, '@types')],
      paths: {
        '@how-llms-work/lib': [libTypes(course)],
        '*': [`${modules}/*`, `${modules}/@types/*`],
      },
    },
    files,
  };
  const tsconfig = path.join(dir, 'tsconfig.json');
  fs.writeFileSync(tsconfig, JSON.stringify(config));
  const output = await runTsc(tsconfig, dir, timeoutMs);
  const notes = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = line.trim().match(TSC_LINE);
    const who = m && own.get(path.resolve(dir, m[1]));
    if (!m || !who || notes.has(who.student)) continue;
    const signature = m[1].endsWith('.check.ts');
    notes.set(
      who.student,
      signature
        ? `Type check: ${who.rel} does not match the exercise's signatures (${m[4]}: ${clip(m[5])}). The tests ran your code as it is; keep each function's parameters and return type as the stub declares them.`
        : `Type check: ${who.rel}:${m[2]}:${m[3]}: ${clip(m[5])} (${m[4]}). The tests ran your code as it is, so this cost no points, but fix it: the types are part of the exercise.`,
    );
  }
  return notes;
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * The compiler, run in a child process (so that the time limit can stop it) over the whole class at
 * once, the library's types read once. Unlike `tsc`, which reports no type error while any file has
 * a syntax error, this asks for each file's syntax and type errors separately, so one student's
 * syntax error hides no one else's type error. Prints `tsc`'s format: `file(line,col): error TSn: message`.
 */
const CHECKER = `
// node -e: process.argv[1] is the first argument after the script.
const ts = require(process.argv[1]);
const parsed = ts.getParsedCommandLineOfConfigFile(process.argv[2], {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} });
const program = ts.createProgram(parsed.fileNames, parsed.options);
const wanted = new Set(parsed.fileNames.map((f) => require('path').resolve(f)));
for (const sf of program.getSourceFiles()) {
  if (!wanted.has(require('path').resolve(sf.fileName))) continue;
  const syntax = program.getSyntacticDiagnostics(sf);
  for (const d of syntax.length > 0 ? syntax : program.getSemanticDiagnostics(sf)) {
    if (!d.file || d.start === undefined) continue;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    process.stdout.write(d.file.fileName + '(' + (line + 1) + ',' + (character + 1) + '): error TS' + d.code + ': ' + ts.flattenDiagnosticMessageText(d.messageText, ' ') + '\\n');
  }
}
`;

/** The checker's diagnostics, or what it printed before `timeoutMs` ran out. */
function runTsc(tsconfig: string, cwd: string, timeoutMs: number): Promise<string> {
  const typescript = path.join(TOOL_ROOT, 'node_modules', 'typescript');
  return new Promise((resolve) => {
    if (!fs.existsSync(typescript)) return resolve('');
    const child = spawn(process.execPath, ['-e', CHECKER, typescript, tsconfig], {
      cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      if (out.length < 1_000_000) out += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => resolve(out));
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}
