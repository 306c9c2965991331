// Misuse that must NOT compile, with our types and with socket.io-client's alike: every line after a
// `@ts-expect-error` has to be an error, or tsc fails with "Unused '@ts-expect-error' directive" —
// so this file fails as soon as the types become too loose.
import { io, Manager, Socket } from "socketio-wasm";

interface ServerToClientEvents {
  noArg: () => void;
  basicEmit: (a: number, b: string, c: ArrayBuffer) => void;
  withAck: (d: string, callback: (e: number) => void) => void;
}

interface ClientToServerEvents {
  hello: () => void;
  ask: (q: string, cb: (answer: number) => void) => void;
}

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io();

// --- emit: event names and arguments ----------------------------------------------------------------

// @ts-expect-error: "hello" takes no argument
socket.emit("hello", 1);
// @ts-expect-error: unknown event
socket.emit("nope");
// @ts-expect-error: a listened-to event is not an emitted one
socket.emit("basicEmit", 1, "b", new ArrayBuffer(1));
// @ts-expect-error: wrong argument type
socket.emit("ask", 42, () => {});
// @ts-expect-error: missing the acknowledgement callback
socket.emit("ask", "q");
// @ts-expect-error: the acknowledgement's argument is a number
socket.emit("ask", "q", (answer: string) => void answer);
socket.emit("ask", "q", (answer) => {
  // @ts-expect-error: answer is a number
  const s: string = answer;
  void s;
});
// @ts-expect-error: without timeout() the acknowledgement is not error-first
socket.emit("ask", "q", (err: Error, answer: number) => void [err, answer]);
// @ts-expect-error: the event name is required
socket.emit();

// --- timeout() and emitWithAck ----------------------------------------------------------------------

socket.timeout(1000).emit("ask", "q", (err, answer) => {
  // @ts-expect-error: err is an Error
  const n: number = err;
  void [n, answer];
});
// @ts-expect-error: with timeout() the first argument of the acknowledgement is the error
socket.timeout(1000).emit("ask", "q", (answer: number) => void answer);
// @ts-expect-error: timeout() takes milliseconds
socket.timeout("1s");
// @ts-expect-error: emitWithAck takes the arguments without the callback
void socket.emitWithAck("ask", "q", () => {});
// @ts-expect-error: wrong argument type
void socket.emitWithAck("ask", 1);
// @ts-expect-error: unknown event
void socket.emitWithAck("nope");
async function wrongAckType(): Promise<void> {
  // @ts-expect-error: the acknowledgement is a number
  const s: string = await socket.emitWithAck("ask", "q");
  void s;
}
void wrongAckType;

// --- on/once/off: listener types --------------------------------------------------------------------

// @ts-expect-error: a is a number
socket.on("basicEmit", (a: string) => void a);
socket.on("basicEmit", (a, b) => {
  // @ts-expect-error: b is a string
  const n: number = b;
  // @ts-expect-error: a is a number
  const s: string = a;
  void [n, s];
});
// @ts-expect-error: unknown event
socket.on("nope", () => {});
// @ts-expect-error: an emitted event is not a listened-to one
socket.on("hello", () => {});
// @ts-expect-error: too many parameters
socket.on("noArg", (x: number) => void x);
// @ts-expect-error: a is a number
socket.once("basicEmit", (a: string) => void a);
// @ts-expect-error: the listener does not match the event
socket.off("basicEmit", (a: string) => void a);
// @ts-expect-error: the listener does not match the event
socket.removeListener("basicEmit", (a: string) => void a);
// @ts-expect-error: unknown event
socket.listeners("nope");
// @ts-expect-error: unknown event
socket.hasListeners("nope");
socket.on("withAck", (d, callback) => {
  // @ts-expect-error: the acknowledgement takes a number
  callback("x");
  void d;
});

// --- reserved events --------------------------------------------------------------------------------

socket.on("disconnect", (reason) => {
  // @ts-expect-error: not a disconnect reason
  if (reason === "server shutting down") return;
});
// @ts-expect-error: connect has no argument
socket.on("connect", (x: string) => void x);
// @ts-expect-error: connect_error gets an Error
socket.on("connect_error", (err: string) => void err);
// @ts-expect-error: the reason is a string
socket.on("disconnect", (reason: number) => void reason);

// --- properties and methods -------------------------------------------------------------------------

// @ts-expect-error: id may be undefined
const id: string = socket.id;
// @ts-expect-error: no such method
socket.emitAsync("hello");
// @ts-expect-error: volatile is a property (a getter), not a method
socket.volatile();
// @ts-expect-error: compress takes a boolean
socket.compress("yes");
// @ts-expect-error: auth is an object or a function
socket.auth = "token";
// @ts-expect-error: the Manager is read-only
socket.io = new Manager();
// @ts-expect-error: catch-all listeners are functions
socket.onAny("event");
void id;

// --- io() and options -------------------------------------------------------------------------------

// @ts-expect-error: not an option
io({ reconection: false });
// @ts-expect-error: reconnectionDelay is a number
io("/", { reconnectionDelay: "1s" });
// @ts-expect-error: transports is an array
io({ transports: "websocket" });
// @ts-expect-error: io() returns a Socket, not a Manager
const notManager: Manager = io();
void notManager;

// --- Manager ----------------------------------------------------------------------------------------

const manager = new Manager("https://example.com");
// @ts-expect-error: not a Manager event
manager.on("connect", () => {});
// @ts-expect-error: reconnect_attempt gets a number
manager.on("reconnect_attempt", (attempt: string) => void attempt);
// @ts-expect-error: error gets an Error
manager.on("error", (err: number) => void err);
// @ts-expect-error: the getter returns a number, not the Manager
manager.reconnectionDelay().reconnectionDelayMax(1);
// @ts-expect-error: the setter takes a number
manager.reconnectionAttempts("3");
// @ts-expect-error: the setter takes a boolean
manager.reconnection(1);
// @ts-expect-error: socket() needs a namespace
manager.socket();
// @ts-expect-error: not an engine event
manager.engine.on("connect", () => {});
// @ts-expect-error: the transport name is a string
const transportName: number = manager.engine.transport.name;
void transportName;
