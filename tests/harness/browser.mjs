// Headless Chromium (Debian's, never downloaded) and the page a scenario runs in.
import { chromium } from "playwright-core";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

// Runs `source` (a function (lib, t) => result, as text) in the page, with lib = the imported
// "socket.io-client" module and t = the in-page helpers merged with `args` and with `functions`
// (args that were functions, sent as their source text and revived here). The client is imported last,
// so fn starts as a page's top-level code does: before anything the client loads asynchronously.
async function runInPage({ source, args, functions }) {
  const { helpers } = await import("/harness/helpers.js");
  const lib = await import("socket.io-client");
  const revive = (text) => (0, eval)(`(${text})`);
  const revived = Object.fromEntries(Object.entries(functions).map(([name, text]) => [name, revive(text)]));
  return revive(source)(lib, { ...helpers(lib, args), ...args, ...revived });
}

// The browser tab scenarios run in. Every scenario gets a fresh document (a new JS realm with an
// empty module and Manager cache; the previous document's connections are closed by the navigation),
// which is about four times faster than a new page or context.
export class ScenarioTab {
  #page;
  #errors = [];
  #consoleErrors = [];
  #loads = 0;

  static async open(browser) {
    const tab = new ScenarioTab();
    tab.#page = await browser.newPage();
    tab.#page.on("pageerror", (error) => tab.#errors.push(error));
    tab.#page.on("console", (message) => {
      if (message.type() === "error") tab.#consoleErrors.push(message.text());
    });
    return tab;
  }

  // Navigates to a fresh page whose "socket.io-client" is `client`.
  async load(baseUrl, client) {
    await this.#page.goto(`${baseUrl}/page.html?client=${client}&load=${++this.#loads}`);
    this.#errors = [];
    this.#consoleErrors = [];
  }

  // Runs fn(lib, t) in the page (see runInPage) and resolves to its (serializable) result.
  // Function-valued args must not close over anything: only their source text reaches the page.
  run(fn, args = {}) {
    const isFunction = ([, value]) => typeof value === "function";
    const entries = Object.entries(args);
    const functions = Object.fromEntries(entries.filter(isFunction).map(([name, value]) => [name, value.toString()]));
    const data = Object.fromEntries(entries.filter((entry) => !isFunction(entry)));
    return this.#page.evaluate(runInPage, { source: fn.toString(), args: data, functions });
  }

  // A full garbage collection in the page (DevTools' HeapProfiler.collectGarbage).
  async collectGarbage() {
    const session = await this.#page.context().newCDPSession(this.#page);
    try {
      await session.send("HeapProfiler.collectGarbage");
    } finally {
      await session.detach();
    }
  }

  // The wasm stack's high-water mark, for a client built with a `stackBytes` stack placed first in its
  // memory (LLD's layout for wasm32: the stack grows down from `stackBytes` to 0). `fillWasmStack` paints
  // the whole stack with a pattern while no wasm call is running (so none of it is live) and resolves to
  // false when the page has no wasm memory (socket.io-client); `wasmStackUsed` then tells how many bytes
  // at the top were written since. The memory is found by prototype, as the client does not export it.
  fillWasmStack(stackBytes) {
    return this.#onWasmMemory((stack) => {
      new Uint8Array(this[0].buffer, 0, stack).fill(0xa5);
      return true;
    }, stackBytes);
  }

  wasmStackUsed(stackBytes) {
    return this.#onWasmMemory((stack) => {
      const bytes = new Uint8Array(this[0].buffer, 0, stack);
      let untouched = 0;
      while (untouched < stack && bytes[untouched] === 0xa5) untouched++;
      return stack - untouched;
    }, stackBytes);
  }

  // Calls `fn(arg)` in the page with `this` the array of its WebAssembly.Memory objects; false when
  // there are none.
  async #onWasmMemory(fn, arg) {
    const session = await this.#page.context().newCDPSession(this.#page);
    try {
      const { result: prototype } = await session.send("Runtime.evaluate", { expression: "WebAssembly.Memory.prototype" });
      const { objects } = await session.send("Runtime.queryObjects", { prototypeObjectId: prototype.objectId });
      const { result } = await session.send("Runtime.callFunctionOn", {
        objectId: objects.objectId,
        functionDeclaration: `function (arg) { return this.length === 0 ? false : (${fn})(arg); }`,
        arguments: [{ value: arg }],
        returnByValue: true,
      });
      return result.value;
    } finally {
      await session.detach();
    }
  }

  // Uncaught errors (and unhandled rejections) the page reported so far, then forgets them.
  takeErrors() {
    return this.#errors.splice(0);
  }

  // What the page logged with console.error since it was loaded (for failure reports only: the
  // browser logs failed WebSocket handshakes there too).
  consoleErrors() {
    return [...this.#consoleErrors];
  }
}
