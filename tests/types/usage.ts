// Typed user code that must compile, against our types (tsconfig.json) and against socket.io-client's
// (tsconfig.official.json). It touches every part of the public API both packages declare.
import io, { connect, io as namedIo, Manager, Socket, protocol } from "socketio-wasm";
import type {
  DisconnectDescription,
  ExtendedError,
  ManagerOptions,
  ManagerReservedEvents,
  SocketOptions,
  SocketReservedEvents,
} from "socketio-wasm";

/** Compiles only if `value` is assignable to `T`. */
function expectType<T>(value: T): T {
  return value;
}

// --- the typed-events example of the socket.io documentation -------------------------------------

interface ServerToClientEvents {
  noArg: () => void;
  basicEmit: (a: number, b: string, c: Buffer | ArrayBuffer) => void;
  withAck: (d: string, callback: (e: number) => void) => void;
}

interface ClientToServerEvents {
  hello: () => void;
  ask: (q: string, cb: (answer: number) => void) => void;
  multi: (x: number, cb: (first: string, second: boolean) => void) => void;
}

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io();

socket.on("noArg", () => {});
socket.on("basicEmit", (a, b, c) => {
  expectType<number>(a);
  expectType<string>(b);
  expectType<Buffer | ArrayBuffer>(c);
});
socket.on("withAck", (d, callback) => {
  expectType<string>(d);
  callback(d.length);
});
socket.once("noArg", () => {});
socket.on("basicEmit", async (a) => {
  await Promise.resolve(a);
});

socket.emit("hello");
socket.emit("ask", "q", (answer) => {
  expectType<number>(answer);
});
socket.emit("multi", 1, (first, second) => {
  expectType<string>(first);
  expectType<boolean>(second);
});

// A timeout makes the acknowledgement error-first.
socket.timeout(1000).emit("ask", "q", (err, answer) => {
  expectType<Error>(err);
  expectType<number>(answer);
});

async function acknowledgements(): Promise<void> {
  const n: number = await socket.timeout(1000).emitWithAck("ask", "q");
  const m: number = await socket.emitWithAck("ask", "q");
  const first: string = await socket.emitWithAck("multi", 2);
  expectType<number>(n + m + first.length);
}
void acknowledgements;

// Chaining returns the socket.
const chained: Socket<ServerToClientEvents, ClientToServerEvents> = socket
  .on("noArg", () => {})
  .emit("hello")
  .compress(false)
  .volatile.emit("hello");
void chained;

// --- reserved events ------------------------------------------------------------------------------

socket.on("connect", () => {
  const id: string | undefined = socket.id;
  void id;
});
socket.on("connect_error", (err) => {
  expectType<Error>(err);
  expectType<string>(err.message);
  const data: unknown = err.data;
  void data;
  if (socket.active) {
    // temporary failure: the socket reconnects on its own
  } else {
    socket.connect();
  }
});
socket.on("disconnect", (reason, description) => {
  expectType<Socket.DisconnectReason>(reason);
  expectType<string>(reason);
  expectType<DisconnectDescription | undefined>(description);
  if (reason === "io server disconnect") socket.connect();
  switch (reason) {
    case "io client disconnect":
    case "ping timeout":
    case "transport close":
    case "transport error":
    case "parse error":
      break;
  }
});
const connectErrorListener = (err: ExtendedError): void => void err.data;
socket.off("connect_error", connectErrorListener);
const reserved: SocketReservedEvents["disconnect"] = (reason) => void reason;
socket.on("disconnect", reserved);

// --- listener management --------------------------------------------------------------------------

const onBasic = (a: number, b: string): void => void [a, b];
socket.on("basicEmit", onBasic);
socket.off("basicEmit", onBasic);
socket.off("basicEmit");
socket.off();
socket.removeListener("basicEmit", onBasic);
socket.removeListener("noArg");
socket.removeAllListeners("noArg");
socket.removeAllListeners();
const basicListeners = socket.listeners("basicEmit");
basicListeners.forEach((listener) => listener(1, "b", new ArrayBuffer(1)));
const hasConnectListeners: boolean = socket.hasListeners("connect");
void hasConnectListeners;

socket.onAny((event, ...args) => void [event, args]);
socket.prependAny((event: string) => void event);
socket.offAny(onBasic);
socket.offAny();
const anyListeners: ((...args: any[]) => void)[] = socket.listenersAny();
socket.onAnyOutgoing((event, ...args) => void [event, args]);
socket.prependAnyOutgoing(() => {});
socket.offAnyOutgoing(onBasic);
socket.offAnyOutgoing();
const anyOutgoing: ((...args: any[]) => void)[] = socket.listenersAnyOutgoing();
void [anyListeners, anyOutgoing];

// --- properties -----------------------------------------------------------------------------------

const state: boolean[] = [socket.connected, socket.disconnected, socket.active, socket.recovered];
void state;
socket.auth = { token: "abc" };
socket.auth = (cb) => cb({ token: "def" });
socket.sendBuffer = [];
const buffered: number = socket.sendBuffer.length + socket.receiveBuffer.length;
void buffered;
for (const packet of socket.sendBuffer) {
  const nsp: string = packet.nsp;
  const id: number | undefined = packet.id;
  void [nsp, id, packet.type, packet.data];
}

socket.send("hi", 1, { a: [true] });
socket.connect().disconnect().open().close();

// --- io() and its options -------------------------------------------------------------------------

const options: Partial<ManagerOptions & SocketOptions> = {
  forceNew: true,
  multiplex: false,
  path: "/my-app/",
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  timeout: 20000,
  autoConnect: false,
  query: { room: "lobby", n: 1 },
  transports: ["websocket", "polling"],
  upgrade: true,
  rememberUpgrade: false,
  tryAllTransports: false,
  withCredentials: true,
  extraHeaders: { "x-token": "abc" },
  transportOptions: { polling: { extraHeaders: { "x-token": "abc" } } },
  timestampRequests: true,
  timestampParam: "ts",
  addTrailingSlash: false,
  closeOnBeforeunload: true,
  auth: { token: "abc" },
  ackTimeout: 10000,
  retries: 3,
};
const withUri: Socket = io("https://example.com/admin", options);
const withOptions: Socket = io(options);
const sameFunction: Socket[] = [namedIo(), connect("/chat"), io("ws://localhost:3000", { auth: (cb) => cb({}) })];
void [withUri, withOptions, sameFunction];
const protocolNumber: number = protocol;
void protocolNumber;

// Untyped sockets accept any event and arguments.
const untyped = io();
untyped.emit("anything", 1, "two", { three: 3 }, new Uint8Array(4), (ack: unknown) => void ack);
untyped.on("whatever", (x, y) => void [x, y]);
untyped.timeout(5000).emit("anything", (err: Error, value: unknown) => void [err, value]);
async function untypedAck(): Promise<void> {
  const value = await untyped.emitWithAck("anything", 1);
  const s: string = value;
  void s;
}
void untypedAck;

// --- Manager --------------------------------------------------------------------------------------

const manager = new Manager("https://example.com", { reconnectionDelayMax: 10000, autoConnect: false });
const fromOptions = new Manager({ path: "/x" });
const fromNothing = new Manager();
void [fromOptions, fromNothing];
const adminSocket: Socket = manager.socket("/admin", { auth: { token: "abc" } });
const rootSocket: Socket = manager.socket("/");
void [adminSocket, rootSocket];
manager.open((err) => {
  if (err) expectType<Error>(err);
});
manager.connect();
manager.open();

const reconnecting: boolean = manager.reconnection();
const attempts: number = manager.reconnectionAttempts();
const delay: number = manager.reconnectionDelay();
const delayMax: number = manager.reconnectionDelayMax();
const factor: number = manager.randomizationFactor();
const timeout: number | boolean = manager.timeout();
void [reconnecting, attempts, delay, delayMax, factor, timeout];
const sameManager: Manager = manager
  .reconnection(false)
  .reconnectionAttempts(3)
  .reconnectionDelay(500)
  .reconnectionDelayMax(2000)
  .randomizationFactor(0.2)
  .timeout(1000);
void sameManager;
const maybe: boolean | undefined = Math.random() > 0.5 ? true : undefined;
manager.reconnection(maybe);
const opts: Partial<ManagerOptions> = manager.opts;
void opts;

manager.on("open", () => {});
manager.on("error", (err) => expectType<Error>(err));
manager.on("ping", () => {});
manager.on("packet", (packet) => void [packet.type, packet.nsp, packet.data]);
manager.on("close", (reason, description) => {
  expectType<string>(reason);
  expectType<DisconnectDescription | undefined>(description);
});
manager.on("reconnect_attempt", (attempt) => expectType<number>(attempt));
manager.on("reconnect", (attempt) => expectType<number>(attempt));
manager.on("reconnect_error", (err) => expectType<Error>(err));
manager.on("reconnect_failed", () => {});
const onReconnect: ManagerReservedEvents["reconnect"] = (attempt) => void attempt;
manager.once("reconnect", onReconnect);
manager.off("reconnect", onReconnect);
manager.off("reconnect");
manager.off();
const closeListeners = manager.listeners("close");
void closeListeners;
const managerHasListeners: boolean = manager.hasListeners("open");
void managerHasListeners;

// socket.io is the socket's Manager; socket.io.engine its Engine.IO connection.
socket.io.on("reconnect_attempt", (attempt) => void attempt);
socket.io.reconnectionDelay(100);
const engine = socket.io.engine;
const engineId: string = engine.id;
const transportName: string = engine.transport.name;
const readyState: string = engine.readyState;
void [engineId, transportName, readyState];
engine.on("upgrade", (transport) => {
  const upgraded: string = transport.name;
  void upgraded;
});
engine.once("packet", ({ type, data }) => void [type, data]);
engine.on("packetCreate", (packet) => void packet.type);
engine.on("close", (reason, description) => void [reason, description]);
engine.on("handshake", (data) => void [data.sid, data.pingInterval, data.upgrades]);
engine.off("upgrade");
engine.close();

// The Socket constructor.
const constructed = new Socket(manager, "/direct", { retries: 1 });
void constructed;
