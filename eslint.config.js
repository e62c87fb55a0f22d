// ESLint (flat config) for the library's JavaScript in js/: the recommended
// rules of @eslint/js. The code runs in browsers, Workers and Node, so their
// globals are all known; the WeChat adapter also sees WeChat's own.
// Run with `npm run lint` (scripts/test.sh runs it too).
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    files: ['js/**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['js/platform/wechat*.js'],
    languageOptions: { globals: { wx: 'readonly', WXWebAssembly: 'readonly' } },
  },
];
