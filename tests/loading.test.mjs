// Loading the package in a page: a wasm that cannot load is reported, never silent; the script-tag build;
// a strict Content-Security-Policy.
//
// The failed-load tests run for ours only: socket.io-client has no wasm, so it cannot be their reference.
// Each breaks one cause on purpose (the wasm answered 404; an HTML page served in its place; gzip bytes
// with no Content-Encoding; truncated wasm bytes; a CSP without 'wasm-unsafe-eval'; a CSP with connect-src
// 'none', which fails the fetch) and asserts what a page sees: the exact Error message (cause, URL tried,
// what to do) on `connect_error` of a socket made before the failure and of one made after, on the
// Manager's `error` and in `open(callback)`; `emitWithAck` rejects and `timeout(1000).emit(..., cb)` calls
// back with it; nothing connects and nothing retries.
//
// The working-load tests are side by side: the same page code against socket.io-client 4.8.4 and ours,
// each as an ES module and as a classic script (socket.io-client's dist/socket.io.min.js; ours from the
// package's "unpkg" field), with no CSP and under `default-src 'self'; script-src 'self'
// 'wasm-unsafe-eval'` (the header of the page's response): connect, acknowledgements, binary both ways.
// Ours also with the script and the wasm preloaded (`<link rel=preload as=fetch crossorigin>`): the wasm
// must be fetched once.
//
// Pages come from this file's own server, which also carries the socket.io 4.8 server (one origin):
//   /<variant>/page.html?client=…&form=module|script   the page, with the variant's CSP header
//   /<variant>/early.js?client=…&form=…                its script: the client, then watch() at top level
//   /<variant>/ours/…, /<variant>/official/…           the package (wasm broken per variant), the dist
// The page code runs through Playwright's evaluate (the DevTools protocol), which no CSP restricts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { launchBrowser } from "./harness/browser.mjs";
import { clients, officialDist, oursDir, oursEntry } from "./harness/env.mjs";
import { attachServer, Observed } from "./harness/socket-server.mjs";
import { MIME_TYPES, send, serveFile } from "./harness/static.mjs";
import { listen } from "./harness/wait.mjs";

const TEST_TIMEOUT = 15000;
const WASM_FILE = "socketio_wasm_bg.wasm";
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

// How a page loads the client: an ES module import, or a classic script that defines a global `io`.
const FORMS = ["module", "script"];

// The Content-Security-Policy header of each variant's pages (none when absent).
const CSP = {
  strict: STRICT_CSP,
  preload: STRICT_CSP,
  "no-wasm-csp": "script-src 'self'",
  "connect-none": "script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'",
};

// How many times each variant's wasm was asked for.
const wasmRequests = {};

// How a variant breaks our wasm: the answer to its URL.
const BROKEN_WASM = {
  missing: (res) => send(res, 404, "text/plain", "not found"),
  html: (res) => send(res, 200, MIME_TYPES[".html"], "<!doctype html>\n<html><head><title>App</title></head><body></body></html>\n"),
  gzipped: (res) => send(res, 200, MIME_TYPES[".wasm"], gzipSync(Buffer.from("\0asm"))),
  truncated: async (res) => {
    const wasm = await readFile(path.join(oursDir, path.dirname(oursEntry()), WASM_FILE));
    send(res, 200, MIME_TYPES[".wasm"], wasm.subarray(0, wasm.length >> 1));
  },
};

// What the page does first, at top level right after loading the client (before our wasm is ready):
// one socket with listeners and two acknowledgements waiting. `lib` is the client's module (or, for a
// classic script, the global `io`, which carries the same names). Runs in the page.
function watch(lib) {
  const events = [];
  const record = (name) => (arg) => events.push(`${name} ${arg instanceof Error ? arg.message : arg}`);
  // Reconnection on with a short delay: a retry would show within afterFailure's wait.
  const socket = lib.io(location.origin, { transports: ["websocket"], reconnectionDelay: 50, randomizationFactor: 0 });
  socket.on("connect", () => events.push("s connect"));
  socket.on("connect_error", record("s connect_error"));
  socket.io.on("error", record("m error"));
  socket.io.on("reconnect_attempt", record("m reconnect_attempt"));
  const acks = Promise.all([
    socket.emitWithAck("echo", 1).then(
      (value) => `emitWithAck resolved ${value}`,
      (error) => `emitWithAck rejected ${error.message}`,
    ),
    new Promise((resolve) => {
      socket.timeout(1000).emit("echo", 2, (error, value) => resolve(`timeout callback ${error ? error.message : value}`));
    }),
  ]);
  globalThis.watched = { lib, socket, events, acks };
}

let server, browser, baseUrl;

before(async () => {
  const httpServer = http.createServer(handle);
  attachServer(httpServer, new Observed(), "/socket.io");
  baseUrl = await listen(httpServer);
  browser = await launchBrowser();
  server = httpServer;
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

// The client's file under /<variant>/ for `form`: its ES module entry or its classic script.
function clientFile(client, form) {
  if (client === "official") return form === "module" ? "official/socket.io.esm.min.js" : "official/socket.io.min.js";
  if (form === "module") return `ours/${oursEntry()}`;
  const { unpkg } = JSON.parse(readFileSync(path.join(oursDir, "package.json"), "utf8"));
  return `ours/${unpkg.replace(/^\.\//, "")}`;
}

// Answers 500 with the error when the handler throws, so that a page never waits on a broken test.
async function handle(req, res) {
  try {
    await answer(req, res);
  } catch (error) {
    send(res, 500, "text/plain", String(error.stack));
  }
}

async function answer(req, res) {
  const url = new URL(req.url, "http://localhost");
  const [, variant, ...rest] = url.pathname.split("/");
  const file = rest.join("/");
  const client = url.searchParams.get("client");
  const form = url.searchParams.get("form");
  if (file === "page.html") {
    const query = `client=${client}&form=${form}`;
    let scripts =
      form === "module"
        ? `<script type="module" src="early.js?${query}"></script>`
        : `<script src="${clientFile(client, form)}"></script><script src="early.js?${query}"></script>`;
    if (variant === "preload") {
      const wasm = `${path.dirname(clientFile(client, form))}/${WASM_FILE}`;
      const preloadScript = form === "module" ? "rel=modulepreload" : "rel=preload as=script";
      const preloads = `<link ${preloadScript} href="${clientFile(client, form)}"><link rel=preload href="${wasm}" as=fetch crossorigin>`;
      scripts = preloads + scripts;
    }
    const headers = { "Content-Type": MIME_TYPES[".html"], "Cache-Control": "no-store" };
    if (CSP[variant]) headers["Content-Security-Policy"] = CSP[variant];
    res.writeHead(200, headers);
    return res.end(`<!doctype html>\n<html><head><meta charset="utf-8"><title>${variant}</title>${scripts}</head><body></body></html>\n`);
  }
  if (file === "early.js") {
    const body =
      form === "module"
        ? `import * as lib from "./${clientFile(client, form)}";\n(${watch})(lib);\n`
        : `(${watch})(io);\n`;
    return send(res, 200, MIME_TYPES[".js"], body);
  }
  if (file.endsWith(WASM_FILE)) wasmRequests[variant] = (wasmRequests[variant] || 0) + 1;
  if (file.endsWith(WASM_FILE) && BROKEN_WASM[variant]) return BROKEN_WASM[variant](res);
  return serveFile({ [`/${variant}/ours/`]: oursDir, [`/${variant}/official/`]: officialDist }, url.pathname, res);
}

// Opens the variant's page for `client` in `form` ("module" or "script") and resolves to it once loaded,
// with the page's uncaught errors collected in `page.errors`.
async function openPage(variant, client, form) {
  const page = await browser.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(`${baseUrl}/${variant}/page.html?client=${client}&form=${form}`);
  await page.waitForFunction(() => globalThis.watched, undefined, { timeout: 5000 });
  return page;
}

// Runs in the page once the wasm has failed: what the early socket saw, then a socket and a Manager made
// after the failure; waits 300 ms more to see that nothing retries; connects the early socket again.
async function afterFailure() {
  const { lib, socket, events, acks } = globalThis.watched;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const within = (promise, what) => Promise.race([promise, sleep(3000).then(() => `${what}: nothing within 3 s`)]);
  for (let i = 0; i < 500 && events.length < 2; i++) await sleep(10);
  const { active, connected, id } = socket;
  const early = { events: [...events], acks: await within(acks, "acks"), active, connected, id };
  const late = lib.io(location.origin, { forceNew: true, transports: ["websocket"] });
  const lateEvents = [];
  late.on("connect_error", (error) => lateEvents.push(`s connect_error ${error.message}`));
  late.io.on("error", (error) => lateEvents.push(`m error ${error.message}`));
  const lateAck = await within(
    late.emitWithAck("echo", 3).then(
      (value) => `emitWithAck resolved ${value}`,
      (error) => `emitWithAck rejected ${error.message}`,
    ),
    "emitWithAck",
  );
  const manager = new lib.Manager(location.origin, { autoConnect: false, transports: ["websocket"] });
  const opened = new Promise((resolve) => {
    manager.open((error) => resolve(error ? `open callback ${error.message}` : "open callback without error"));
  });
  const openCallback = await within(opened, "open callback");
  await sleep(300);
  return {
    early,
    laterEarlyEvents: events.slice(early.events.length),
    late: { events: lateEvents, ack: lateAck, active: late.active },
    openCallback,
    readyState: socket.io.engine.readyState,
    // Connecting the early socket again fails again, with the original error as the cause.
    again: await within(
      new Promise((resolve) => {
        socket.once("connect_error", (error) => resolve({ message: error.message, cause: error.cause instanceof Error }));
        socket.connect();
      }),
      "connect_error again",
    ),
  };
}

// The message each broken variant gives, as a pattern (Chromium's own words, where quoted, vary).
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const SERVE_IT =
  "Serve socketio_wasm_bg.wasm next to the package's JavaScript (a bundler must emit it as an asset: see the README)";
const FAILURES = {
  missing: ["the wasm answers 404", () => escape(`the server answered HTTP 404. ${SERVE_IT}`)],
  html: [
    "an HTML page is served for the wasm",
    () => escape(`the server sent an HTML page (Content-Type: text/html; charset=utf-8). ${SERVE_IT}`),
  ],
  gzipped: [
    "the wasm is served gzipped without Content-Encoding",
    () =>
      escape(
        "the server sent bytes that are not WebAssembly (Content-Type: application/wasm; they start 1f 8b 08 00). " +
          "Serve the package's file unchanged (a compressed copy needs its Content-Encoding header)",
      ),
  ],
  truncated: [
    "the wasm is truncated",
    () => `the module does not compile or instantiate \\(CompileError: .+\\)\\. ${escape("Serve the package's files unchanged, all from one version")}`,
  ],
  "no-wasm-csp": [
    "the page's CSP lacks 'wasm-unsafe-eval'",
    () => `${escape("the page's Content-Security-Policy blocks WebAssembly: add 'wasm-unsafe-eval' to its script-src (")}.+\\)`,
  ],
  "connect-none": [
    "the page's CSP has connect-src 'none'",
    () => escape("the request failed (TypeError: Failed to fetch): is the server up, or do CORS or the CSP's connect-src block it?"),
  ],
};

for (const [variant, [what, pattern]] of Object.entries(FAILURES)) {
  for (const form of FORMS) {
    const name = `ours ${form}: ${what}: connect_error, Manager error, open(cb) and error-first acks get the explanation; nothing retries`;
    test(name, { timeout: TEST_TIMEOUT, skip: !oursDir && "OURS_DIR is not set" }, async (t) => {
      const page = await openPage(variant, "ours", form);
      try {
        const outcome = await page.evaluate(afterFailure);
        const wasmUrl = `${baseUrl}/${variant}/ours/${path.dirname(oursEntry())}/${WASM_FILE}`;
        const message = outcome.early.events[0]?.replace(/^s connect_error /, "") ?? "";
        t.diagnostic(message);
        assert.match(message, new RegExp(`^${escape(`socketio-wasm could not load ${wasmUrl}: `)}${pattern()}$`));
        assert.deepEqual(outcome, {
          early: {
            events: [`s connect_error ${message}`, `m error ${message}`],
            acks: [`emitWithAck rejected ${message}`, `timeout callback ${message}`],
            active: false,
            connected: false,
            id: undefined,
          },
          laterEarlyEvents: [],
          late: { events: [`s connect_error ${message}`, `m error ${message}`], ack: `emitWithAck rejected ${message}`, active: false },
          openCallback: `open callback ${message}`,
          readyState: "closed",
          again: { message, cause: true },
        });
        assert.deepEqual(page.errors, []);
      } finally {
        await page.close();
      }
    });
  }
}

// Runs in the page of a working load: the early socket connects and has its acknowledgements; then binary
// goes both ways.
async function exchange() {
  const { socket, events, acks } = globalThis.watched;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let i = 0; i < 500 && events.length < 1; i++) await sleep(10);
  const echoed = await new Promise((resolve) => {
    socket.emit("echo", new Uint8Array([1, 2, 3]), { nested: new Uint8Array([4]).buffer }, (...args) => resolve(args));
  });
  const bytes = (value) => (value instanceof ArrayBuffer ? [...new Uint8Array(value)] : `not an ArrayBuffer: ${value}`);
  return { events: [...events], acks: await acks, binary: [bytes(echoed[0]), bytes(echoed[1].nested)] };
}

// The same page code for both clients, as an ES module and as a classic script, without a CSP, under the
// strict one, and (ours) with the wasm preloaded: it must then be fetched once.
for (const client of clients) {
  for (const form of FORMS) {
    for (const variant of ["plain", "strict", ...(client === "ours" ? ["preload"] : [])]) {
      const under = { plain: "", strict: ` under ${STRICT_CSP}`, preload: ` under ${STRICT_CSP}, the wasm preloaded` }[variant];
      test(`${client} ${form}${under}: connects, acknowledgements, binary both ways`, { timeout: TEST_TIMEOUT }, async () => {
        wasmRequests[variant] = 0;
        const page = await openPage(variant, client, form);
        try {
          assert.deepEqual(await page.evaluate(exchange), {
            events: ["s connect"],
            acks: ["emitWithAck resolved 1", "timeout callback 2"],
            binary: [[1, 2, 3], [4]],
          });
          if (client === "ours") assert.equal(wasmRequests[variant], 1, "the wasm is fetched once");
          assert.deepEqual(page.errors, []);
        } finally {
          await page.close();
        }
      });
    }
  }
}
