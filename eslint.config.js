// One linter for the whole tree (issue 17), configured like withastro/starlight's:
// JavaScript's and typescript-eslint's recommended rules, eslint-plugin-astro for
// .astro files, and eslint-plugin-jsx-a11y for the Preact islands (accessibility
// is the product). `npm run lint` runs it and Prettier's check; `npm run check` too.
import js from '@eslint/js';
import astro from 'eslint-plugin-astro';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'reports/',
      'test-results/',
      'playwright-report/',
      'deploy/generated/',
      '.astro/',
      'node-linux-x64/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    files: ['src/islands/**/*.tsx', 'src/components/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    // The `is:inline` scripts in .astro files (pre-paint, the language chooser) are written
    // small by hand, in ES5, because they travel in every page's HTML before anything else.
    files: ['**/*.astro/*.js', '**/*.astro/*.ts'],
    rules: { 'no-var': 'off', 'no-empty': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // `_name` marks a parameter or binding kept on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
);
