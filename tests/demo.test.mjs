// The demo chat (www/) end to end, with each client: two users join and talk, everyone is told who
// joins and leaves, the /admin namespace refuses a wrong token and lists users for the right one.
// It runs the demo's own server (node www/server.mjs), which serves the repository's built package.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { launchBrowser } from "./harness/browser.mjs";
import { clients, repoRoot } from "./harness/env.mjs";

let server;
let url;
let browser;

before(async () => {
  server = spawn(process.execPath, ["www/server.mjs"], { cwd: repoRoot, env: { ...process.env, PORT: "0", ADMIN_TOKEN: "letmein" } });
  url = await new Promise((resolve, reject) => {
    let output = "";
    server.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/Demo running at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) resolve(match[1]);
    });
    server.on("exit", (code) => reject(new Error(`the demo server exited (${code}): ${output}`)));
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

for (const client of clients) {
  test(`${client}: the demo chat`, { timeout: 30000 }, async () => {
    const context = await browser.newContext();
    const errors = [];
    const open = async () => {
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(client === "official" ? `${url}?client=official` : url);
      await page.waitForSelector('#status[data-state="connected"]');
      return page;
    };
    const join = async (page, name) => {
      await page.fill("#nick", name);
      await page.click("#join-form button");
      await page.waitForSelector("#send-form:not([hidden])");
    };
    const logIncludes = (page, text) =>
      page.waitForFunction((text) => document.querySelector("#log").textContent.includes(text), text);
    try {
      const alice = await open();
      const bob = await open();
      await join(alice, "alice");
      await join(bob, "bob");
      await logIncludes(alice, "bob joined — 2 users online");
      await bob.fill("#text", "hello alice");
      await bob.click("#send-form button");
      await logIncludes(alice, "hello alice");
      await alice.fill("#token", "wrong");
      await alice.click("#admin-connect");
      await alice.waitForSelector('#admin-status[data-state="error"]');
      await alice.fill("#token", "letmein");
      await alice.click("#admin-connect");
      await alice.waitForFunction(() => document.querySelectorAll("#users li:not(.empty)").length === 2);
      await bob.close();
      await logIncludes(alice, "bob left — 1 user online");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
