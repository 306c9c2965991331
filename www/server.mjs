// Chat demo server: static files + a real socket.io 4.8 server on one http server.
//
//   node www/server.mjs                  # http://127.0.0.1:3000/
//   PORT=0 ADMIN_TOKEN=secret node www/server.mjs
//
// Routes:
//   /                                   -> www/index.html
//   /<file>                             -> www/<file>           (not server.mjs)
//   /socketio-wasm/pkg/...              -> <repo>/pkg/...  (the build; the page imports pkg/index.js)
//   /official/socket.io.esm.min.js(.map) -> node_modules/socket.io-client/dist/...
//   /socket.io/                         -> the socket.io server (handled by socket.io itself)

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Server } from "socket.io";

const WWW = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(WWW, "..");
const OFFICIAL_DIST = path.join(ROOT, "node_modules", "socket.io-client", "dist");

const HOST = "127.0.0.1";
const PORT = parsePort(process.env.PORT);
const ADMIN_TOKEN = process.env.ADMIN_TOKEN || "letmein";

const MAX_NAME = 24;
const MAX_TEXT = 500;

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

function parsePort(value) {
  if (value === undefined || value === "") return 3000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`Invalid PORT: ${value}`);
    process.exit(1);
  }
  return n;
}

// ---------------------------------------------------------------------------
// Static files

// Map a URL pathname to [baseDir, relativePath], or null if no route matches.
function route(pathname) {
  if (pathname === "/") return [WWW, "index.html"];
  if (pathname === "/official/socket.io.esm.min.js" || pathname === "/official/socket.io.esm.min.js.map") {
    return [OFFICIAL_DIST, pathname.slice("/official/".length)];
  }
  if (pathname.startsWith("/socketio-wasm/pkg/")) {
    return [path.join(ROOT, "pkg"), pathname.slice("/socketio-wasm/pkg/".length)];
  }
  const rel = pathname.slice(1);
  if (rel === "server.mjs") return null;
  return [WWW, rel];
}

// Resolve rel inside base, refusing anything that could escape it.
function safeJoin(base, rel) {
  if (rel === "" || rel.includes("\0") || rel.includes("\\")) return null;
  const parts = rel.split("/");
  if (parts.some((p) => p === ".." || p === ".")) return null;
  const full = path.resolve(base, rel);
  if (!full.startsWith(base + path.sep)) return null;
  return full;
}

function sendText(res, status, text, extraHeaders = {}) {
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(text);
}

async function serveStatic(req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return sendText(res, 405, "Method Not Allowed\n", { Allow: "GET, HEAD" });
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
  } catch {
    return sendText(res, 400, "Bad Request\n");
  }
  const target = route(pathname);
  const file = target && safeJoin(target[0], target[1]);
  if (!target) return sendText(res, 404, "Not Found\n");
  if (!file) return sendText(res, 403, "Forbidden\n");

  const type = MIME[path.extname(file).toLowerCase()];
  let info;
  try {
    info = await stat(file);
  } catch {
    info = null;
  }
  if (!type || !info || !info.isFile()) {
    const hint = pathname.startsWith("/socketio-wasm/")
      ? "Not Found (the wasm package is not built yet? run `npm run build`, or open /?client=official)\n"
      : "Not Found\n";
    return sendText(res, 404, hint);
  }

  res.writeHead(200, {
    "Content-Type": type,
    "Content-Length": info.size,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
  });
  if (req.method === "HEAD") return res.end();
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

const httpServer = createServer((req, res) => {
  serveStatic(req, res).catch((err) => {
    console.error(err);
    if (!res.headersSent) sendText(res, 500, "Internal Server Error\n");
    else res.destroy();
  });
});

// ---------------------------------------------------------------------------
// Socket.IO chat

const io = new Server(httpServer, { serveClient: false });
const admin = io.of("/admin");

// socket.id -> { name, joinedAt }
const users = new Map();

function userList() {
  return [...users].map(([id, u]) => {
    const s = io.sockets.sockets.get(id);
    return {
      id,
      name: u.name,
      joinedAt: u.joinedAt,
      transport: s ? s.conn.transport.name : null,
    };
  });
}

function pushUserList() {
  admin.emit("users", userList());
}

function cleanName(value) {
  if (typeof value !== "string") return "";
  return value.replace(/\s+/g, " ").trim().slice(0, MAX_NAME);
}

io.on("connection", (socket) => {
  // the admin list shows each user's transport: refresh it after an upgrade
  socket.conn.once("upgrade", () => {
    if (users.has(socket.id)) pushUserList();
  });

  socket.on("join", (rawName, ack) => {
    const reply = typeof ack === "function" ? ack : () => {};
    const name = cleanName(rawName);
    if (!name) return reply({ error: "Please pick a nickname." });
    if (users.has(socket.id)) return reply({ error: "Already joined." });
    users.set(socket.id, { name, joinedAt: Date.now() });
    reply({ ok: true, name, count: users.size });
    io.emit("user joined", { name, count: users.size, ts: Date.now() });
    pushUserList();
  });

  socket.on("chat message", (text) => {
    const user = users.get(socket.id);
    if (!user || typeof text !== "string") return;
    const clean = text.trim().slice(0, MAX_TEXT);
    if (!clean) return;
    io.emit("chat message", { from: user.name, text: clean, ts: Date.now() });
  });

  socket.on("typing", (isTyping) => {
    const user = users.get(socket.id);
    if (!user) return;
    socket.broadcast.emit("typing", { name: user.name, typing: Boolean(isTyping) });
  });

  socket.on("disconnect", (reason) => {
    const user = users.get(socket.id);
    if (!user) return;
    users.delete(socket.id);
    socket.broadcast.emit("typing", { name: user.name, typing: false });
    io.emit("user left", { name: user.name, count: users.size, reason, ts: Date.now() });
    pushUserList();
  });
});

admin.use((socket, next) => {
  const token = socket.handshake.auth && socket.handshake.auth.token;
  if (typeof token === "string" && token === ADMIN_TOKEN) return next();
  next(new Error(token ? "Invalid admin token" : "Admin token required"));
});

admin.on("connection", (socket) => {
  socket.emit("users", userList());
});

// ---------------------------------------------------------------------------

httpServer.listen(PORT, HOST, () => {
  const { port } = httpServer.address();
  console.log(`Demo running at http://${HOST}:${port}/`);
});

function shutdown() {
  io.close();
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
