// Main-thread script time of a page, through the DevTools protocol.
//
// `ScriptDuration` (Performance.getMetrics) is the time the renderer's main thread spent in script that
// Blink entered itself: event listeners, timers, module and script evaluation. It leaves out promise
// jobs (V8 runs those in microtask checkpoints, which Blink does not book as script), and it also
// leaves out script run directly by a DevTools evaluate. So around each measured workload we take
//   - the ScriptDuration delta, and
//   - a trace of the `v8.execute` category, from which we add up the `RunMicrotasks` events (the
//     microtask checkpoints) on the page's renderer main thread inside the same window.
// Their sum is the page's main-thread script time. `calibrate()` proves the two do not overlap on this
// browser (a busy promise job shows up in the trace and not in ScriptDuration, a busy timer the other
// way round); run.mjs refuses to report if it fails.

const TRACE_CATEGORIES = ["v8.execute"];

export class ScriptClock {
  #cdp;
  #events = [];

  static async attach(page) {
    const clock = new ScriptClock();
    clock.#cdp = await page.context().newCDPSession(page);
    // timeTicks: the metrics' Timestamp is on the same monotonic clock as trace event timestamps.
    await clock.#cdp.send("Performance.enable", { timeDomain: "timeTicks" });
    await clock.#cdp.send("HeapProfiler.enable");
    clock.#cdp.on("Tracing.dataCollected", ({ value }) => clock.#events.push(...value));
    return clock;
  }

  async #metrics() {
    const { metrics } = await this.#cdp.send("Performance.getMetrics");
    return Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
  }

  // Runs `action` (which must make the page do the work and resolve when it is done) between two
  // metric readings, with tracing on. Resolves to { result, scriptMs, microtaskMs, mainThreadMs, ... }.
  async measure(action) {
    this.#events = [];
    await this.#cdp.send("Tracing.start", {
      transferMode: "ReportEvents",
      traceConfig: { includedCategories: TRACE_CATEGORIES, excludedCategories: ["*"] },
    });
    let before, after, result;
    try {
      before = await this.#metrics();
      result = await action();
      after = await this.#metrics();
    } finally {
      const complete = new Promise((resolve) => this.#cdp.once("Tracing.tracingComplete", resolve));
      await this.#cdp.send("Tracing.end");
      await complete;
    }
    const delta = (name) => (after[name] - before[name]) * 1000; // seconds -> ms
    const micro = microtaskTime(this.#events, before.Timestamp * 1e6, after.Timestamp * 1e6);
    const scriptMs = delta("ScriptDuration");
    return {
      result,
      scriptMs,
      microtaskMs: micro.ms,
      mainThreadMs: scriptMs + micro.ms, // "script time": what the page's JS costs on the main thread
      taskMs: delta("TaskDuration"), // everything the main thread did (includes Blink's own work)
      threadCpuMs: delta("ThreadTime"), // the main thread's CPU time over the window, all work
      microtaskCpuMs: micro.cpuMs, // thread CPU time of those promise jobs (not preempted time)
      microtaskCpuMissing: micro.cpuMissing,
      microtaskCheckpoints: micro.count,
      windowMs: (after.Timestamp - before.Timestamp) * 1000,
    };
  }

  // Full garbage collection (twice, with a pause for FinalizationRegistry callbacks in between), then
  // the V8 heap numbers.
  async heapAfterGc(page) {
    await this.#cdp.send("HeapProfiler.collectGarbage");
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    await this.#cdp.send("HeapProfiler.collectGarbage");
    const usage = await this.#cdp.send("Runtime.getHeapUsage");
    return {
      jsHeapUsed: usage.usedSize,
      jsHeapTotal: usage.totalSize,
      arrayBuffers: usage.backingStorageSize ?? null,
      embedderHeap: usage.embedderHeapUsedSize ?? null,
    };
  }

  // Total `buffer.byteLength` of the page's live `WebAssembly.Memory` objects (ours has one; the other
  // clients none: null). Found by prototype in the V8 heap, so it needs no handle from the client's
  // code, which our published bundle does not export.
  async wasmMemoryBytes() {
    const expression = "WebAssembly.Memory.prototype";
    const { result: prototype } = await this.#cdp.send("Runtime.evaluate", { expression });
    const { objects } = await this.#cdp.send("Runtime.queryObjects", { prototypeObjectId: prototype.objectId });
    try {
      const { result } = await this.#cdp.send("Runtime.callFunctionOn", {
        objectId: objects.objectId,
        functionDeclaration: sumOfByteLengths.toString(),
        returnByValue: true,
      });
      return result.value;
    } finally {
      await this.#cdp.send("Runtime.releaseObject", { objectId: objects.objectId });
      await this.#cdp.send("Runtime.releaseObject", { objectId: prototype.objectId });
    }
  }
}

// Runs in the page with `this` an array of WebAssembly.Memory objects.
function sumOfByteLengths() {
  return this.length ? this.reduce((bytes, memory) => bytes + memory.buffer.byteLength, 0) : null;
}

// Sum of RunMicrotasks durations (as a union of intervals, so nesting can never count twice) on the
// renderer main thread(s) ("CrRendererMain") within [fromUs, toUs]. Only the bench page is open, so
// there is one renderer main thread in practice; more than one is reported as an error.
function microtaskTime(events, fromUs, toUs) {
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  if (mainThreads.size === 0) throw new Error("the trace names no renderer main thread");
  const checkpoints = events.filter(
    (e) =>
      e.name === "RunMicrotasks" &&
      e.ph === "X" &&
      mainThreads.has(`${e.pid}:${e.tid}`) &&
      e.ts < toUs &&
      e.ts + (e.dur ?? 0) > fromUs,
  );
  const threads = new Set(checkpoints.map((e) => `${e.pid}:${e.tid}`));
  if (threads.size > 1) throw new Error(`microtasks on ${threads.size} renderer main threads`);
  const intervals = checkpoints
    .map((e) => [Math.max(e.ts, fromUs), Math.min(e.ts + e.dur, toUs)])
    .sort((a, b) => a[0] - b[0]);
  let totalUs = 0;
  let end = -Infinity;
  for (const [start, stop] of intervals) {
    if (stop <= end) continue;
    totalUs += stop - Math.max(start, end);
    end = stop;
  }
  // Their thread CPU time too (tdur), for comparison on a busy machine: elapsed time counts preemption.
  // The trace does not always carry tdur; events without it are counted in cpuMissing.
  const cpuUs = checkpoints.reduce((sum, e) => sum + (e.tdur ?? 0), 0);
  const cpuMissing = checkpoints.filter((e) => e.tdur === undefined).length;
  return { ms: totalUs / 1000, cpuMs: cpuUs / 1000, cpuMissing, count: checkpoints.length };
}

// Proof that ScriptDuration and the traced microtask checkpoints are disjoint on this browser: a timer
// that spins `ms` (script, no promise job), and a timer that queues a promise job spinning `ms`. A third
// probe, reported but not required, spins in a `queueMicrotask` callback: Blink books those in both
// (measured on Chromium 156: 50 ms of each for a 50 ms spin), so a client using queueMicrotask would be
// counted twice. Neither socket.io client does (both use promise jobs).
export async function calibrate(clock, page, ms = 50) {
  const spin = ({ kind, spinMs }) =>
    new Promise((resolve) =>
      setTimeout(() => {
        const busy = () => {
          const end = performance.now() + spinMs;
          while (performance.now() < end);
        };
        if (kind === "timer") {
          busy();
          resolve();
        } else if (kind === "queueMicrotask") {
          queueMicrotask(() => {
            busy();
            resolve();
          });
        } else {
          Promise.resolve().then(() => {
            busy();
            resolve();
          });
        }
      }, 0),
    );
  const timer = await clock.measure(() => page.evaluate(spin, { kind: "timer", spinMs: ms }));
  const promiseJob = await clock.measure(() => page.evaluate(spin, { kind: "microtask", spinMs: ms }));
  const queued = await clock.measure(() => page.evaluate(spin, { kind: "queueMicrotask", spinMs: ms }));
  const pick = ({ scriptMs, microtaskMs }) => ({ scriptMs, microtaskMs });
  const result = { spinMs: ms, timer: pick(timer), promiseJob: pick(promiseJob), queueMicrotask: pick(queued) };
  const near = (value, target) => Math.abs(value - target) < Math.max(5, target * 0.2);
  result.ok =
    near(timer.scriptMs, ms) && timer.microtaskMs < 5 && near(promiseJob.microtaskMs, ms) && promiseJob.scriptMs < 5;
  return result;
}
