// Packaging: every bundler a frontend uses, each as a test. A small app (tests/bundlers/app/, or the
// Next.js client component of tests/bundlers/next/) imports "socketio-wasm" by package name and calls
// io() before the wasm has loaded; each tool of MATRIX builds it (or serves it from its dev server) with
// no configuration about the wasm (only where the entry is and where to write), and the page runs in
// headless Chromium against the socket.io 4.8 server: it must connect, get its echo ack and a binary
// round trip, with no page error, console error or failed request (and, for Next.js, no error from the
// package in the server's output: client components are rendered there too), and load the wasm the way
// MATRIX says (an emitted .wasm file fetched from the app's own server, or the inline entry with no
// .wasm request; see package.json "exports"). README.md's bundler table is MATRIX, written out (checked
// here).
// Also: the app written as CommonJS (require("socketio-wasm")) bundled by webpack, and
// require("socketio-wasm") in Node.
//
// The apps are copied to a temporary directory under target/ (inside the repository, so that the tools
// and React resolve from its node_modules, as Turbopack requires) with our packed package (OURS_DIR,
// the output of `npm pack`, unpacked) copied to their node_modules/socketio-wasm, as `npm install
// <tarball>` would. Each version of a tool is its pinned devDependency (npm aliases: vite5, vite6,
// vite8). Builds are served from the root of their own static server on 127.0.0.1; the server URL
// reaches the page as ?server=…, so the bundles are static. At most two combinations run at a time
// (2 cores). Bundle sizes and build times are reported as diagnostics, not asserted.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { LOADS, MATRIX, readmeTable } from "./bundlers/matrix.mjs";
import { launchBrowser } from "./harness/browser.mjs";
import { oursDir, repoRoot } from "./harness/env.mjs";
import { startSocketServer } from "./harness/socket-server.mjs";

const APP_DIR = fileURLToPath(new URL("./bundlers/app/", import.meta.url));
const NEXT_DIR = fileURLToPath(new URL("./bundlers/next/", import.meta.url));
const README = path.join(repoRoot, "README.md");
const MATRIX_CLI = fileURLToPath(new URL("./bundlers/matrix.mjs", import.meta.url));
const PAGE_TIMEOUT = 15000;
const NAVIGATION_TIMEOUT = 120000; // dev servers compile on request (next dev: 10-40 s on 2 busy cores)
const SERVE_TIMEOUT = 540000; // next build took 26-160 s here, depending on the load
const RUNNING_AT_ONCE = 2;
const skip = !oursDir && "OURS_DIR is not set (the directory of this package's `npm pack`, unpacked)";

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

// The process groups of the combinations still running (see serveInChild), ended by `after`.
const running = new Set();

// Builds or starts MATRIX[index] in a process of its own (see tests/bundlers/matrix.mjs) and resolves to
// { name, url, warnings, sizes, log(), close() } once the app is served; log() is the process's output so
// far, close() stops it. The process leads a group of its own, so that a kill reaches the tools it runs.
function serveInChild(index, workDir) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.NODE_ENV; // each tool sets its own
  const child = spawn(process.execPath, [MATRIX_CLI, String(index), workDir], { env, detached: true });
  const killGroup = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  running.add(killGroup);
  let output = "";
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  exited.then(() => running.delete(killGroup));
  const close = async () => {
    child.stdin.end();
    const timer = setTimeout(killGroup, 10000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`not served within ${SERVE_TIMEOUT} ms:\n${output}`));
    }, SERVE_TIMEOUT);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before serving:\n${output}`));
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const served = /^served (.*)$/m.exec(output);
      if (served) {
        clearTimeout(timer);
        resolve({ ...JSON.parse(served[1]), close, log: () => output });
      }
    });
  });
}

// Loads the app in a fresh page and resolves to what it wrote to window.__result, with what else the
// page saw: uncaught errors, console errors, failed requests and the .wasm files it fetched. Rejects
// (with all of that) if the app does not finish within PAGE_TIMEOUT.
async function runApp(browser, socketServer, served) {
  const page = await browser.newPage();
  const seen = { errors: [], consoleErrors: [], failedRequests: [], wasmFetched: [] };
  page.on("pageerror", (error) => seen.errors.push(String(error)));
  page.on("console", (message) => {
    const fromFavicon = message.location().url?.endsWith("/favicon.ico"); // asked for by the browser itself
    if (message.type() === "error" && !fromFavicon) seen.consoleErrors.push(message.text());
  });
  page.on("requestfailed", (request) => seen.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    const { pathname } = new URL(response.url());
    if (pathname === "/favicon.ico") return;
    if (response.status() >= 400) seen.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
    if (pathname.endsWith(".wasm")) seen.wasmFetched.push(response.url());
  });
  try {
    await page.goto(`${served.url}/?server=${encodeURIComponent(socketServer.url)}`, { timeout: NAVIGATION_TIMEOUT });
    const done = () => window.__result?.done && window.__result;
    const finished = await page.waitForFunction(done, null, { timeout: PAGE_TIMEOUT }).catch(() => null);
    const result = finished ? await finished.jsonValue() : await page.evaluate(() => window.__result);
    if (!finished) throw new Error(`the app did not finish within ${PAGE_TIMEOUT} ms: ${JSON.stringify({ result, ...seen })}`);
    return { result, title: await page.title(), ...seen };
  } finally {
    await page.close();
  }
}

// Asserts that the app worked: connected, got its echo ack and binary round trip, with nothing wrong
// in the page, and loaded the wasm as `loads` says.
function assertWorked(ran, served, loads, socketServer) {
  const { result, title, errors, consoleErrors, failedRequests, wasmFetched } = ran;
  assert.equal(result.error, null, JSON.stringify(ran));
  assert.equal(title, "ok");
  assert.deepEqual(errors, [], "uncaught errors in the page");
  assert.deepEqual(consoleErrors, [], "console errors in the page");
  assert.deepEqual(failedRequests, [], "failed requests");
  assert.equal(result.connected, true);
  assert.deepEqual(result.echo, ["hello", { from: "bundle" }]);
  assert.deepEqual(result.binary, [0, 1, 127, 128, 255]);
  assert.equal(socketServer.observed.socket(result.id).nsp, "/");
  const wasmOrigins = wasmFetched.map((url) => new URL(url).origin);
  const wasmFiles = served.sizes.filter(({ file }) => file.endsWith(".wasm"));
  if (loads === "asset") {
    assert.deepEqual(wasmOrigins, [served.url], "the page fetched one .wasm, from the app's own server");
    assert.equal(wasmFiles.length, 1, `one .wasm emitted: ${JSON.stringify(wasmFiles)}`);
  } else {
    assert.deepEqual(wasmOrigins, [], "the page fetched no .wasm (the inline entry)");
  }
}

// Asserts what a user sees where the tool did not emit the wasm: the page asked for it next to the
// bundle, got a 404, and the socket got a connect_error naming the URL (never a hang).
function assertMissingWasm(ran, served) {
  const wasmUrl = `${served.url}/socketio_wasm_bg.wasm`;
  assert.equal(served.sizes.filter(({ file }) => file.endsWith(".wasm")).length, 0, "no .wasm emitted");
  assert.deepEqual(ran.wasmFetched, [wasmUrl], "the page asked for the wasm next to the bundle");
  assert.match(ran.result.error, new RegExp(`^connect_error: .*${wasmUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
}

// A client component is also rendered on the server (Next.js prerenders it), which imports its modules
// there: whatever entry the server resolves must not log an error (the wasm failing to load).
function assertQuietOnServer(served) {
  const lines = [...served.warnings, ...served.log().split("\n").filter((line) => !line.startsWith("served "))];
  assert.deepEqual(lines.filter((line) => /socketio-wasm/.test(line)), [], "socketio-wasm's output on the server");
}

test("README.md's bundler table is the matrix this file runs", async () => {
  const readme = await readFile(README, "utf8");
  const found = /<!-- bundlers:start -->\n([\s\S]*?)\n<!-- bundlers:end -->/.exec(readme);
  assert.ok(found, "README.md has the markers <!-- bundlers:start --> and <!-- bundlers:end -->");
  assert.equal(found[1], readmeTable(), `README.md's table between the bundler markers should read:\n${readmeTable()}`);
});

// Two combinations at a time (2 cores); a test's timeout counts from its own start.
describe("bundlers", { concurrency: RUNNING_AT_ONCE }, () => {
  const work = {};
  let server, browser;

  before(async () => {
    if (skip) return;
    await mkdir(path.join(repoRoot, "target"), { recursive: true });
    work.dir = await mkdtemp(path.join(repoRoot, "target", "bundlers-"));
    work.app = path.join(work.dir, "app");
    work.next = path.join(work.dir, "next");
    await cp(APP_DIR, work.app, { recursive: true });
    await cp(NEXT_DIR, work.next, { recursive: true });
    await cp(path.join(APP_DIR, "app.js"), path.join(work.next, "app", "start.js"));
    await cp(work.next, path.join(work.dir, "next-dev"), { recursive: true });
    for (const dir of [work.app, work.next, path.join(work.dir, "next-dev")]) {
      await cp(oursDir, path.join(dir, "node_modules", "socketio-wasm"), { recursive: true });
    }
    [server, browser] = await Promise.all([startSocketServer(), launchBrowser()]);
  });

  after(async () => {
    for (const killGroup of running) killGroup();
    await Promise.all([browser?.close(), server?.close()]);
    if (work.dir) await rm(work.dir, { recursive: true, force: true });
  });

  for (const [index, combination] of MATRIX.entries()) {
    const { tool, mode, result, loads } = combination;
    const missing = loads === "missing";
    const outcome = missing ? "the wasm is not emitted: connect_error naming its URL, no hang" : "connects, echo ack, binary round trip";
    const name = `ours: ${tool}, ${mode}${result ? ` (${result})` : ""}: ${outcome}${missing ? "" : ` (${LOADS[loads]})`}`;
    test(name, { skip, timeout: SERVE_TIMEOUT + 60000 }, async (t) => {
      const start = performance.now();
      const served = await serveInChild(index, work.dir);
      t.diagnostic(`${served.name}: ready in ${Math.round(performance.now() - start)} ms`);
      try {
        for (const warning of served.warnings) t.diagnostic(`${served.name} warning: ${warning.split("\n")[0]}`);
        const ran = await runApp(browser, server, served);
        if (missing) assertMissingWasm(ran, served);
        else assertWorked(ran, served, loads, server);
        if (combination.prerenders) assertQuietOnServer(served);
        for (const { file, bytes, gzip } of served.sizes) t.diagnostic(`${served.name} ${file}: ${kB(bytes)} (gzip ${kB(gzip)})`);
      } finally {
        await served.close();
      }
    });
  }

  // The package's CommonJS build (its "node" + "require" export condition) on Node 22 (tests/node/runtimes;
  // tests/node.test.mjs runs it against a server): the machine's Node may be older.
  const node22 = fileURLToPath(new URL("./node/runtimes/node_modules/node22/bin/node", import.meta.url));
  test('ours: require("socketio-wasm") in Node gives the API', { skip }, async () => {
    const script = `
      const lib = require("socketio-wasm");
      const kinds = Object.fromEntries(["default", "io", "connect", "Manager", "Socket", "protocol"].map((k) => [k, typeof lib[k]]));
      process.stdout.write(JSON.stringify({ kinds, defaultIsIo: lib.default === lib.io, protocol: lib.protocol }));
      process.exit(0);`;
    const { stdout } = await promisify(execFile)(node22, ["-e", script], { cwd: work.app, timeout: 10000 });
    assert.deepEqual(JSON.parse(stdout), {
      kinds: { default: "function", io: "function", connect: "function", Manager: "function", Socket: "function", protocol: "number" },
      defaultIsIo: true,
      protocol: 5,
    });
  });
});
