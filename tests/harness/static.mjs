// Static files for the browser: the scenario page, its helpers, the official client and our package.
//   /page.html?client=official|ours   page whose import map points "socket.io-client" at that client
//   /harness/*                        in-page helpers (tests/harness/page/)
//   /official/*                       node_modules/socket.io-client/dist/
//   /ours/*                           OURS_DIR (when set)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { clientModuleUrl, officialDist, oursDir, pageDir } from "./env.mjs";

export const MIME_TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

const ROOTS = { "/harness/": pageDir, "/official/": officialDist, "/ours/": oursDir };

function pageHtml(client) {
  const importMap = { imports: { "socket.io-client": clientModuleUrl(client) } };
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>socket.io conformance: ${client}</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
</head><body></body></html>`;
}

// Maps a URL path under one of `roots` ({ "/prefix/": directory }) to a file, refusing anything that
// escapes its root.
function resolveFile(roots, urlPath) {
  for (const [prefix, root] of Object.entries(roots)) {
    if (!root || !urlPath.startsWith(prefix)) continue;
    const file = path.join(root, decodeURIComponent(urlPath.slice(prefix.length)));
    return file.startsWith(path.resolve(root) + path.sep) ? file : null;
  }
  return null;
}

export function send(res, status, type, body) {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}

// Answers with the file `urlPath` names under one of `roots`, or 404.
export async function serveFile(roots, urlPath, res) {
  const file = resolveFile(roots, urlPath);
  if (!file) return send(res, 404, "text/plain", "not found");
  try {
    const body = await readFile(file);
    send(res, 200, MIME_TYPES[path.extname(file)] || "application/octet-stream", body);
  } catch {
    send(res, 404, "text/plain", "not found");
  }
}

export async function staticHandler(req, res) {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/page.html") {
    const client = url.searchParams.get("client");
    if (client !== "official" && client !== "ours") return send(res, 400, "text/plain", "bad client");
    try {
      return send(res, 200, MIME_TYPES[".html"], pageHtml(client));
    } catch (error) {
      return send(res, 500, "text/plain", String(error));
    }
  }
  if (url.pathname === "/favicon.ico") return send(res, 204, "text/plain", "");
  return serveFile(ROOTS, url.pathname, res);
}
