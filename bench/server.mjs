// The bench's servers, run as a child process of bench/run.mjs (so that the driver's own work — CDP,
// trace collection — never shares an event loop with the server under load):
//   - one HTTP server: the bench page and the clients' files, plus a socket.io 4.8 Server on it;
//   - one plain `ws` server: the raw-WebSocket baseline (the floor).
// Both bind 127.0.0.1:0; the ports go to the parent over IPC. The process exits when the parent
// disconnects (or dies), so nothing outlives a bench run.
//
// Arguments: the directory of our package as published (the unpacked `npm pack` tarball), and its entry
// relative to it (default pkg/index.js).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { createRequire } from "node:module";
import { Server } from "socket.io";
import msgpackParser from "socket.io-msgpack-parser";
import { WebSocketServer } from "ws";
import { MIME_TYPES, send, serveFile } from "../tests/harness/static.mjs";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const pageDir = fileURLToPath(new URL("./page/", import.meta.url));
const officialDist = path.join(repoRoot, "node_modules/socket.io-client/dist");
const oursDir = path.resolve(process.argv[2] ?? "");
const oursEntry = process.argv[3] ?? "pkg/index.js";

// The payload of every small event, both ways.
const S = "abcdefghij";


const ROOTS = { "/bench/": pageDir, "/official/": officialDist, "/ours/": oursDir };

// The import map gives "socket.io-client" to the page: the official ESM build, our package's entry,
// or nothing at all for the raw baseline (its workloads import no client).
const CLIENT_MODULES = { official: "/official/socket.io.esm.min.js", ours: `/ours/${oursEntry}` };

function pageHtml(client) {
  const imports = CLIENT_MODULES[client] ? { "socket.io-client": CLIENT_MODULES[client] } : {};
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>bench: ${client}</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module" src="/bench/workloads.js"></script>
</head><body></body></html>`;
}

async function handleStatic(req, res) {
  const url = new URL(req.url, "http://127.0.0.1");
  if (url.pathname === "/page.html") {
    const client = url.searchParams.get("client");
    if (!["ours", "official", "raw"].includes(client)) return send(res, 400, "text/plain", "bad client");
    return send(res, 200, MIME_TYPES[".html"], pageHtml(client));
  }
  if (url.pathname === "/favicon.ico") return send(res, 204, "text/plain", "");
  if (url.pathname === "/msgpack-parser.js") return send(res, 200, MIME_TYPES[".js"], await msgpackParserModule);
  return serveFile(ROOTS, url.pathname, res);
}

// socket.io: every handler the workloads use. Defaults everywhere (websocket perMessageDeflate is off
// by default in engine.io 6, maxHttpBufferSize 1e6).
// socket.io-msgpack-parser for the official client's page, as one ES module (its CommonJS and
// notepack.io's browser build); ours uses its built-in msgpackParser.
const msgpackParserModule = build({
  entryPoints: [createRequire(import.meta.url).resolve("socket.io-msgpack-parser")],
  bundle: true,
  format: "esm",
  platform: "browser",
  write: false,
  logLevel: "warning",
}).then((result) => result.outputFiles[0].text);

const httpServer = http.createServer((req, res) => {
  // socket.io answers its own paths itself; everything else is a static file.
  if (!req.url.startsWith("/socket.io/") && !req.url.startsWith("/msgpack/")) handleStatic(req, res);
});
// The same handlers at /socket.io (socket.io-parser's JSON) and /msgpack (socket.io-msgpack-parser).
// destroyUpgrade: false, or each Server arms a 1 s timer for every WebSocket meant for the other.
const servers = [
  new Server(httpServer, { serveClient: false, destroyUpgrade: false }),
  new Server(httpServer, { serveClient: false, destroyUpgrade: false, path: "/msgpack", parser: msgpackParser }),
];
for (const io of servers) io.on("connection", (socket) => {
  let received = 0;
  // server -> client: `n` small events.
  socket.on("flood", (n) => {
    for (let i = 0; i < n; i++) socket.emit("tick", { i, s: S });
  });
  // client -> server: counts events; the one with an ack gets the count (and resets it).
  socket.on("msg", (data, ack) => {
    received++;
    if (typeof ack === "function") {
      ack(received);
      received = 0;
    }
  });
  // ack round trip.
  socket.on("ping", (value, ack) => ack(value));
  // binary echo (the Buffer goes back as binary; the client sees an ArrayBuffer).
  socket.on("bin", (buffer) => socket.emit("bin", buffer));
});

// The raw baseline's server: the same exchanges with the least protocol possible. Text frames are
// JSON; binary frames are echoed.
const rawHttp = http.createServer((req, res) => send(res, 404, "text/plain", "not found"));
const raw = new WebSocketServer({ server: rawHttp, perMessageDeflate: false });
raw.on("connection", (ws) => {
  let received = 0;
  ws.on("message", (data, isBinary) => {
    if (isBinary) return ws.send(data, { binary: true });
    const message = JSON.parse(data.toString());
    switch (message[0]) {
      case "flood":
        for (let i = 0; i < message[1]; i++) ws.send(JSON.stringify(["tick", { i, s: S }]));
        break;
      case "msg":
        received++;
        if (message[2] === true) {
          ws.send(JSON.stringify(["count", received]));
          received = 0;
        }
        break;
      case "ping":
        ws.send(data.toString());
        break;
    }
  });
});

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

const [port, rawPort] = await Promise.all([listen(httpServer), listen(rawHttp)]);
process.send({ ready: true, port, rawPort });
process.on("disconnect", () => process.exit(0));
