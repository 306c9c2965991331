// Packaging: a small app (tests/bundlers/app/) that imports "socketio-wasm" by package name and calls
// io() at module top level, built for production by Vite and by webpack 5 with no plugin and no
// wasm-related configuration (only where the entry is and where to write), then run in headless
// Chromium against the socket.io 4.8 server: it must connect and get its echo ack, with no page error.
// Also: the same app written as CommonJS (require("socketio-wasm")) bundled by webpack, and
// require("socketio-wasm") in Node.
//
// The app is copied to a temporary directory with our packed package (OURS_DIR, the output of
// `npm pack`, unpacked) copied to its node_modules/socketio-wasm, as `npm install <tarball>` would.
// Each bundle is served from the root of its own static server on 127.0.0.1; the server URL reaches
// the page as ?server=…, so the bundles are static. Bundle sizes (raw and gzip) and build times are
// reported as diagnostics, not asserted.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { launchBrowser } from "./harness/browser.mjs";
import { oursDir } from "./harness/env.mjs";
import { startSocketServer } from "./harness/socket-server.mjs";
import { listen } from "./harness/wait.mjs";

const APP_DIR = fileURLToPath(new URL("./bundlers/app/", import.meta.url));
const PAGE_TIMEOUT = 10000;
const skip = !oursDir && "OURS_DIR is not set (the directory of this package's `npm pack`, unpacked)";

// webpack writes no HTML by itself: this is the page html-webpack-plugin would write for the entry
// (a classic deferred script), kept here so that the build stays plugin-free.
const WEBPACK_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>pending</title><script defer src="main.js"></script></head>
<body></body></html>
`;

const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

// Serves the files of `root` (index.html for "/"), nothing outside it; .wasm as application/wasm.
// `served` lists the files it sent, relative to `root`.
async function serveDirectory(root) {
  const served = [];
  const httpServer = http.createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    if (urlPath === "/favicon.ico") return res.writeHead(204).end(); // asked for by the browser itself
    const file = path.join(root, urlPath === "/" ? "index.html" : urlPath);
    if (!file.startsWith(path.resolve(root) + path.sep)) return res.writeHead(404).end();
    try {
      const body = await readFile(file);
      const type = MIME_TYPES[path.extname(file)] || "application/octet-stream";
      res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
      served.push(path.relative(root, file));
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  const url = await listen(httpServer);
  return {
    url,
    served,
    close() {
      httpServer.closeAllConnections();
      return new Promise((resolve) => httpServer.close(() => resolve()));
    },
  };
}

// { file, bytes, gzip } for each .js and .wasm file of a bundle (file relative to `dir`).
async function bundleSizes(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && /\.(m?js|wasm)$/.test(entry.name))
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const body = await readFile(path.join(dir, file));
      return { file, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
    }),
  );
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

// Reports each file's size, and the gzip totals of the .js and .wasm the page downloaded.
function reportSizes(t, name, sizes, served) {
  for (const { file, bytes, gzip } of sizes) t.diagnostic(`${name} ${file}: ${kB(bytes)} (gzip ${kB(gzip)})`);
  const loaded = sizes.filter(({ file }) => served.includes(file));
  const total = (ext) => kB(loaded.filter(({ file }) => file.endsWith(ext)).reduce((sum, { gzip }) => sum + gzip, 0));
  t.diagnostic(`${name} downloaded by the page, gzip: js ${total(".js")}, wasm ${total(".wasm")}`);
}

// `vite build` through its JS API: the app directory as root, no config file, default output (dist/).
async function buildWithVite(root) {
  const { build, createLogger, version } = await import("vite");
  const warnings = [];
  const logger = createLogger("warn", { allowClearScreen: false });
  logger.warn = (message) => warnings.push(message);
  logger.warnOnce = (message) => warnings.push(message);
  await build({ root, configFile: false, logLevel: "warn", customLogger: logger });
  return { name: `vite ${version}`, dist: path.join(root, "dist"), warnings };
}

// webpack through its JS API: production mode, the entry, the output directory; nothing else.
async function buildWithWebpack(root, entry, outDir) {
  const { default: webpack } = await import("webpack");
  const dist = path.join(root, outDir);
  const config = { mode: "production", context: root, entry, output: { path: dist } };
  const stats = await new Promise((resolve, reject) => {
    const compiler = webpack(config);
    compiler.run((error, result) => {
      compiler.close(() => (error ? reject(error) : resolve(result)));
    });
  });
  const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
  const messageOf = (item) => item.message;
  if (errors.length) throw new Error(`webpack build failed:\n${errors.map(messageOf).join("\n\n")}`);
  await writeFile(path.join(dist, "index.html"), WEBPACK_PAGE);
  return { name: `webpack ${webpack.version} (${entry})`, dist, warnings: warnings.map(messageOf) };
}

// Runs `build()`, timing it; resolves to the build's record plus { ms }.
async function timed(build) {
  const start = performance.now();
  const built = await build();
  return { ...built, ms: Math.round(performance.now() - start) };
}

// Loads the bundle in a fresh page and resolves to what the app wrote to window.__result, after
// asserting the page had no uncaught error, console error or failed request, and fetched exactly one
// .wasm, from the bundle's own server.
async function runBundle(t, browser, socketServer, built) {
  const site = await serveDirectory(built.dist);
  const page = await browser.newPage();
  const errors = [];
  const consoleErrors = [];
  const failedRequests = [];
  const wasmResponses = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("requestfailed", (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
    if (new URL(response.url()).pathname.endsWith(".wasm")) wasmResponses.push(response.url());
  });
  const report = (result) => JSON.stringify({ result, errors, consoleErrors, failedRequests });
  try {
    await page.goto(`${site.url}/?server=${encodeURIComponent(socketServer.url)}`);
    let result;
    try {
      const done = () => window.__result?.done && window.__result;
      result = await (await page.waitForFunction(done, null, { timeout: PAGE_TIMEOUT })).jsonValue();
    } catch (error) {
      const partial = await page.evaluate(() => window.__result).catch(() => undefined);
      error.message += `\n${report(partial)}`;
      throw error;
    }
    assert.equal(result.error, null, report(result));
    assert.equal(await page.title(), "ok");
    assert.deepEqual(errors, [], "uncaught errors in the page");
    assert.deepEqual(consoleErrors, [], "console errors in the page");
    assert.deepEqual(failedRequests, [], "failed requests");
    assert.deepEqual(
      wasmResponses.map((url) => new URL(url).origin),
      [site.url],
      "the page fetched one .wasm, from the bundle's own server",
    );
    reportSizes(t, built.name, await bundleSizes(built.dist), site.served);
    return result;
  } finally {
    await page.close();
    await site.close();
  }
}

describe("bundlers", { concurrency: true }, () => {
  let workDir, appRoot, server, browser;
  const builds = {};

  before(async () => {
    if (skip) return;
    workDir = await mkdtemp(path.join(os.tmpdir(), "bund-"));
    appRoot = path.join(workDir, "app");
    await cp(APP_DIR, appRoot, { recursive: true });
    await cp(oursDir, path.join(appRoot, "node_modules", "socketio-wasm"), { recursive: true });
    // The builds start now, side by side; each test awaits its own (a failed build fails one test).
    builds.vite = timed(() => buildWithVite(appRoot));
    builds.webpack = timed(() => buildWithWebpack(appRoot, "./main.js", "dist-webpack"));
    builds.webpackCommonJs = timed(() => buildWithWebpack(appRoot, "./main.cjs", "dist-webpack-cjs"));
    for (const build of Object.values(builds)) build.catch(() => {});
    [server, browser] = await Promise.all([startSocketServer(), launchBrowser()]);
  });

  after(async () => {
    await Promise.all([browser?.close(), server?.close()]);
    await Promise.allSettled(Object.values(builds));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const cases = [
    ["vite", "ours: vite production build connects and gets its echo ack"],
    ["webpack", "ours: webpack production build connects and gets its echo ack"],
    ["webpackCommonJs", 'ours: webpack production build of require("socketio-wasm") connects and gets its echo ack'],
  ];
  for (const [key, name] of cases) {
    test(name, { skip, timeout: 60000 }, async (t) => {
      const built = await builds[key];
      t.diagnostic(`${built.name}: built in ${built.ms} ms (the builds run side by side)`);
      for (const warning of built.warnings) t.diagnostic(`${built.name} warning: ${warning.split("\n")[0]}`);
      const wasmFiles = (await bundleSizes(built.dist)).filter(({ file }) => file.endsWith(".wasm"));
      assert.equal(wasmFiles.length, 1, `one .wasm in the bundle: ${JSON.stringify(wasmFiles)}`);

      const result = await runBundle(t, browser, server, built);
      assert.equal(result.connected, true);
      assert.deepEqual(result.echo, ["hello", { from: "bundle" }]);
      assert.equal(server.observed.socket(result.id).nsp, "/");
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
    const { stdout } = await promisify(execFile)(node22, ["-e", script], { cwd: appRoot, timeout: 10000 });
    assert.deepEqual(JSON.parse(stdout), {
      kinds: { default: "function", io: "function", connect: "function", Manager: "function", Socket: "function", protocol: "number" },
      defaultIsIo: true,
      protocol: 5,
    });
  });
});
