// Glue for a conformance test file: starts the servers and the browser once per file, and declares
// each scenario once per client under test as a node:test test named "<client>: <scenario>".
//
//   const { scenario } = await conformance();
//   scenario("ack with callback", async ({ run, server, page, client }) => { ... });
//
// run(fn, extraArgs) executes fn(lib, t) in the scenario's page (see browser.mjs); t carries the
// in-page helpers and the args url (main server origin), customPath, recoveryPath, malformedUrl plus
// extraArgs.
// server is the main server's record of what it observed (socket-server.mjs). A scenario fails if
// the page reports an uncaught error it did not take with page.takeErrors().
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { launchBrowser, ScenarioTab } from "./browser.mjs";
import { clientModuleUrl, clients, modes, TRANSPORT_MODES } from "./env.mjs";
import { startMalformedServer } from "./malformed-server.mjs";
import { CUSTOM_PATH, RECOVERY_PATH, startSocketServer } from "./socket-server.mjs";

const SCENARIO_TIMEOUT = 15000;

// Appends the page's uncaught errors and console errors to a failed scenario's error.
function withPageReport(error, page) {
  const sections = [
    ["uncaught errors in the page", page.takeErrors().map(String)],
    ["console errors in the page", page.consoleErrors()],
  ];
  for (const [title, lines] of sections) {
    if (lines.length) error.message += `\n${title}:\n  ${lines.join("\n  ")}`;
  }
  return error;
}

export async function conformance() {
  for (const client of clients) clientModuleUrl(client); // fail fast on a bad OURS_DIR
  const [server, malformed, browser] = await Promise.all([
    startSocketServer(),
    startMalformedServer(),
    launchBrowser(),
  ]);
  after(() => Promise.all([browser.close(), server.close(), malformed.close()]));
  const page = await ScenarioTab.open(browser);
  const args = { url: server.url, customPath: CUSTOM_PATH, recoveryPath: RECOVERY_PATH, malformedUrl: malformed.url };

  // Declares the scenario for every client and transport mode; `only` restricts the modes (e.g. a
  // scenario about WebSocket handshakes), `onlyClients` the clients (a scenario about ours' wasm).
  function scenario(name, body, { only, onlyClients } = {}) {
    for (const client of clients.filter((client) => !onlyClients || onlyClients.includes(client))) {
      for (const mode of modes.filter((mode) => !only || only.includes(mode))) {
        declare(client, mode, name, body);
      }
    }
  }

  function declare(client, mode, name, body) {
    test(`${client} ${mode}: ${name}`, { timeout: SCENARIO_TIMEOUT }, async () => {
      await page.load(server.url, client);
      try {
        const transports = TRANSPORT_MODES[mode];
        const run = (fn, extra) => page.run(fn, { ...args, transports, ...extra });
        await body({ run, server: server.observed, page, client, mode });
        assert.deepEqual(page.takeErrors().map(String), [], "uncaught errors in the page");
      } catch (error) {
        throw withPageReport(error, page);
      }
    });
  }

  return { scenario };
}
