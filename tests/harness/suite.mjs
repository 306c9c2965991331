// Glue for a conformance test file: starts the servers and the browser once per file, and declares
// each scenario once per client under test as a node:test test named "<client>: <scenario>".
//
//   const { scenario } = await conformance();
//   scenario("ack with callback", async ({ run, server, page, client }) => { ... });
//
// run(fn, extraArgs) executes fn(lib, t) in the scenario's page (see browser.mjs); t carries the
// in-page helpers and the args url (main server origin), customPath, malformedUrl plus extraArgs.
// server is the main server's record of what it observed (socket-server.mjs). A scenario fails if
// the page reports an uncaught error it did not take with page.takeErrors().
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { launchBrowser, ScenarioPage } from "./browser.mjs";
import { clients } from "./env.mjs";
import { startMalformedServer } from "./malformed-server.mjs";
import { CUSTOM_PATH, startSocketServer } from "./socket-server.mjs";

const SCENARIO_TIMEOUT = 15000;

export async function conformance() {
  const [server, malformed, browser] = await Promise.all([startSocketServer(), startMalformedServer(), launchBrowser()]);
  after(() => Promise.all([browser.close(), server.close(), malformed.close()]));
  const args = { url: server.url, customPath: CUSTOM_PATH, malformedUrl: malformed.url };

  function scenario(name, body) {
    for (const client of clients) {
      test(`${client}: ${name}`, { timeout: SCENARIO_TIMEOUT }, async () => {
        const page = await ScenarioPage.open(browser, server.url, client);
        try {
          const run = (fn, extra) => page.run(fn, { ...args, ...extra });
          await body({ run, server: server.observed, page, client });
          assert.deepEqual(page.takeErrors().map(String), [], "uncaught errors in the page");
        } catch (error) {
          const pageErrors = page.takeErrors();
          if (pageErrors.length) error.message += `\nuncaught errors in the page:\n${pageErrors.join("\n")}`;
          throw error;
        } finally {
          await page.close();
        }
      });
    }
  }

  return { scenario };
}
