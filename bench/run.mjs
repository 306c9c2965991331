// `npm run bench`: our client, socket.io-client 4.8 and a raw-WebSocket floor, measured in headless
// Chromium against the same local servers, in alternating rounds. See bench/README.md for the method.
//
//   node bench/run.mjs [--no-build] [--rounds N]
//
// Progress goes to stderr; the tables go to stdout; everything measured goes to
// bench/results/latest.json. Timings are reported, never asserted: the exit status is non-zero only
// when the bench itself could not run (or the script-time calibration failed).
import { execFileSync, fork, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "../tests/harness/browser.mjs";
import { ScriptClock, calibrate } from "./cdp.mjs";
import { median, ratio, sizeTable, table } from "./report.mjs";
import { loadBetween, loadSample } from "./load.mjs";
import { sizeBudget } from "./size.mjs";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const resultsFile = path.join(repoRoot, "bench/results/latest.json");

const argv = process.argv.slice(2);
const argValue = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const BUILD = !argv.includes("--no-build");
const ROUNDS = Number(argValue("--rounds") ?? process.env.BENCH_ROUNDS ?? 5);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error("--rounds: a positive integer");


const CLIENTS = ["ours", "official", "raw"];
const WS = ["websocket"];
const POLLING = ["polling"];

// Throughput workloads: measured once per round and client, each after a warm-up at a tenth of the
// size on the same page. `raw: false`: no raw-WebSocket equivalent (long-polling, a msgpack parser).
const THROUGHPUT = [
  { id: "s2c-ws", label: "server->client, 20,000 events (websocket)", name: "s2c", params: { n: 20_000, transports: WS } },
  { id: "c2s-ws", label: "client->server, 20,000 emits (websocket)", name: "c2s", params: { n: 20_000, transports: WS } },
  { id: "ack-ws", label: "ack round trip, 1,000 sequential (websocket)", name: "ack", params: { n: 1_000, transports: WS } },
  {
    id: "binary-ws",
    label: "binary, 200 x 64 KiB echoed (websocket)",
    name: "binary",
    params: { n: 200, size: 65_536, transports: WS },
  },
  {
    id: "s2c-polling",
    label: "server->client, 20,000 events (polling)",
    name: "s2c",
    params: { n: 20_000, transports: POLLING },
    raw: false,
  },
  {
    id: "c2s-polling",
    label: "client->server, 20,000 emits (polling)",
    name: "c2s",
    params: { n: 20_000, transports: POLLING },
    raw: false,
  },
  // The msgpack parsers: ours built in, socket.io-client with socket.io-msgpack-parser.
  {
    id: "s2c-msgpack",
    label: "server->client, 20,000 events (websocket, msgpack parser)",
    name: "s2c",
    params: { n: 20_000, transports: WS, msgpack: true },
    raw: false,
  },
  {
    id: "c2s-msgpack",
    label: "client->server, 20,000 emits (websocket, msgpack parser)",
    name: "c2s",
    params: { n: 20_000, transports: WS, msgpack: true },
    raw: false,
  },
];
const STARTUP = { id: "startup", label: "start-up: import -> connect (websocket)", samples: 3, params: { transports: WS } };
// Memory is a byte count after GC, not a timing (identical to the byte over rounds in trial runs), and
// its 100,000 events are the longest part of a round: it is measured in the first round only.
const MEMORY = { events: 100_000, cycles: 200, rounds: 1 };
const WARMUP_FRACTION = 10;
const WATCHDOG_MS = 12 * 60_000;

// socket.io-client's figures for its ESM build, as quoted in the issue (checked against node_modules).
const OFFICIAL_SIZE_QUOTED = { raw: 40_759, gzip: 12_888, brotli: 11_716 };

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

// ------------------------------------------------------------------------------------------ setup

function build() {
  log("building (bash scripts/build.sh; --no-build skips this)");
  const result = spawnSync("bash", ["scripts/build.sh"], { cwd: repoRoot, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) throw new Error(`scripts/build.sh failed (${result.status ?? result.signal})`);
}

// Our package as published: `npm pack`, unpacked. Returns { dir, entry, tmp, version }.
function pack() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "socketio-wasm-bench-"));
  // --ignore-scripts: the bench builds first itself (or not, with --no-build); prepack would build again.
  const tarball = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", tmp], { cwd: repoRoot })
    .toString()
    .trim()
    .split("\n")
    .pop();
  execFileSync("tar", ["-xzf", path.join(tmp, tarball), "-C", tmp]);
  const dir = path.join(tmp, "package");
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  let entry = manifest.exports?.["."];
  entry = typeof entry === "string" ? entry : entry?.import;
  if (entry && typeof entry === "object") entry = entry.default;
  if (typeof entry !== "string") throw new Error("our package.json has no exports[\".\"].import");
  entry = entry.replace(/^\.\//, "");
  return { tmp, dir, entry, version: manifest.version };
}

function startServers(pkg) {
  const child = fork(fileURLToPath(new URL("./server.mjs", import.meta.url)), [pkg.dir, pkg.entry], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (message) => resolve({ child, ...message }));
    child.once("exit", (code) => reject(new Error(`the bench server exited (${code})`)));
    child.once("error", reject);
  });
}

// ------------------------------------------------------------------------------------------ pages

// A new page (a fresh document, its own renderer state) for `client`, with its script clock.
async function openPage(browser, base, client) {
  const page = await browser.newPage();
  const tab = { page, client, errors: [], fetched: [] };
  page.on("pageerror", (error) => tab.errors.push(String(error)));
  page.on("request", (request) => tab.fetched.push(new URL(request.url()).pathname));
  await page.goto(`${base}/page.html?client=${client}`);
  await page.waitForFunction(() => window.bench !== undefined);
  tab.clock = await ScriptClock.attach(page);
  return tab;
}

// prepare -> measured go -> cleanup. Resolves to the in-page result merged with the script clock's.
async function runMeasured(tab, name, params) {
  await tab.page.evaluate(([workload, args]) => window.bench.prepare(workload, args), [name, params]);
  try {
    const measured = await tab.clock.measure(() => tab.page.evaluate(() => window.bench.go()));
    const { result, ...clock } = measured;
    if (!result.ok) throw new Error(`${name}: the workload's result was wrong`);
    return { ...result, ...clock };
  } finally {
    await tab.page.evaluate(() => window.bench.cleanup());
  }
}

async function runUnmeasured(tab, name, params) {
  await tab.page.evaluate(([workload, args]) => window.bench.prepare(workload, args), [name, params]);
  try {
    await tab.page.evaluate(() => window.bench.go());
  } finally {
    await tab.page.evaluate(() => window.bench.cleanup());
  }
}

async function memorySnapshot(tab) {
  const heap = await tab.clock.heapAfterGc(tab.page);
  const wasm = await tab.clock.wasmMemoryBytes();
  return { ...heap, wasm, total: heap.jsHeapUsed + (wasm ?? 0) };
}

// ------------------------------------------------------------------------------------------ the run

const results = {
  meta: {},
  calibration: null,
  workloads: {},
  memory: { clients: {} },
  size: null,
  failures: [],
  pageErrors: [],
};
for (const workload of [STARTUP, ...THROUGHPUT]) {
  results.workloads[workload.id] = {
    label: workload.label,
    params: workload.params,
    clients: Object.fromEntries(CLIENTS.map((client) => [client, { samples: [] }])),
  };
}
for (const client of CLIENTS) results.memory.clients[client] = { samples: [] };
const fetchedByClient = { ours: new Set(), official: new Set() };

function failure(client, round, id, error) {
  const message = error?.message ?? String(error);
  results.failures.push({ client, round, workload: id, error: message });
  log(`  FAILED ${client} ${id}: ${message}`);
}

async function clientRound(browser, servers, pkg, client, round) {
  const base = `http://127.0.0.1:${servers.port}`;
  const rawUrl = `ws://127.0.0.1:${servers.rawPort}/`;
  const withRaw = (params) => ({ ...params, rawUrl });
  const closeTab = async (tab) => {
    if (tab.errors.length) results.pageErrors.push({ client, round, errors: tab.errors });
    await tab.page.close();
  };

  // Start-up, each sample on a fresh document; the last one's page then runs the throughput workloads.
  let tab;
  for (let sample = 0; sample < STARTUP.samples; sample++) {
    if (tab) await closeTab(tab);
    tab = await openPage(browser, base, client);
    const before = tab.fetched.length;
    try {
      const measured = await runMeasured(tab, "startup", withRaw(STARTUP.params));
      results.workloads.startup.clients[client].samples.push({ round, sample, ...measured });
    } catch (error) {
      failure(client, round, STARTUP.id, error);
    }
    if (client !== "raw") {
      for (const file of tab.fetched.slice(before)) if (file.startsWith(`/${client}/`)) fetchedByClient[client].add(file);
    }
  }

  for (const workload of THROUGHPUT) {
    if (client === "raw" && workload.raw === false) continue;
    try {
      const params = withRaw(workload.params);
      await runUnmeasured(tab, workload.name, { ...params, n: Math.ceil(params.n / WARMUP_FRACTION) });
      const measured = await runMeasured(tab, workload.name, params);
      results.workloads[workload.id].clients[client].samples.push({ round, ...measured });
      log(`  ${client} ${workload.id}: wall ${measured.wallMs.toFixed(1)} ms, script ${measured.mainThreadMs.toFixed(1)} ms`);
    } catch (error) {
      failure(client, round, workload.id, error);
    }
  }
  await closeTab(tab);
  if (round >= MEMORY.rounds) return;

  // Memory, on a fresh document: connected, after MEMORY.events events, after MEMORY.cycles cycles.
  tab = await openPage(browser, base, client);
  try {
    await tab.page.evaluate(([workload, args]) => window.bench.prepare(workload, args), [
      "memoryEvents",
      withRaw({ n: MEMORY.events, transports: WS }),
    ]);
    const connected = await memorySnapshot(tab);
    const events = await tab.clock.measure(() => tab.page.evaluate(() => window.bench.go()));
    if (!events.result.ok) throw new Error("memoryEvents: the workload's result was wrong");
    const afterEvents = await memorySnapshot(tab);
    await tab.page.evaluate(() => window.bench.cleanup());
    const cycles = await runMeasured(tab, "memoryCycles", withRaw({ cycles: MEMORY.cycles, transports: WS }));
    const afterCycles = await memorySnapshot(tab);
    const clock = ({ wallMs, mainThreadMs, scriptMs, microtaskMs }) => ({ wallMs, mainThreadMs, scriptMs, microtaskMs });
    results.memory.clients[client].samples.push({
      round,
      connected,
      afterEvents,
      afterCycles,
      eventsRun: clock({ ...events, ...events.result }),
      cyclesRun: clock(cycles),
    });
    log(`  ${client} memory: ${(afterEvents.total / 1024).toFixed(0)} KiB after events, ${(afterCycles.total / 1024).toFixed(0)} KiB after cycles`);
  } catch (error) {
    failure(client, round, "memory", error);
  }
  await closeTab(tab);
}

// Medians over rounds (start-up: over every sample) and the two ratios, per metric.
const TIME_METRICS = ["wallMs", "mainThreadMs", "scriptMs", "microtaskMs", "taskMs", "threadCpuMs", "microtaskCpuMs", "p50Ms", "p99Ms"];

function summarise() {
  for (const workload of Object.values(results.workloads)) {
    for (const entry of Object.values(workload.clients)) {
      entry.median = {};
      entry.min = {}; // noise on a busy machine only adds time: the minimum is the other honest summary
      for (const metric of TIME_METRICS) {
        const values = entry.samples.map((sample) => sample[metric]).filter((value) => typeof value === "number");
        if (values.length === 0) continue;
        entry.median[metric] = median(values);
        entry.min[metric] = Math.min(...values);
      }
    }
    workload.ratios = { oursOverOfficial: {}, oursOverRaw: {} };
    for (const metric of TIME_METRICS) {
      const ours = workload.clients.ours.median[metric];
      workload.ratios.oursOverOfficial[metric] = ratio(ours, workload.clients.official.median[metric]);
      workload.ratios.oursOverRaw[metric] = ratio(ours, workload.clients.raw.median[metric]);
    }
    // The ratio within each round (the clients ran one after another on the same machine state): its
    // spread over rounds shows how far the median ratio can be trusted.
    // (Start-up has several samples per round: their median.)
    const byRound = (client) => {
      const rounds = new Map();
      for (const { round, mainThreadMs } of workload.clients[client].samples) rounds.set(round, [...(rounds.get(round) ?? []), mainThreadMs]);
      return new Map([...rounds].map(([round, values]) => [round, median(values)]));
    };
    const [ours, official] = [byRound("ours"), byRound("official")];
    const perRound = [...ours].map(([round, value]) => ratio(value, official.get(round))).filter((value) => value != null);
    workload.ratios.scriptOursOverOfficialByRound = perRound;
  }
  for (const entry of Object.values(results.memory.clients)) {
    entry.median = {};
    for (const point of ["connected", "afterEvents", "afterCycles"]) {
      entry.median[point] = {};
      for (const key of ["jsHeapUsed", "wasm", "total", "arrayBuffers", "embedderHeap"]) {
        entry.median[point][key] = median(entry.samples.map((sample) => sample[point]?.[key]));
      }
    }
    for (const run of ["eventsRun", "cyclesRun"]) {
      entry.median[run] = {};
      for (const key of ["wallMs", "mainThreadMs", "scriptMs", "microtaskMs"]) {
        entry.median[run][key] = median(entry.samples.map((sample) => sample[run]?.[key]));
      }
    }
  }
}

function report() {
  const w = results.workloads;
  const row = (label, unit, pick) => ({
    label,
    unit,
    ours: pick("ours"),
    official: pick("official"),
    raw: pick("raw"),
  });
  const rows = [];
  for (const id of ["startup", ...THROUGHPUT.map((workload) => workload.id)]) {
    const medians = (client) => w[id].clients[client].median;
    rows.push({ section: w[id].label });
    rows.push(row("  wall ms", "ms", (c) => medians(c).wallMs));
    rows.push(row("  main-thread script ms", "ms", (c) => medians(c).mainThreadMs));
    rows.push(row("    of which promise jobs ms", "ms", (c) => medians(c).microtaskMs));
    rows.push(row("  main-thread CPU ms (all work)", "ms", (c) => medians(c).threadCpuMs));
    if (id === "ack-ws") {
      rows.push(row("  round trip p50 ms", "ms3", (c) => medians(c).p50Ms));
      rows.push(row("  round trip p99 ms", "ms3", (c) => medians(c).p99Ms));
    }
  }
  const m = (client) => results.memory.clients[client].median;
  rows.push({ section: `memory: connected (after GC)` });
  rows.push(row("  JS heap used", "kib", (c) => m(c).connected.jsHeapUsed));
  rows.push(row("  wasm memory", "kib", (c) => m(c).connected.wasm));
  rows.push({ section: `memory: after ${MEMORY.events.toLocaleString("en-US")} events (after GC)` });
  rows.push(row("  JS heap used", "kib", (c) => m(c).afterEvents.jsHeapUsed));
  rows.push(row("  wasm memory", "kib", (c) => m(c).afterEvents.wasm));
  rows.push(row("  JS heap + wasm", "kib", (c) => m(c).afterEvents.total));
  rows.push(row(`  (the run: wall ms)`, "ms", (c) => m(c).eventsRun.wallMs));
  rows.push(row(`  (the run: main-thread script ms)`, "ms", (c) => m(c).eventsRun.mainThreadMs));
  rows.push({ section: `memory: after ${MEMORY.cycles} connect/disconnect cycles (after GC)` });
  rows.push(row("  JS heap used", "kib", (c) => m(c).afterCycles.jsHeapUsed));
  rows.push(row("  wasm memory", "kib", (c) => m(c).afterCycles.wasm));
  rows.push(row("  JS heap + wasm", "kib", (c) => m(c).afterCycles.total));
  rows.push(row(`  (the run: wall ms)`, "ms", (c) => m(c).cyclesRun.wallMs));
  rows.push(row(`  (the run: main-thread script ms)`, "ms", (c) => m(c).cyclesRun.mainThreadMs));

  const title =
    `socketio-wasm bench: medians of ${ROUNDS} round(s) (start-up: ${ROUNDS * STARTUP.samples} samples; ` +
    `memory: ${Math.min(MEMORY.rounds, ROUNDS)} round), ` +
    `${results.meta.browser}, ${results.meta.cpus} CPUs`;
  console.log(table(title, rows));
  const spread = ["startup", ...THROUGHPUT.map((workload) => workload.id)].map((id) => {
    const perRound = w[id].ratios.scriptOursOverOfficialByRound;
    return perRound.length ? `${id} ${Math.min(...perRound).toFixed(2)}-${Math.max(...perRound).toFixed(2)}` : `${id} n/a`;
  });
  console.log(`main-thread script ms, ours/official within each round (min-max): ${spread.join(", ")}`);
  const overall = results.meta.load?.overall;
  if (overall) {
    const worst = Math.max(...results.meta.load.segments.map((segment) => segment.otherCores));
    console.log(
      `CPU use by other processes during the run: ${overall.otherCores.toFixed(2)} of ${overall.cores} cores on average ` +
        `(worst client-round ${worst.toFixed(2)}); the bench itself: ${overall.benchCores.toFixed(2)}. ` +
        `Numbers taken on a busy machine are inflated and noisy.`,
    );
  }
  console.log();
  console.log(sizeTable(results.size));
  if (results.failures.length) {
    console.log();
    console.log(`FAILURES (${results.failures.length}): left out of the medians above`);
    for (const f of results.failures) console.log(`  round ${f.round} ${f.client} ${f.workload}: ${f.error}`);
  }
}

let runLoadStart, runLoadEnd;

async function main() {
  const started = Date.now();
  const watchdog = setTimeout(() => {
    log(`watchdog: the bench ran longer than ${WATCHDOG_MS / 60_000} minutes, giving up`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  if (BUILD) build();
  log("packing our npm package");
  const pkg = pack();
  let servers, browser;
  try {
    servers = await startServers(pkg);
    browser = await launchBrowser();
    results.meta = {
      date: new Date().toISOString(),
      rounds: ROUNDS,
      startupSamplesPerRound: STARTUP.samples,
      memoryRounds: Math.min(MEMORY.rounds, ROUNDS),
      warmup: `each throughput workload first runs at 1/${WARMUP_FRACTION} of its size, unmeasured, on the same page`,
      browser: `Chromium ${browser.version()}`,
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      commit: gitDescribe(),
      ours: { version: pkg.version, entry: pkg.entry },
      traceCategories: ["v8.execute"],
      loadAverageAtStart: os.loadavg()[0],
    };
    if (os.loadavg()[0] > 1) log(`warning: load average ${os.loadavg()[0].toFixed(2)}: something else is using the CPUs`);

    results.meta.load = { segments: [] };
    runLoadStart = loadSample();
    log("calibrating the script clock");
    const calibrationTab = await openPage(browser, `http://127.0.0.1:${servers.port}`, "raw");
    results.calibration = await calibrate(calibrationTab.clock, calibrationTab.page);
    await calibrationTab.page.close();
    if (!results.calibration.ok) {
      throw new Error(`script clock calibration failed: ${JSON.stringify(results.calibration)}`);
    }

    for (let round = 0; round < ROUNDS; round++) {
      const order = CLIENTS.map((_, i) => CLIENTS[(i + round) % CLIENTS.length]);
      for (const client of order) {
        log(`round ${round + 1}/${ROUNDS}: ${client}`);
        const before = loadSample();
        await clientRound(browser, servers, pkg, client, round);
        const load = loadBetween(before, loadSample());
        if (load) {
          results.meta.load.segments.push({ round, client, ...load });
          log(`  (other processes used ${load.otherCores.toFixed(2)} cores meanwhile, the bench ${load.benchCores.toFixed(2)})`);
        }
      }
    }

    results.size = {
      ours: sizeBudget(pkg.dir, [...fetchedByClient.ours].map((file) => file.slice("/ours/".length))),
      official: sizeBudget(path.join(repoRoot, "node_modules/socket.io-client/dist"), [
        ...[...fetchedByClient.official].map((file) => file.slice("/official/".length)),
      ]),
      officialQuoted: OFFICIAL_SIZE_QUOTED,
      note: "the files the page fetched for each client during start-up, each compressed on its own",
    };
    runLoadEnd = loadSample();
  } finally {
    await browser?.close();
    servers?.child.disconnect();
    rmSync(pkg.tmp, { recursive: true, force: true });
  }
  summarise();
  results.meta.durationSeconds = Math.round((Date.now() - started) / 1000);
  results.meta.loadAverageAtEnd = os.loadavg()[0];
  results.meta.load.overall = loadBetween(runLoadStart, runLoadEnd);
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
  report();
  log(`wrote ${path.relative(repoRoot, resultsFile)} (${results.meta.durationSeconds} s)`);
}

function gitDescribe() {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "js", "Cargo.toml"], { cwd: repoRoot })
      .toString()
      .trim();
    return dirty ? `${commit} (with uncommitted changes in src/ or js/)` : commit;
  } catch {
    return null;
  }
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.exit(1);
});
