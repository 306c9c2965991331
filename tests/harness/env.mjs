// Which clients the conformance scenarios run against, read from the environment.
//   OURS_DIR  directory holding our extracted npm package (the output of `npm pack`, unpacked)
//   OURS_STABLE_DIR  the same, with the plain-stable build's files (scripts/build.sh --stable)
//   CLIENTS   comma list of "official" and/or "ours"; default "official,ours" with OURS_DIR, else "official"
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const officialDist = path.join(repoRoot, "node_modules/socket.io-client/dist");
export const pageDir = fileURLToPath(new URL("./page/", import.meta.url));

const KNOWN_CLIENTS = ["official", "ours"];

// Transport modes every scenario runs in (unless it names its own): the `transports` option the
// in-page t.opts() gives. TRANSPORTS (comma list) narrows them.
export const TRANSPORT_MODES = {
  websocket: ["websocket"],
  polling: ["polling"],
  upgrade: ["polling", "websocket"],
};

export const modes = (process.env.TRANSPORTS || Object.keys(TRANSPORT_MODES).join(","))
  .split(",")
  .map((name) => name.trim())
  .filter(Boolean);

for (const name of modes) {
  if (!(name in TRANSPORT_MODES)) throw new Error(`TRANSPORTS: unknown mode "${name}"`);
}

export const oursDir = process.env.OURS_DIR ? path.resolve(process.env.OURS_DIR) : null;

// The same package with the files of the plain-stable build (`scripts/build.sh --stable`), for the size
// test's second figure.
export const oursStableDir = process.env.OURS_STABLE_DIR ? path.resolve(process.env.OURS_STABLE_DIR) : null;

export const clients = (process.env.CLIENTS || (oursDir ? "official,ours" : "official"))
  .split(",")
  .map((name) => name.trim())
  .filter(Boolean);

for (const name of clients) {
  if (!KNOWN_CLIENTS.includes(name)) throw new Error(`CLIENTS: unknown client "${name}"`);
}
if (clients.includes("ours") && !oursDir) throw new Error("CLIENTS includes ours but OURS_DIR is not set");

// The ES module entry of our package, relative to OURS_DIR, from package.json exports["."].import.
export function oursEntry() {
  const pkg = JSON.parse(readFileSync(path.join(oursDir, "package.json"), "utf8"));
  const dot = pkg.exports?.["."];
  let entry = typeof dot === "string" ? dot : dot?.import;
  if (entry && typeof entry === "object") entry = entry.default;
  if (typeof entry !== "string") throw new Error(`${oursDir}/package.json: no exports["."].import entry`);
  return entry.replace(/^\.\//, "");
}

// The URL the page's import map gives for "socket.io-client".
export function clientModuleUrl(client) {
  return client === "official" ? "/official/socket.io.esm.min.js" : `/ours/${oursEntry()}`;
}
