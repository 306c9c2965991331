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
// (args that were functions, sent as their source text and revived here).
async function runInPage({ source, args, functions }) {
  const lib = await import("socket.io-client");
  const { helpers } = await import("/harness/helpers.js");
  const revive = (text) => (0, eval)(`(${text})`);
  const revived = Object.fromEntries(Object.entries(functions).map(([name, text]) => [name, revive(text)]));
  return revive(source)(lib, { ...helpers(lib), ...args, ...revived });
}

// One scenario's page, in its own browser context, loaded with `client` as "socket.io-client".
export class ScenarioPage {
  #context;
  #page;
  #errors = [];

  static async open(browser, baseUrl, client) {
    const scenarioPage = new ScenarioPage();
    scenarioPage.#context = await browser.newContext();
    scenarioPage.#page = await scenarioPage.#context.newPage();
    scenarioPage.#page.on("pageerror", (error) => scenarioPage.#errors.push(error));
    await scenarioPage.#page.goto(`${baseUrl}/page.html?client=${client}`);
    return scenarioPage;
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

  // Uncaught errors (and unhandled rejections) the page reported so far, then forgets them.
  takeErrors() {
    return this.#errors.splice(0);
  }

  close() {
    return this.#context.close();
  }
}
