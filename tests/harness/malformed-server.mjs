// A raw WebSocket server that plays a socket.io server just long enough to misbehave: it opens the
// Engine.IO session, accepts the CONNECT to "/" and then sends the packets MALFORMED[bad], where `bad`
// is the query parameter the scenario sets (io(url, { query: { bad } })).
import http from "node:http";
import { WebSocketServer } from "ws";
import { listen } from "./wait.mjs";

const HANDSHAKE = { sid: "x", upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 };
const OPEN = "0" + JSON.stringify(HANDSHAKE);
const CONNECTED = '40{"sid":"y"}';
const bytes = (...values) => Buffer.from(values);

// Engine.IO packets (strings are text frames, Buffers binary frames) sent after the CONNECT reply.
// Socket.IO level garbage: valid Engine.IO messages that the client's Socket.IO decoder rejects.
export const SOCKET_IO_GARBAGE = {
  "unterminated-json": ['42["unterminated'],
  "trailing-garbage": ['42["a"]x'],
  "event-not-array": ['42{"not":"array"}'],
  "event-without-name": ["42[{}]"],
  "reserved-event-name": ['42["connect"]'],
  "unknown-packet-type": ["47"],
  "too-many-attachments": ['4511-["x",{"_placeholder":true,"num":0}]'],
  "ack-not-array": ['430{"a":1}'],
  "disconnect-with-payload": ['41"x"'],
  "unexpected-binary": [bytes(1, 2, 3)],
  "bad-placeholder-index": ['451-["x",{"_placeholder":true,"num":5}]', bytes(1)],
  "text-instead-of-attachment": ['451-["x",{"_placeholder":true,"num":0}]', '42["y"]'],
};

// Engine.IO level garbage: not a valid Engine.IO packet at all.
export const ENGINE_IO_GARBAGE = {
  "engine-unknown-type": ["9xyz"],
  "engine-empty-packet": [""],
};

// Odd but valid: the client ignores the first packet and still gets the event AFTER.
export const AFTER = ["after", "still connected"];
const after = "42" + JSON.stringify(AFTER);
export const TOLERATED = {
  "unknown-namespace": ['42/nowhere,["ignored"]', after],
  "engine-noop": ["6", after],
  "engine-pong": ["3", after],
};

const MALFORMED = { ...SOCKET_IO_GARBAGE, ...ENGINE_IO_GARBAGE, ...TOLERATED };

function onConnection(ws, req) {
  const query = new URL(req.url, "http://localhost").searchParams;
  if (query.get("EIO") !== "4" || query.get("transport") !== "websocket") return ws.close(1002);
  const packets = MALFORMED[query.get("bad")];
  if (!packets) return ws.close(1008, "unknown bad=" + query.get("bad"));
  ws.send(OPEN);
  ws.on("message", (data, isBinary) => {
    if (isBinary || !String(data).startsWith("40")) return;
    ws.send(CONNECTED);
    for (const packet of packets) ws.send(packet);
  });
}

export async function startMalformedServer() {
  const httpServer = http.createServer((req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: httpServer, path: "/socket.io/" });
  wss.on("connection", onConnection);
  const url = await listen(httpServer);
  return {
    url,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise((resolve) => httpServer.close(() => resolve()));
    },
  };
}
