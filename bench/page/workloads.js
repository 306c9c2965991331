// The bench's in-page side. The page (/page.html?client=ours|official|raw) loads this module and
// nothing else: the client is imported only when a workload asks for it, so the start-up workload
// sees a page that has not touched the client yet.
//
// The driver (bench/run.mjs) calls, through page.evaluate:
//   bench.prepare(name, params)  connects and installs listeners (not measured)
//   bench.go()                   starts the prepared workload from a timer task and resolves to its
//                                in-page result ({ wallMs, ... }); the driver reads the DevTools
//                                metrics just before and just after this call
//   bench.cleanup()              closes what prepare opened
//
// The "ours" and "official" pages run the very same code below against `import("socket.io-client")`
// (the import map decides which client that is); the "raw" page runs the raw-WebSocket floor.
const CLIENT = new URLSearchParams(location.search).get("client");
const S = "abcdefghij";
const TIMEOUT_MS = 60_000;

let lib; // the imported "socket.io-client" module
let prepared; // { run: () => Promise<result>, cleanup: () => void }

const now = () => performance.now();

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// n sequential round trips (`roundTrip(i)` resolves with the server's answer, which must be i): wall
// time and latency percentiles.
async function roundTrips(n, roundTrip) {
  const latencies = new Array(n);
  let ok = true;
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const t = now();
    const value = await roundTrip(i);
    latencies[i] = now() - t;
    ok &&= value === i;
  }
  const wallMs = now() - t0;
  latencies.sort((a, b) => a - b);
  return { wallMs, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), ok };
}

// A promise settled by the workload's own handlers (go() adds the timeout).
function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// The binary workload's bookkeeping, for every client: `run()` sends n ArrayBuffers of `size` bytes at once
// through `send(buffer)` and resolves once `onEcho` has seen all n echoes, checking each one's bytes;
// `done` is the current run's deferred.
function binaryEchoes(n, size, send) {
  const buffer = new Uint8Array(size).map((_, i) => i & 0xff).buffer;
  let count, bytes, ok, t0;
  const echoes = {
    done: undefined,
    onEcho(echo) {
      count++;
      bytes += echo.byteLength;
      ok &&= echo instanceof ArrayBuffer && new Uint8Array(echo)[size - 1] === (size - 1) % 256;
      if (count === n) echoes.done.resolve({ wallMs: now() - t0, ok: ok && bytes === n * size });
    },
    run() {
      echoes.done = deferred();
      count = 0;
      bytes = 0;
      ok = true;
      t0 = now();
      for (let i = 0; i < n; i++) send(buffer);
      return echoes.done.promise;
    },
  };
  return echoes;
}

// ---------------------------------------------------------------- socket.io clients (ours, official)

async function loadClient() {
  lib ??= await import("socket.io-client");
  return lib;
}

function ioOptions(transports) {
  return { transports, forceNew: true, reconnection: false };
}

// The msgpack parser of the client: ours has one built in; socket.io-client takes socket.io-msgpack-parser.
async function msgpackParserOf(lib) {
  return lib.msgpackParser ?? (await import("/msgpack-parser.js")).default;
}

// `msgpack`: the server at /msgpack, which speaks socket.io-msgpack-parser.
async function connectSocket(transports, msgpack = false) {
  const lib = await loadClient();
  const options = ioOptions(transports);
  if (msgpack) Object.assign(options, { path: "/msgpack", parser: await msgpackParserOf(lib) });
  const socket = lib.io(location.origin, options);
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

// Every workload's run() is called from a timer task by go(); its synchronous part runs there.
const SIO = {
  // server -> client: n small events.
  async s2c({ n, transports, msgpack }) {
    const socket = await connectSocket(transports, msgpack);
    let done, count, last, t0;
    socket.on("tick", (data) => {
      count++;
      last = data.i;
      if (count === n) done.resolve({ wallMs: now() - t0, ok: last === n - 1 });
    });
    socket.on("disconnect", (reason) => done?.reject(new Error(`disconnected: ${reason}`)));
    return {
      run() {
        done = deferred();
        count = 0;
        t0 = now();
        socket.emit("flood", n);
        return done.promise;
      },
      cleanup: () => socket.disconnect(),
    };
  },

  // client -> server: n emits, the server acks the last one with the count it received.
  async c2s({ n, transports, msgpack }) {
    const socket = await connectSocket(transports, msgpack);
    let done;
    socket.on("disconnect", (reason) => done?.reject(new Error(`disconnected: ${reason}`)));
    return {
      run() {
        done = deferred();
        const t0 = now();
        for (let i = 0; i < n - 1; i++) socket.emit("msg", { i, s: S });
        socket.emit("msg", { i: n - 1, s: S }, (count) => done.resolve({ wallMs: now() - t0, ok: count === n }));
        return done.promise;
      },
      cleanup: () => socket.disconnect(),
    };
  },

  // ack round trip: n sequential emitWithAck.
  async ack({ n, transports }) {
    const socket = await connectSocket(transports);
    return {
      run: () => roundTrips(n, (i) => socket.emitWithAck("ping", i)),
      cleanup: () => socket.disconnect(),
    };
  },

  // binary: n ArrayBuffers of `size` bytes sent at once, each echoed by the server.
  async binary({ n, size, transports }) {
    const socket = await connectSocket(transports);
    const echoes = binaryEchoes(n, size, (buffer) => socket.emit("bin", buffer));
    socket.on("bin", echoes.onEcho);
    socket.on("disconnect", (reason) => echoes.done?.reject(new Error(`disconnected: ${reason}`)));
    return { run: echoes.run, cleanup: () => socket.disconnect() };
  },

  // start-up: from the module import to the socket's "connect" (a page that never imported the client).
  async startup({ transports }) {
    let socket;
    return {
      run() {
        const done = deferred();
        const t0 = now();
        import("socket.io-client").then((module) => {
          lib = module;
          socket = module.io(location.origin, ioOptions(transports));
          socket.once("connect", () => done.resolve({ wallMs: now() - t0, ok: true }));
          socket.once("connect_error", (error) => done.reject(error));
        }, done.reject);
        return done.promise;
      },
      cleanup: () => socket?.disconnect(),
    };
  },

  // memory, step 1: one connection receiving n events (the driver measures the heap before and after).
  async memoryEvents({ n, transports }) {
    return SIO.s2c({ n, transports });
  },

  // memory, step 2: `cycles` sequential connect/disconnect of a new Manager (forceNew) each.
  async memoryCycles({ cycles, transports }) {
    const { io } = await loadClient();
    return {
      async run() {
        const t0 = now();
        for (let i = 0; i < cycles; i++) {
          const socket = io(location.origin, ioOptions(transports));
          await new Promise((resolve, reject) => {
            socket.once("connect", resolve);
            socket.once("connect_error", reject);
          });
          socket.disconnect();
        }
        return { wallMs: now() - t0, ok: true };
      },
      cleanup() {},
    };
  },
};

// ---------------------------------------------------------------- raw WebSocket (the floor)
// A plain WebSocket to a plain `ws` server; per received text message only JSON.parse (and the same
// bookkeeping as the socket.io workloads); per sent message only JSON.stringify.

async function connectRaw(rawUrl) {
  const ws = new WebSocket(rawUrl);
  ws.binaryType = "arraybuffer";
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error("raw WebSocket failed"));
  });
  ws.onerror = null;
  return ws;
}

function onRawClose(ws, getDone) {
  ws.onclose = (event) => getDone()?.reject(new Error(`raw WebSocket closed: ${event.code}`));
  return () => {
    ws.onclose = null;
    ws.close();
  };
}

const RAW = {
  async s2c({ n, rawUrl }) {
    const ws = await connectRaw(rawUrl);
    let done, count, last, t0;
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      count++;
      last = message[1].i;
      if (count === n) done.resolve({ wallMs: now() - t0, ok: last === n - 1 });
    };
    return {
      run() {
        done = deferred();
        count = 0;
        t0 = now();
        ws.send(JSON.stringify(["flood", n]));
        return done.promise;
      },
      cleanup: onRawClose(ws, () => done),
    };
  },

  async c2s({ n, rawUrl }) {
    const ws = await connectRaw(rawUrl);
    let done, t0;
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      done.resolve({ wallMs: now() - t0, ok: message[1] === n });
    };
    return {
      run() {
        done = deferred();
        t0 = now();
        for (let i = 0; i < n - 1; i++) ws.send(JSON.stringify(["msg", { i, s: S }]));
        ws.send(JSON.stringify(["msg", { i: n - 1, s: S }, true]));
        return done.promise;
      },
      cleanup: onRawClose(ws, () => done),
    };
  },

  async ack({ n, rawUrl }) {
    const ws = await connectRaw(rawUrl);
    let pending;
    ws.onmessage = (event) => pending(JSON.parse(event.data)[1]);
    return {
      run: () =>
        roundTrips(n, (i) => new Promise((resolve) => {
          pending = resolve;
          ws.send(JSON.stringify(["ping", i]));
        })),
      cleanup: onRawClose(ws, () => undefined),
    };
  },

  async binary({ n, size, rawUrl }) {
    const ws = await connectRaw(rawUrl);
    const echoes = binaryEchoes(n, size, (buffer) => ws.send(buffer));
    ws.onmessage = (event) => echoes.onEcho(event.data);
    return { run: echoes.run, cleanup: onRawClose(ws, () => echoes.done) };
  },

  async startup({ rawUrl }) {
    let ws;
    return {
      run() {
        const done = deferred();
        const t0 = now();
        ws = new WebSocket(rawUrl);
        ws.binaryType = "arraybuffer";
        ws.onopen = () => done.resolve({ wallMs: now() - t0, ok: true });
        ws.onerror = () => done.reject(new Error("raw WebSocket failed"));
        return done.promise;
      },
      cleanup: () => ws?.close(),
    };
  },

  async memoryEvents(params) {
    return RAW.s2c(params);
  },

  async memoryCycles({ cycles, rawUrl }) {
    return {
      async run() {
        const t0 = now();
        for (let i = 0; i < cycles; i++) (await connectRaw(rawUrl)).close();
        return { wallMs: now() - t0, ok: true };
      },
      cleanup() {},
    };
  },
};

// ---------------------------------------------------------------- driver interface

window.bench = {
  client: CLIENT,

  async prepare(name, params) {
    const workloads = CLIENT === "raw" ? RAW : SIO;
    if (!workloads[name]) throw new Error(`unknown workload ${name}`);
    prepared = await workloads[name](params);
  },

  // Starts the prepared workload from a timer task (time spent directly inside page.evaluate is not
  // booked as script time by DevTools) and resolves to its result.
  // A workload that does not finish within TIMEOUT_MS rejects (the bench records the failure).
  go() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      setTimeout(() => {
        prepared.run().then(
          (result) => {
            clearTimeout(timer);
            resolve(result);
          },
          (error) => {
            clearTimeout(timer);
            reject(error);
          },
        );
      }, 0);
    });
  },

  cleanup() {
    prepared?.cleanup();
    prepared = undefined;
  },
};
