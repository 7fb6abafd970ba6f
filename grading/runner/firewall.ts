/**
 * A vite plugin for the child's main process: the worker cannot read files outside the sandbox,
 * but vite's main process loads modules on the worker's behalf, so an `import '/abs/path/solutions/…'`
 * would otherwise be read here. This refuses any module outside the allowed folders.
 */
import * as path from 'node:path';

/** A vite plugin that fails loading any file outside `roots` (absolute folders). */
export function importFirewall(roots: string[]) {
  const allowed = roots.map((r) => path.resolve(r) + path.sep);
  return {
    name: 'how-llms-grading-firewall',
    enforce: 'pre' as const,
    load(id: string) {
      if (id.startsWith('\0') || id.startsWith('node:') || !path.isAbsolute(id)) return null;
      const file = path.resolve(id.replace(/[?#].*$/, ''));
      if (!allowed.some((root) => file.startsWith(root))) {
        throw new Error(
          `the grader does not let submissions import ${file}: import only your own files, the course library (@how-llms-work/lib) and npm packages`,
        );
      }
      return null;
    },
  };
}
