// Checks only our types can pass: the helper types we export (socket.io-client keeps them in
// @socket.io/component-emitter), exact types where socket.io-client's degrade to `any`, and the
// option list of PROTOCOL.md §3, key for key.
import io, { Fetch, Manager, msgpackParser, NodeWebSocket, NodeXHR, Socket, WebSocket, WebTransport, XHR } from "socketio-wasm";
import type {
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  Engine,
  EngineOptions,
  EnginePacket,
  EventNames,
  EventParams,
  EventsMap,
  Last,
  ManagerOptions,
  Packet,
  PacketType,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
  SocketOptions,
  SocketReservedEvents,
  TransportName,
} from "socketio-wasm";

/** `true` only when A and B are the same type (`any` equals only `any`). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only with `true`. */
function assert<T extends true>(): T | void {}

interface ServerToClientEvents {
  noArg: () => void;
  basicEmit: (a: number, b: string, c: ArrayBuffer) => void;
}

interface ClientToServerEvents {
  hello: () => void;
  ask: (q: string, cb: (answer: number) => void) => void;
  multi: (x: number, cb: (first: string, second: boolean) => void) => void;
  bare: (cb: () => void) => void;
  maybe: (cb: (value?: number) => void) => void;
  nothing: (x: number) => void;
}

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io();

// --- exact listener parameter types ---------------------------------------------------------------

socket.on("basicEmit", (a, b, c) => {
  assert<Equal<typeof a, number>>();
  assert<Equal<typeof b, string>>();
  assert<Equal<typeof c, ArrayBuffer>>();
});
socket.on("connect_error", (err) => {
  assert<Equal<typeof err.data, any>>();
  assert<Equal<typeof err.message, string>>();
});
socket.on("disconnect", (reason) => {
  assert<
    Equal<
      typeof reason,
      "io server disconnect" | "io client disconnect" | "ping timeout" | "transport close" | "transport error" | "parse error"
    >
  >();
});
socket.emit("ask", "q", (answer) => assert<Equal<typeof answer, number>>());
socket.timeout(5).emit("ask", "q", (err, answer) => {
  assert<Equal<typeof err, Error>>();
  assert<Equal<typeof answer, number>>();
});
assert<Equal<typeof socket.id, string | undefined>>();
assert<Equal<ReturnType<typeof socket.listeners<"noArg">>, (() => void)[]>>();

// --- emitWithAck resolves with the acknowledgement's first value, with or without timeout() ---------

async function acknowledgements(): Promise<void> {
  const plain = await socket.emitWithAck("ask", "q");
  assert<Equal<typeof plain, number>>();
  const timed = await socket.timeout(1000).emitWithAck("ask", "q");
  assert<Equal<typeof timed, number>>();
  const first = await socket.timeout(1000).emitWithAck("multi", 1);
  assert<Equal<typeof first, string>>();
  const none = await socket.emitWithAck("bare");
  assert<Equal<typeof none, undefined>>();
  const optional = await socket.timeout(1).emitWithAck("maybe");
  assert<Equal<typeof optional, number | undefined>>();
  const untyped = await io().emitWithAck("x", 1);
  assert<Equal<typeof untyped, any>>();
  const untypedTimed = await io().timeout(1).emitWithAck("x", 1);
  assert<Equal<typeof untypedTimed, any>>();
}
void acknowledgements;

// --- the exported helper types --------------------------------------------------------------------

assert<Equal<EventNames<ServerToClientEvents>, "noArg" | "basicEmit">>();
assert<Equal<EventNames<DefaultEventsMap>, string>>();
assert<Equal<EventParams<ClientToServerEvents, "ask">, [q: string, cb: (answer: number) => void]>>();
assert<Equal<AllButLast<EventParams<ClientToServerEvents, "ask">>, [q: string]>>();
assert<Equal<Last<EventParams<ClientToServerEvents, "ask">>, (answer: number) => void>>();
assert<
  Equal<
    EventParams<DecorateAcknowledgements<ClientToServerEvents>, "ask">,
    [q: string, cb: (err: Error, answer: number) => void]
  >
>();
assert<Equal<EventParams<DecorateAcknowledgements<ClientToServerEvents>, "nothing">, [x: number]>>();
assert<Equal<ReservedOrUserEventNames<SocketReservedEvents, ServerToClientEvents>, "connect" | "connect_error" | "disconnect" | "noArg" | "basicEmit">>();
assert<Equal<ReservedOrUserListener<SocketReservedEvents, ServerToClientEvents, "noArg">, () => void>>();
assert<Equal<ReservedOrUserListener<SocketReservedEvents, DefaultEventsMap, "connect">, () => void>>();
const anyMap: EventsMap = { whatever: 1 };
void anyMap;

// Generic code over any events map.
function relay<L extends EventsMap, E extends EventsMap>(from: Socket<L, E>, ev: EventNames<E>, ...args: EventParams<E, typeof ev>): void {
  from.emit(ev, ...args);
}
void relay;

// --- packets, the engine --------------------------------------------------------------------------

const types: PacketType[] = [0, 1, 2, 3, 4, 5, 6];
const packet: Packet = { type: 2, nsp: "/", data: ["hello"], id: 1 };
socket.sendBuffer.push(packet);
const enginePacket: EnginePacket = { type: "message", data: "42[]" };
const engine: Engine = socket.io.engine;
assert<Equal<typeof engine.readyState, "opening" | "open" | "closing" | "closed">>();
engine.on("packet", (p) => assert<Equal<typeof p, EnginePacket>>());
engine.on("error", (err) => assert<Equal<typeof err, string | Error>>());
void [types, enginePacket];

// --- options: exactly those of PROTOCOL.md §3 -----------------------------------------------------

type AllOptionNames = keyof (ManagerOptions & SocketOptions);
assert<
  Equal<
    AllOptionNames,
    | "forceNew"
    | "multiplex"
    | "path"
    | "reconnection"
    | "reconnectionAttempts"
    | "reconnectionDelay"
    | "reconnectionDelayMax"
    | "randomizationFactor"
    | "timeout"
    | "autoConnect"
    | "query"
    | "transports"
    | "transportImplementations"
    | "upgrade"
    | "rememberUpgrade"
    | "tryAllTransports"
    | "withCredentials"
    | "extraHeaders"
    | "transportOptions"
    | "timestampRequests"
    | "timestampParam"
    | "addTrailingSlash"
    | "closeOnBeforeunload"
    | "useNativeTimers"
    | "protocols"
    | "forceBase64"
    | "requestTimeout"
    | "parser"
    | "auth"
    | "retries"
    | "ackTimeout"
  >
>();
const engineOptions: EngineOptions = { query: "a=1&b=2", transports: ["webtransport", "custom"] };
const byClass: EngineOptions = { transports: [WebSocket, Fetch, XHR], protocols: ["v1"], useNativeTimers: true };
const viaProperties: Socket = io.connect("/", { forceBase64: true, requestTimeout: 30000 });
const sameFunction: typeof io = io.io;
const classes: [typeof Manager, typeof Socket] = [io.Manager, io.Socket];
viaProperties.io._close();
void [byClass, sameFunction, classes, NodeWebSocket, NodeXHR, WebTransport];
const transport: TransportName = "websocket";
void [engineOptions, transport];

// A custom parser: the built-in msgpack one, or any with socket.io-parser's interface.
const withMsgpack = io("https://example.com", { parser: msgpackParser });
class JsonEncoder {
  encode(packet: Packet): string[] {
    return [JSON.stringify(packet)];
  }
}
class SilentDecoder {
  add(_chunk: unknown): void {}
  on(_event: "decoded", _listener: (packet: Packet) => void): this {
    return this;
  }
  destroy(): void {}
}
const withCustom = io({ parser: { Encoder: JsonEncoder, Decoder: SilentDecoder } });
void [withMsgpack, withCustom];

// `false` disables the connection timeout.
const noTimeout = io({ timeout: false });
const manager = new Manager({ timeout: false }).timeout(false);
const current: number | false = manager.timeout();
void [noTimeout, current];
