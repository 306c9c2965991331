// One client in a child process, for what a test runner cannot show: that the process ends on its own
// once the client is closed, and what reaches the server's HTTP layer (headers, cookies). Run by
// tests/node.test.mjs in the project where "socket.io-client" is either client:
//   node probe.mjs <server url> <headers|cookies|unref> <upgrade|polling|websocket>
// It prints one JSON line of what it saw; nothing calls process.exit.
import { io } from "socket.io-client";

const [url, probe, mode] = process.argv.slice(2);
const transports = { upgrade: ["polling", "websocket"], polling: ["polling"], websocket: ["websocket"] }[mode];
const options = {
  headers: { extraHeaders: { "x-probe": "extra" } },
  cookies: { withCredentials: true },
  unref: { autoUnref: true },
}[probe];

const once = (target, event) => new Promise((resolve) => target.once(event, (...args) => resolve(args)));

const socket = io(url, { transports, reconnection: false, ...options });
const [error] = await Promise.race([once(socket, "connect").then(() => []), once(socket, "connect_error")]);
if (error) throw error;
const reply = await new Promise((resolve) => socket.emit("echo", "hi", Uint8Array.of(7, 8), (...args) => resolve(args)));
if (mode === "upgrade" && socket.io.engine.transport.name !== "websocket") await once(socket.io.engine, "upgrade");
// A second exchange, on the final transport.
await socket.emitWithAck("echo", "again");
socket.disconnect();
process.stdout.write(JSON.stringify({ reply: [reply[0], Buffer.isBuffer(reply[1]), [...reply[1]]] }) + "\n");
