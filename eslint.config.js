// ESLint (flat config): the recommended rules over every JavaScript file of the repository, with the
// globals of where each file runs. `npm test` runs it before the slow tests (scripts/lint.sh).
import js from "@eslint/js";
import globals from "globals";

const browser = { ...globals.browser, ...globals.worker };

export default [
  { ignores: ["pkg/", "pkg-stable/", "target/", "node_modules/", "dist/", "bench/results/"] },
  js.configs.recommended,
  {
    // `const { dropped, ...kept } = value` is how the sources leave a field out.
    rules: { "no-unused-vars": ["error", { ignoreRestSiblings: true }] },
  },
  // Node: scripts, servers, the test and bench drivers.
  {
    files: ["**/*.mjs", "**/*.cjs"],
    languageOptions: { globals: globals.node },
  },
  // Browsers and workers: the package's sources, the demo, and the pages the tests and the bench load.
  {
    files: ["js/**/*.js", "www/**/*.js", "tests/harness/page/**/*.js", "tests/bundlers/app/**/*.js", "bench/page/**/*.js"],
    languageOptions: { globals: browser },
  },
  // Drivers of a page: they run in Node, the functions they hand to the page run in the browser.
  {
    files: ["tests/*.test.mjs", "bench/run.mjs"],
    languageOptions: { globals: { ...globals.node, ...browser } },
  },
  // Scenarios take the harness's context objects and name the parts they document, used or not
  // (`async ({ io }, t) => …`).
  {
    files: ["tests/*.test.mjs"],
    rules: { "no-unused-vars": ["error", { args: "none", ignoreRestSiblings: true }] },
  },
];
