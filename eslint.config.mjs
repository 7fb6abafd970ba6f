// typescript-eslint's recommended rules, a little lenient where the course's code has reasons (see each rule).
// `npm run lint:code` runs it; `npm test` does too.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '_site/**',
      'bench/results/**',
      'reports/**',
      'test-artifacts/**',
      '.jupyter/**',
      'datasets/.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        globalThis: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        AbortController: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
        WebAssembly: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
      },
    },
    rules: {
      // Optional native and GPU packages load with require() inside try, only where they exist.
      '@typescript-eslint/no-require-imports': 'off',
      // Unused names are errors, but a leading underscore marks one kept on purpose (an argument a callback must accept).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // TF.js's kernel and gradient registries are typed loosely; a few casts through any are the honest type.
      '@typescript-eslint/no-explicit-any': 'off',
      // Non-null assertions follow a check the compiler cannot see (a cache that preallocateKV just filled).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // let [q, k, v] = … where only q and k are reassigned (RoPE) reads better than two declarations.
      'prefer-const': ['error', { destructuring: 'all' }],
      // Terminal colour codes and NUL markers are matched on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  {
    // Stubs keep the solution's signature and throw TODO: their arguments are unused until the learner fills them in.
    files: ['exercises/**/*.ts', 'test/grading/fixtures/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
  {
    // Functions that playwright runs inside the page.
    files: ['test/browser/**/*.mjs'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', MutationObserver: 'readonly', getComputedStyle: 'readonly' },
    },
  },
);
