// Misuse only our types reject (socket.io-client's accept it: its types are looser there, or declare
// options and members this package does not have). Every `@ts-expect-error` must be used.
import { io, Socket } from "socketio-wasm";

interface ClientToServerEvents {
  ask: (q: string, cb: (answer: number) => void) => void;
}

const socket: Socket<{}, ClientToServerEvents> = io();

async function timedAck(): Promise<void> {
  // @ts-expect-error: with timeout() too, the acknowledgement is a number (socket.io-client: any)
  const s: string = await socket.timeout(1000).emitWithAck("ask", "q");
  void s;
}
void timedAck;

// Read-only state (getters in our implementation).
// @ts-expect-error: read-only
socket.id = "x";
// @ts-expect-error: read-only
socket.connected = true;
// @ts-expect-error: read-only
socket.recovered = true;

// @ts-expect-error: the URI is a string (socket.io-client takes a URL as an options object)
io(new URL("https://example.com"));
// @ts-expect-error: custom parsers are not supported
io({ parser: {} });
// @ts-expect-error: transport classes are not supported, only names
io({ transports: [class {}] });
// @ts-expect-error: Node.js-only option (http.Agent)
io({ agent: false });
// @ts-expect-error: Node.js-only option (TLS)
io({ rejectUnauthorized: false });

// Internals are not exported.
// @ts-expect-error: not exported
import type { AckResult } from "socketio-wasm";
// @ts-expect-error: not exported
import type { ErrorFirstAck } from "socketio-wasm";
