import { defineConfig } from 'vitest/config';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

// The test runner's own settings, read here rather than in accel/src/settings.ts (which the library reads):
// HOW_LLMS_EXERCISES (whose exercises to test) and HOW_LLMS_BACKEND, which each project sets for its tests.
// The exercise tests import the implementation under test as `@exercises/chNN-topic/file`.
// One switch says whose: `solutions` (default, CI), `exercises` (the learner's own, `npm run check`),
// or any folder shaped like exercises/ (a student's submission, `npm run grade`).
const exercisesDir = path.resolve(root, process.env.HOW_LLMS_EXERCISES ?? 'solutions');

// Tests import the library's and the accelerator's TypeScript source by package name, so they need no build.
const alias = [
  { find: /^@exercises\/(.*)$/, replacement: `${exercisesDir}/$1` },
  { find: /^@how-llms-work\/accel$/, replacement: path.resolve(root, 'accel/src/index.ts') },
  { find: /^@how-llms-work\/lib$/, replacement: path.resolve(root, 'lib/src/index.ts') },
  { find: /^@how-llms-work\/lib\/(.*)$/, replacement: path.resolve(root, 'lib/src/$1/index.ts') },
];

// The library's and the accelerator's tests run once per backend: wasm (the default here) and cpu (the reference).
const libProject = (backend: 'wasm' | 'cpu') => ({
  resolve: { alias },
  test: {
    name: `lib-${backend}`,
    include: ['test/lib/**/*.test.ts', 'test/accel/**/*.test.ts'],
    env: { HOW_LLMS_BACKEND: backend },
    setupFiles: ['test/setup.ts'],
    // One module graph per worker: importing TF.js and the library once, not once per file, makes these projects
    // about five times faster. Their tests share no state they do not restore (settings go through withSettings).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      libProject('wasm'),
      libProject('cpu'),
      {
        resolve: { alias },
        test: {
          name: 'course',
          include: ['test/**/*.test.ts'],
          exclude: ['test/lib/**', 'test/accel/**', 'test/browser/**', '**/node_modules/**'],
          env: { HOW_LLMS_BACKEND: 'wasm' },
          setupFiles: ['test/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
