// Type tests: tsc must accept tests/types/ against our declarations (js/index.d.ts, reached through the
// package's "exports") and the portable part of it against socket.io-client 4.8's own declarations.
// Misuse lines carry `@ts-expect-error`, so types that became too loose fail here too.
// No browser, no server: runs whatever CLIENTS / OURS_DIR say.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { test } from "node:test";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));

/** Runs tsc on a project; resolves with its exit code and output. */
function typecheck(project) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsc, "-p", project, "--pretty", "false"],
      { cwd: repoRoot, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : String(error.code ?? error.signal)) : 0;
        resolve({ code, output: (stdout + stderr).trim() });
      },
    );
  });
}

const projects = [
  ["ours: TypeScript types compile (js/index.d.ts, typed usage and rejected misuse)", "tests/types/tsconfig.json"],
  ["official: the same user code compiles with socket.io-client's types", "tests/types/tsconfig.official.json"],
];

// Both compilations start at once (about 2.5 s each); the tests then wait for their own.
const runs = projects.map(([, project]) => typecheck(project));

projects.forEach(([name, project], index) => {
  test(name, async () => {
    const { code, output } = await runs[index];
    assert.equal(code, 0, `tsc -p ${project} failed:\n${output}`);
  });
});
