// The bundler matrix of tests/bundlers.test.mjs: every tool and mode, how the page must load the wasm
// there, and how to build the app with that tool (or start its dev server) and serve it on 127.0.0.1.
//
// Each combination runs in a process of its own (tools set process-wide state: Vite sets NODE_ENV,
// which then decides other tools' export conditions):
//
//   node tests/bundlers/matrix.mjs <index in MATRIX> <work directory>
//
// builds or starts the combination for the apps in <work directory> (prepared by the test: app/, next/
// and its copy next-dev/), prints one line `served {"name","url","warnings","sizes"}` once the app is served, and stops
// serving and exits when its stdin ends.
import { execFile, spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { repoRoot } from "../harness/env.mjs";
import { listen } from "../harness/wait.mjs";

const BUILD_TIMEOUT = 480000;

// How the page gets the wasm: "asset", the tool emitted the package's `new URL("…wasm",
// import.meta.url)` as a file of the app; "inline", the tool resolved the package's inline entry
// (pkg/index.inline.js, see package.json "exports") and no .wasm is fetched; "missing", the tool
// resolved pkg/index.js but did not emit its wasm.
export const LOADS = {
  asset: "emitted .wasm file",
  inline: "inline entry, wasm in the JS",
  missing: "not emitted: connect_error naming the URL",
};

// Every combination: the tool, its mode, the configuration it needs (`result`, when it needs one), how
// the wasm must load, and how to build or serve the app.
// README.md's table between the bundler markers is this list (see `readmeTable`).
export const MATRIX = [
  ...["vite5", "vite6", "vite", "vite8"].flatMap((pkg) => [
    { tool: `Vite ${viteMajor(pkg)}`, mode: "dev server", loads: "inline", serve: (work) => viteDev(work, pkg) },
    { tool: `Vite ${viteMajor(pkg)}`, mode: "build", loads: "asset", serve: (work) => viteBuild(work, pkg) },
  ]),
  { tool: "webpack 5", mode: "dev server", loads: "inline", serve: webpackDevServer },
  { tool: "webpack 5", mode: "development", loads: "inline", serve: (work) => webpackBuild(work, "development", "./main.js") },
  { tool: "webpack 5", mode: "production", loads: "asset", serve: (work) => webpackBuild(work, "production", "./main.js") },
  {
    tool: "webpack 5",
    mode: 'production, require("socketio-wasm")',
    loads: "asset",
    serve: (work) => webpackBuild(work, "production", "./main.cjs"),
  },
  { tool: "Rollup 4 + node-resolve", mode: "build", loads: "inline", serve: (work) => rollupBuild(work, {}) },
  {
    tool: "Rollup 4 + node-resolve",
    mode: "build, `browser: true`",
    result: "fails without the one-line fix below",
    loads: "missing",
    serve: (work) => rollupBuild(work, { browser: true }),
  },
  {
    tool: "Rollup 4 + node-resolve",
    mode: "build, `browser: true`",
    result: 'one line: `exportConditions: ["wasm-inline"]`',
    loads: "inline",
    serve: (work) => rollupBuild(work, { browser: true, exportConditions: ["wasm-inline"] }),
  },
  { tool: "esbuild", mode: "bundle (ESM)", loads: "inline", serve: esbuildBundle },
  { tool: "Parcel 2", mode: "development (watch)", loads: "asset", serve: parcelWatch },
  { tool: "Parcel 2", mode: "build", loads: "asset", serve: parcelBuild },
  { tool: "Next.js 16", mode: "client component, next dev", loads: "inline", serve: nextDev, prerenders: true },
  { tool: "Next.js 16", mode: "client component, next build + start", loads: "asset", serve: nextBuild, prerenders: true },
];

// The vite version of package `pkg` ("vite" is Vite 7, the others are aliases such as vite5).
function viteMajor(pkg) {
  return pkg === "vite" ? 7 : Number(pkg.slice(4));
}

// The README table MATRIX stands for.
export function readmeTable() {
  const row = ({ tool, mode, result = "works, no configuration", loads }) => `| ${tool} | ${mode} | ${result} | ${LOADS[loads]} |`;
  const rows = MATRIX.map(row);
  return ["| Tool | Mode | Result | How the wasm loads |", "|---|---|---|---|", ...rows].join("\n");
}

// The page a bundle's entry script needs (webpack, Rollup and esbuild write none): `type` "module" for
// an ES module output, "defer" for webpack's classic script.
const entryPage = (script, type) => `<!doctype html>
<html><head><meta charset="utf-8"><title>pending</title>
<script ${type === "module" ? 'type="module"' : "defer"} src="${script}"></script></head>
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
async function serveDirectory(root) {
  const httpServer = http.createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    if (urlPath === "/favicon.ico") return res.writeHead(204).end(); // asked for by the browser itself
    const file = path.join(root, urlPath === "/" ? "index.html" : urlPath);
    if (!file.startsWith(path.resolve(root) + path.sep)) return res.writeHead(404).end();
    try {
      const body = await readFile(file);
      const type = MIME_TYPES[path.extname(file)] || "application/octet-stream";
      res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  const url = await listen(httpServer);
  return {
    url,
    close() {
      httpServer.closeAllConnections();
      return new Promise((resolve) => httpServer.close(() => resolve()));
    },
  };
}

// A built app: serves `dist` and reports its .js and .wasm files' sizes.
async function servedBuild(name, dist, warnings = []) {
  const site = await serveDirectory(dist);
  return { name, url: site.url, warnings, sizes: await bundleSizes(dist), close: () => site.close() };
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



// A Vite logger that keeps warnings instead of printing them.
function quietLogger(createLogger, warnings) {
  const logger = createLogger("warn", { allowClearScreen: false });
  logger.warn = (message) => warnings.push(message);
  logger.warnOnce = (message) => warnings.push(message);
  return logger;
}

// The Vite config every Vite combination uses: the app as root, no config file, and a cache of its own
// per version (the apps share a directory).
const viteConfig = (work, pkg, createLogger, warnings) => ({
  root: work.app,
  configFile: false,
  logLevel: "warn",
  cacheDir: path.join(work.app, "node_modules", `.vite-${pkg}`),
  customLogger: quietLogger(createLogger, warnings),
});

// `vite build` of the app through the JS API of package `pkg` (an alias such as vite5).
async function viteBuild(work, pkg) {
  const { build, createLogger, version } = await import(pkg);
  const warnings = [];
  const outDir = path.join(work.app, `dist-${pkg}`);
  await build({ ...viteConfig(work, pkg, createLogger, warnings), build: { outDir, emptyOutDir: true } });
  return servedBuild(`vite ${version} build`, outDir, warnings);
}

// Vite's dev server (package `pkg`) on 127.0.0.1, a free port.
async function viteDev(work, pkg) {
  const { createServer, createLogger, version } = await import(pkg);
  const warnings = [];
  const server = await createServer({
    ...viteConfig(work, pkg, createLogger, warnings),
    server: { host: "127.0.0.1", port: 0, strictPort: true, hmr: false },
  });
  await server.listen();
  const { port } = server.httpServer.address();
  return { name: `vite ${version} dev server`, url: `http://127.0.0.1:${port}`, warnings, sizes: [], close: () => server.close() };
}

// webpack through its JS API: the mode, the entry, the output directory; nothing else.
async function webpackBuild(work, mode, entry) {
  const { default: webpack } = await import("webpack");
  const dist = path.join(work.app, `dist-webpack-${mode}-${path.extname(entry).slice(1)}`);
  const config = { mode, context: work.app, entry, output: { path: dist } };
  const stats = await new Promise((resolve, reject) => {
    const compiler = webpack(config);
    compiler.run((error, result) => {
      compiler.close(() => (error ? reject(error) : resolve(result)));
    });
  });
  const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
  const messageOf = (item) => item.message;
  if (errors.length) throw new Error(`webpack build failed:\n${errors.map(messageOf).join("\n\n")}`);
  await writeFile(path.join(dist, "index.html"), entryPage("main.js", "defer"));
  return servedBuild(`webpack ${webpack.version} ${mode} (${entry})`, dist, warnings.map(messageOf));
}

// webpack-dev-server (its JS API) with its defaults (hot reloading, the client overlay) for the app's entry
// in development mode; its page is served from a directory of its own.
async function webpackDevServer(work) {
  const { default: webpack } = await import("webpack");
  const { default: WebpackDevServer } = await import("webpack-dev-server");
  const pageDir = path.join(work.app, "public-webpack-dev-server");
  await mkdir(pageDir, { recursive: true });
  await writeFile(path.join(pageDir, "index.html"), entryPage("main.js", "defer"));
  const compiler = webpack({ mode: "development", context: work.app, entry: "./main.js" });
  const server = new WebpackDevServer({ host: "127.0.0.1", port: 0, static: { directory: pageDir } }, compiler);
  await server.start();
  const { port } = server.server.address();
  const name = `webpack-dev-server ${await versionOf("webpack-dev-server")}`;
  return { name, url: `http://127.0.0.1:${port}`, warnings: [], sizes: [], close: () => server.stop() };
}

// Rollup 4 with @rollup/plugin-node-resolve (with `resolveOptions`) and nothing else: an ES module bundle.
async function rollupBuild(work, resolveOptions) {
  const { rollup, VERSION } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  const warnings = [];
  const dist = path.join(work.app, `dist-rollup-${Object.keys(resolveOptions).join("-") || "defaults"}`);
  const bundle = await rollup({
    input: path.join(work.app, "main.js"),
    plugins: [nodeResolve(resolveOptions)],
    onwarn: (warning) => warnings.push(warning.message),
  });
  await bundle.write({ dir: dist, format: "es" });
  await bundle.close();
  await writeFile(path.join(dist, "index.html"), entryPage("main.js", "module"));
  return servedBuild(`rollup ${VERSION}`, dist, warnings);
}

// esbuild's ES module bundle (its browser defaults), minified as for production.
async function esbuildBundle(work) {
  const { build, version } = await import("esbuild");
  const dist = path.join(work.app, "dist-esbuild");
  const result = await build({
    entryPoints: [path.join(work.app, "main.js")],
    bundle: true,
    format: "esm",
    minify: true,
    outdir: dist,
    logLevel: "silent",
  });
  await writeFile(path.join(dist, "index.html"), entryPage("main.js", "module"));
  return servedBuild(`esbuild ${version}`, dist, result.warnings.map((warning) => warning.text));
}

// Runs `node <script> ...args` in `cwd`; resolves to its output, rejects with it on failure.
async function runNode(script, args, cwd) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
      cwd,
      timeout: BUILD_TIMEOUT,
      maxBuffer: 16 << 20,
    });
    return stdout + stderr;
  } catch (error) {
    error.message += `\n${error.stdout}\n${error.stderr}`;
    throw error;
  }
}

// The version of the pinned package `name`, read from its package.json (for tools without a version export).
async function versionOf(name) {
  return JSON.parse(await readFile(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")).version;
}

const PARCEL_BIN = path.join(repoRoot, "node_modules/parcel/lib/bin.js");
const parcelVersion = () => versionOf("parcel");

// `parcel build index.html` (its CLI; the cache and output directories given, as the apps share a
// directory), with no configuration file.
async function parcelBuild(work) {
  const dist = path.join(work.app, "dist-parcel");
  const cache = path.join(work.app, "node_modules", ".parcel-cache");
  const args = ["build", "index.html", "--dist-dir", dist, "--cache-dir", cache, "--no-autoinstall"];
  const output = await runNode(PARCEL_BIN, args, work.app);
  const warnings = output.split("\n").filter((line) => /warn/i.test(line));
  return servedBuild(`parcel ${await parcelVersion()} build`, dist, warnings);
}

// `parcel watch index.html` (its CLI, development mode) without hot reloading, whose socket would need
// a fixed port: it writes the app to a directory, served here once the first build is done.
async function parcelWatch(work) {
  const dist = path.join(work.app, "dist-parcel-watch");
  const cache = path.join(work.app, "node_modules", ".parcel-cache-watch");
  const args = ["watch", "index.html", "--no-hmr", "--dist-dir", dist, "--cache-dir", cache, "--no-autoinstall"];
  const watcher = spawn(process.execPath, [PARCEL_BIN, ...args], { cwd: work.app, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise((resolve, reject) => {
    watcher.on("exit", (code) => reject(new Error(`parcel watch exited (${code}):\n${output}`)));
    const onOutput = (chunk) => {
      output += chunk;
      if (/Built in/.test(output)) resolve();
      if (/🚨|Build failed/.test(output)) reject(new Error(`parcel watch failed:\n${output}`));
    };
    watcher.stdout.on("data", onOutput);
    watcher.stderr.on("data", onOutput);
  });
  const served = await servedBuild(`parcel ${await parcelVersion()} watch (development)`, dist);
  const stopped = new Promise((resolve) => watcher.on("exit", resolve));
  return {
    ...served,
    async close() {
      await served.close();
      watcher.kill();
      await stopped;
    },
  };
}

// `next build` of the Next.js app (its default bundler, no next.config), then served as `next start`
// serves it. Lines of the build's output that mention socketio-wasm or a warning are reported
// (prerendering on the server imports the client component's modules).
async function nextBuild(work) {
  const output = await runNode(path.join(repoRoot, "node_modules/next/dist/bin/next"), ["build"], work.next);
  const served = await nextServer(work, false, `next ${await versionOf("next")} build + start`);
  const warnings = output.split("\n").filter((line) => /socketio|warn/i.test(line));
  return { ...served, warnings, sizes: await bundleSizes(path.join(work.next, ".next", "static")) };
}

// `next dev` for the Next.js app (its default bundler, no next.config), in a copy of its own (next-dev/:
// `next build` writes to the same .next directory), once it has compiled the page.
async function nextDev(work) {
  const served = await nextServer({ next: work.nextDev }, true, `next ${await versionOf("next")} dev`);
  // The first request compiles the page (up to 40 s here): made now, so that it counts as start-up.
  const response = await fetch(`${served.url}/`, { signal: AbortSignal.timeout(BUILD_TIMEOUT) });
  await response.arrayBuffer();
  return { ...served, sizes: [] };
}

// Next.js's server for the app in `work.next` (development mode or the production build), through its
// custom-server API, which serves what `next dev` or `next start` serve, on 127.0.0.1 and a free port.
async function nextServer(work, dev, name) {
  const { default: next } = await import("next");
  const app = next({ dev, dir: work.next, hostname: "127.0.0.1" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const httpServer = http.createServer((req, res) => handle(req, res));
  const url = await listen(httpServer);
  const close = async () => {
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(() => resolve()));
    await app.close?.();
  };
  return { name, url, warnings: [], close };
}

// The command line: serve MATRIX[index] for the apps in the work directory until stdin ends.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [index, dir] = process.argv.slice(2);
  const combination = MATRIX[Number(index)];
  if (!combination || !dir) throw new Error("usage: node tests/bundlers/matrix.mjs <index in MATRIX> <work directory>");
  const apps = { app: path.join(dir, "app"), next: path.join(dir, "next"), nextDev: path.join(dir, "next-dev") };
  const served = await combination.serve({ dir, ...apps });
  const { name, url, warnings, sizes } = served;
  process.stdout.write(`\nserved ${JSON.stringify({ name, url, warnings, sizes })}\n`);
  process.stdin.resume();
  process.stdin.on("end", async () => {
    await served.close();
    process.exit(0);
  });
}
