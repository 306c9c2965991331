// The README's alias recipe: a project whose package.json says
//   "socket.io-client": "npm:socketio-wasm@^<version>"
// gets this package from npm under socket.io-client's name, and its `import … from "socket.io-client"`
// gets our client. npm itself installs it here: our packed package (OURS_DIR, packed again as it was
// published) is served by a minimal registry on 127.0.0.1, the only registry the install may use.
// Node's resolver must then find our entry for "socket.io-client" in that project, and the installed
// directory, as npm left it, runs the usual scenarios (connect, an acknowledged emit) in headless
// Chromium against the real server.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { listen } from "./harness/wait.mjs";

const run = promisify(execFile);
const publishedDir = process.env.OURS_DIR && path.resolve(process.env.OURS_DIR);
const INSTALL_TIMEOUT = 120_000;

// An npm registry of one package version: the packument of `manifest.name` at /<name> and `tarball` at
// /<name>/-/<file>. Anything else is a 404, listed in `unexpected`.
async function startRegistry(manifest, tarball) {
  const file = path.basename(tarball);
  const bytes = readFileSync(tarball);
  const unexpected = [];
  let url;
  const httpServer = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    if (pathname === `/${manifest.name}`) {
      const packument = {
        name: manifest.name,
        "dist-tags": { latest: manifest.version },
        versions: {
          [manifest.version]: {
            ...manifest,
            dist: {
              tarball: `${url}/${manifest.name}/-/${file}`,
              shasum: createHash("sha1").update(bytes).digest("hex"),
              integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
            },
          },
        },
      };
      return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(packument));
    }
    if (pathname === `/${manifest.name}/-/${file}`) {
      return res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(bytes);
    }
    unexpected.push(`${req.method} ${pathname}`);
    res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":"not found"}');
  });
  url = await listen(httpServer);
  return {
    url,
    unexpected,
    close() {
      httpServer.closeAllConnections();
      return new Promise((resolve) => httpServer.close(() => resolve()));
    },
  };
}

// Packs the published directory, installs it with npm under the alias into a new project, and returns
// { project, installed (the directory npm created), integrity (of the tarball), unexpected (other
// requests to the registry) }.
async function installUnderAlias(work) {
  const manifest = JSON.parse(readFileSync(path.join(publishedDir, "package.json"), "utf8"));
  const { stdout } = await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work, publishedDir], {
    cwd: work,
    timeout: INSTALL_TIMEOUT,
  });
  const tarball = path.join(work, stdout.trim().split("\n").pop());
  const registry = await startRegistry(manifest, tarball);
  try {
    const project = path.join(work, "project");
    const [major, minor] = manifest.version.split(".");
    const range = major === "0" ? `^0.${minor}.0` : `^${major}.0.0`;
    const dependencies = { "socket.io-client": `npm:${manifest.name}@${range}` };
    mkdirSync(project);
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "alias-app", private: true, type: "module", dependencies }, null, 2),
    );
    const flags = ["--registry", registry.url, "--cache", path.join(work, "npm-cache"), "--no-audit", "--no-fund"];
    await run("npm", ["install", ...flags, "--no-update-notifier", "--loglevel=error"], {
      cwd: project,
      timeout: INSTALL_TIMEOUT,
    });
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    return { project, installed: path.join(project, "node_modules", "socket.io-client"), integrity, unexpected: registry.unexpected };
  } finally {
    await registry.close();
  }
}

// Everything asynchronous happens before the first test is declared: node:test may end the file's root
// test (and run its `after` hooks) once the tests declared so far have finished.
if (!publishedDir) {
  test("ours: the alias recipe installs and runs", { skip: "OURS_DIR not set" }, () => {});
} else {
  const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "alias-")));
  let install;
  try {
    install = await installUnderAlias(work);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  const published = JSON.parse(readFileSync(path.join(publishedDir, "package.json"), "utf8"));
  const script = 'process.stdout.write(import.meta.resolve("socket.io-client"))';
  const resolved = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: install.project, timeout: 10_000 });

  // The installed directory is the client under test of the usual harness (read from the environment
  // when the harness is first imported).
  process.env.OURS_DIR = install.installed;
  process.env.CLIENTS = "ours";
  const { conformance } = await import("./harness/suite.mjs");
  const { scenario } = await conformance();
  after(() => rmSync(work, { recursive: true, force: true }));

  test("ours: npm installs the package under the name socket.io-client from an npm: alias", () => {
    const installed = JSON.parse(readFileSync(path.join(install.installed, "package.json"), "utf8"));
    assert.equal(installed.name, published.name);
    assert.equal(installed.version, published.version);
    const lock = JSON.parse(readFileSync(path.join(install.project, "package-lock.json"), "utf8"));
    const locked = lock.packages["node_modules/socket.io-client"];
    assert.equal(locked?.name, published.name, `the lockfile records the real package name: ${JSON.stringify(locked)}`);
    assert.equal(locked.integrity, install.integrity, "the lockfile records our tarball");
    assert.deepEqual(install.unexpected, [], "npm asked the registry for nothing else");
  });

  test('ours: Node resolves "socket.io-client" in that project to our Node entry', () => {
    // The "node" export condition, ES module side (tests/node.test.mjs runs it).
    const entry = published.exports["."].node.import;
    assert.equal(fileURLToPath(resolved.stdout), path.join(install.installed, entry));
  });

  scenario("the aliased package connects and gets an acknowledgement", async ({ run: inPage, server }) => {
    const result = await inPage(async ({ io }, t) => {
      const socket = await t.connected(io(t.url, t.opts()));
      return { id: socket.id, echo: await t.call(socket, "echo", "through the alias", { n: 1 }) };
    });
    assert.deepEqual(result.echo, ["through the alias", { n: 1 }]);
    assert.equal(server.socket(result.id).nsp, "/");
  });
}
