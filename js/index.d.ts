// Type declarations of socketio-wasm. The public surface mirrors socket.io-client 4.8, so code typed
// against socket.io-client compiles unchanged with "socketio-wasm" in its imports (and back again).
// Only the types a page uses are declared; internals (underscored members, the parser, transport
// classes) are not.

// ---------------------------------------------------------------------------------------------------
// Typed events

/** A map of event names to listener signatures: `{ chat: (text: string) => void }`. */
export interface EventsMap {
  [event: string]: any;
}

/** The events of an untyped socket: any name, any arguments. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/** The event names of an events map. */
export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

/** The arguments of event `Ev` in an events map (the acknowledgement callback included, last). */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

/** Event names a listener may subscribe to: the reserved ones and the user's. */
export type ReservedOrUserEventNames<Reserved extends EventsMap, User extends EventsMap> =
  | EventNames<Reserved>
  | EventNames<User>;

/** A reserved event's own signature wins over a user event of the same name. */
type ListenerOf<Reserved extends EventsMap, User extends EventsMap, Ev> = Ev extends EventNames<Reserved>
  ? Reserved[Ev]
  : Ev extends EventNames<User>
    ? User[Ev]
    : never;

/** The listener type for event `Ev`; an event without a known signature takes any arguments. */
export type ReservedOrUserListener<
  Reserved extends EventsMap,
  User extends EventsMap,
  Ev extends ReservedOrUserEventNames<Reserved, User>,
> = [ListenerOf<Reserved, User, Ev>] extends [never]
  ? (...args: any[]) => void | Promise<void>
  : ListenerOf<Reserved, User, Ev>;

// ---------------------------------------------------------------------------------------------------
// Acknowledgements

declare const errorFirstAck: unique symbol;

/** Brands an event signature rewritten by `timeout()`: its acknowledgement is error-first. */
interface ErrorFirstAck {
  readonly [errorFirstAck]: true;
}

/** Each callback among the arguments gains a leading `err` (set when the timeout expires). */
type WithErrorFirstCallbacks<Args extends any[]> = {
  [I in keyof Args]: Args[I] extends (...ackArgs: infer AckArgs) => infer Result
    ? (err: Error, ...ackArgs: AckArgs) => Result
    : Args[I];
};

/** The events map seen through `socket.timeout(ms)`: every acknowledgement becomes error-first. */
export type DecorateAcknowledgements<Events> = {
  [Ev in keyof Events]: Events[Ev] extends (...args: infer Args) => infer Result
    ? ((...args: WithErrorFirstCallbacks<Args>) => Result) & ErrorFirstAck
    : Events[Ev];
};

/** All arguments but the last (the acknowledgement callback). */
export type AllButLast<Args extends any[]> = Args extends [...infer Head, any] ? Head : any[];

/** The last argument (the acknowledgement callback). */
export type Last<Args extends any[]> = Args extends [...any[], infer Tail] ? Tail : any;

/** The first of a list of arguments; `undefined` when there is none. */
type FirstOf<Args> = Args extends []
  ? undefined
  : Args extends [infer First, ...any[]]
    ? First
    : Args extends [(infer First)?, ...any[]]
      ? First | undefined
      : any;

/** What the server acknowledges with first, for a callback `Ack` (after `err` when error-first). */
type AckValue<Ack, ErrorFirst extends boolean> = 0 extends 1 & Ack
  ? any
  : Ack extends (...args: infer Args) => any
    ? ErrorFirst extends true
      ? Args extends [any, ...infer Rest]
        ? FirstOf<Rest>
        : any
      : FirstOf<Args>
    : any;

/** The value `emitWithAck` resolves with for event `Ev`. */
type AckResult<Events extends EventsMap, Ev extends EventNames<Events>> = AckValue<
  Last<EventParams<Events, Ev>>,
  Events[Ev] extends ErrorFirstAck ? true : false
>;

// ---------------------------------------------------------------------------------------------------
// Packets (what `sendBuffer` holds and what the Manager's `packet` event carries)

/** Socket.IO packet types: CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK. */
export type PacketType = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** A Socket.IO packet. */
export interface Packet {
  type: PacketType;
  /** The namespace, e.g. `"/"` or `"/admin"`. */
  nsp: string;
  /** EVENT/ACK: the arguments (an event's name first); CONNECT: the auth payload; CONNECT_ERROR: the error. */
  data?: any;
  /** The acknowledgement id. */
  id?: number;
  /** The number of binary attachments (BINARY_* packets). */
  attachments?: number;
}

/**
 * A packet parser with socket.io-parser's interface (the `parser` option), e.g. socket.io-msgpack-parser
 * or the built-in `msgpackParser`.
 */
export interface Parser {
  Encoder: new () => {
    /** A packet as the messages to send: each string a text message, anything else a binary one. */
    encode(packet: Packet): any[];
  };
  Decoder: new () => {
    /** Takes one received message; each packet it completes is emitted as `"decoded"`. */
    add(chunk: any): void;
    on(event: "decoded", listener: (packet: Packet) => void): unknown;
    /** Drops a packet half decoded when the connection closes. */
    destroy(): void;
  };
}

/** Engine.IO packet types. */
export type EnginePacketType = "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop" | "error";

/** An Engine.IO packet. */
export interface EnginePacket {
  type: EnginePacketType;
  options?: { compress: boolean };
  /** Text (`string`) or binary (`ArrayBuffer`) payload. */
  data?: any;
}

// ---------------------------------------------------------------------------------------------------
// Errors and close details

/** Why a connection closed, next to its reason: the underlying error, or a description with context. */
export type DisconnectDescription =
  | Error
  | {
      description: string;
      context?: unknown;
    };

/** The error of `connect_error`; a server-side middleware rejection carries its `data`. */
export interface ExtendedError extends Error {
  data?: any;
}

// ---------------------------------------------------------------------------------------------------
// Options

/** Names of the low-level transports. */
export type TransportName = "polling" | "websocket" | "webtransport" | (string & {});

/**
 * A transport class (`WebSocket`, `Fetch`, `XHR`, … as exported here or by socket.io-client): `transports`
 * takes them instead of names. Only its prototype's `name` matters here.
 */
export interface TransportCtor {
  readonly prototype: { readonly name: string };
}

/** Options of the Engine.IO connection a Manager opens. */
export interface EngineOptions {
  /**
   * The path the server is reached at. A trailing slash is added unless `addTrailingSlash` is false.
   * @default "/socket.io"
   */
  path?: string;
  /**
   * Query parameters added to every request (before `EIO`, `transport`, `sid` and `t`). A query string
   * in the URI given to `io()` is used when this is not set.
   */
  query?: { [key: string]: any } | string;
  /**
   * The transports to try, in order, by name or class (`[WebSocket, Fetch]`). WebTransport is not
   * implemented: an attempt with it fails with a `connect_error` ("webtransport error").
   * @default ["polling", "websocket"]
   */
  transports?: TransportName[] | TransportCtor[];
  /** The transports to try, as classes (what `transports` with classes does). */
  transportImplementations?: TransportCtor[];
  /**
   * Whether to upgrade from long-polling to a better transport (WebSocket) when the server offers one.
   * @default true
   */
  upgrade?: boolean;
  /**
   * Whether to start with WebSocket when the previous connection upgraded to it successfully.
   * @default false
   */
  rememberUpgrade?: boolean;
  /**
   * Whether to try the next transport of `transports` when one fails to connect.
   * @default false
   */
  tryAllTransports?: boolean;
  /**
   * Whether cross-site requests include credentials (cookies): `credentials: "include"` for fetch.
   * @default false
   */
  withCredentials?: boolean;
  /**
   * Headers added to the HTTP long-polling requests (browsers cannot set WebSocket headers).
   */
  extraHeaders?: { [header: string]: string };
  /**
   * Per-transport overrides of these options, e.g. `{ polling: { extraHeaders: { … } } }`.
   */
  transportOptions?: { [transport: string]: { [option: string]: any } };
  /**
   * Whether to add a cache-busting timestamp parameter: polling requests have it unless this is `false`;
   * WebSocket URLs have it only if this is `true`.
   */
  timestampRequests?: boolean;
  /**
   * The name of the timestamp query parameter.
   * @default "t"
   */
  timestampParam?: string;
  /**
   * Whether to add a trailing slash to `path` (`/socket.io/`).
   * @default true
   */
  addTrailingSlash?: boolean;
  /**
   * Whether to close the connection silently when the page unloads (`beforeunload`), instead of the
   * browser cutting it (which the socket sees as a `"transport close"`).
   * @default false
   */
  closeOnBeforeunload?: boolean;
  /**
   * Whether the reconnection and heartbeat timers use the `setTimeout`/`clearTimeout` of the time the
   * package loaded, so that fake timers installed later (sinon, Jest, Vitest) do not hold them back.
   * @default false
   */
  useNativeTimers?: boolean;
  /** The WebSocket subprotocols to offer (`new WebSocket(url, protocols)`). */
  protocols?: string | string[];
  /**
   * Whether binary data travels as base64 text (`b64=1` in the query), over WebSocket too.
   * @default false
   */
  forceBase64?: boolean;
  /**
   * The time, in ms, after which a long-polling request fails ("xhr poll error" / "xhr post error", as an
   * XHR's `timeout`). Keep it above the server's `pingInterval`: a GET waits that long for data.
   */
  requestTimeout?: number;
}

/** Options of a Manager (one connection to a server). `io()` and `new Manager()` take them as a `Partial`. */
export interface ManagerOptions extends EngineOptions {
  /**
   * Whether `io()` creates a new Manager (and connection) instead of reusing the cached one.
   * @default false
   */
  forceNew: boolean;
  /**
   * Whether `io()` may share one Manager between the namespaces of a server; `false` is like `forceNew`.
   * @default true
   */
  multiplex: boolean;
  /**
   * The path the server is reached at.
   * @default "/socket.io"
   */
  path: string;
  /**
   * Whether to reconnect automatically after an unintended disconnection.
   * @default true
   */
  reconnection: boolean;
  /**
   * The number of reconnection attempts before giving up (`reconnect_failed`).
   * @default Infinity
   */
  reconnectionAttempts: number;
  /**
   * The initial delay before a reconnection attempt, in ms; it doubles after each attempt
   * (`min(reconnectionDelay * 2^attempt, reconnectionDelayMax)`), jittered by `randomizationFactor`.
   * @default 1000
   */
  reconnectionDelay: number;
  /**
   * The longest delay between two reconnection attempts, in ms.
   * @default 5000
   */
  reconnectionDelayMax: number;
  /**
   * The jitter of the reconnection delay, between 0 and 1: the delay varies by `± delay * factor`.
   * @default 0.5
   */
  randomizationFactor: number;
  /**
   * The connection timeout, in ms: an attempt that has not opened by then fails with `Error("timeout")`.
   * `false` waits forever.
   * @default 20000
   */
  timeout: number | false;
  /**
   * Whether to connect as soon as the Manager (or the socket, for `io()`) is created. When `false`,
   * call `socket.connect()` or `manager.open()`.
   * @default true
   */
  autoConnect: boolean;
  /**
   * The packet parser, which must match the server's: `msgpackParser` (built in) or any parser with
   * socket.io-parser's interface, such as socket.io-msgpack-parser.
   * @default the built-in JSON parser (socket.io-parser's format)
   */
  parser: Parser;
}

/** Options of a Socket (one namespace). */
export interface SocketOptions {
  /**
   * Credentials sent in the CONNECT packet of every connection to the namespace: an object, or a
   * function called on every (re)connection that hands its payload to `cb`.
   */
  auth?: { [key: string]: any } | ((cb: (data: object) => void) => void);
  /**
   * How many times an emit is sent again when it is not acknowledged in time (`ackTimeout`). With it,
   * emits are queued and sent one at a time, and acknowledgements are error-first.
   * @default 0
   */
  retries?: number;
  /**
   * The default timeout of acknowledgements, in ms, for every emit (like `socket.timeout(ms)`). With
   * it, acknowledgement callbacks are error-first.
   */
  ackTimeout?: number;
}

// ---------------------------------------------------------------------------------------------------
// The Engine.IO connection (`socket.io.engine`)

/** The handshake the server answers an Engine.IO connection with. */
export interface HandshakeData {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** A low-level transport. */
export interface Transport {
  /** `"polling"`, `"websocket"` or `"webtransport"`. */
  readonly name: string;
}

/** Events of the Engine.IO connection. */
export interface EngineReservedEvents {
  open: () => void;
  handshake: (data: HandshakeData) => void;
  /** A packet received. */
  packet: (packet: EnginePacket) => void;
  /** A packet about to be sent. */
  packetCreate: (packet: EnginePacket) => void;
  data: (data: any) => void;
  message: (data: any) => void;
  drain: () => void;
  flush: () => void;
  heartbeat: () => void;
  ping: () => void;
  pong: () => void;
  error: (err: string | Error) => void;
  upgrading: (transport: Transport) => void;
  upgrade: (transport: Transport) => void;
  upgradeError: (err: Error) => void;
  close: (reason: string, description?: DisconnectDescription) => void;
}

/** The Engine.IO connection under a Manager. */
export interface Engine {
  /** The Engine.IO session id (set by the handshake). */
  readonly id: string;
  /** The transport in use. */
  readonly transport: Transport;
  readonly readyState: "opening" | "open" | "closing" | "closed";
  /** Closes the connection. */
  close(): this;
  on<Ev extends keyof EngineReservedEvents>(ev: Ev, listener: EngineReservedEvents[Ev]): this;
  once<Ev extends keyof EngineReservedEvents>(ev: Ev, listener: EngineReservedEvents[Ev]): this;
  off<Ev extends keyof EngineReservedEvents>(ev?: Ev, listener?: EngineReservedEvents[Ev]): this;
  listeners<Ev extends keyof EngineReservedEvents>(ev: Ev): EngineReservedEvents[Ev][];
  hasListeners<Ev extends keyof EngineReservedEvents>(ev: Ev): boolean;
}

// ---------------------------------------------------------------------------------------------------
// Manager

/** Events of a Manager. */
export interface ManagerReservedEvents {
  /** The connection opened. */
  open: () => void;
  /** A connection attempt failed. */
  error: (err: Error) => void;
  /** The server's heartbeat ping arrived. */
  ping: () => void;
  /** A Socket.IO packet arrived. */
  packet: (packet: Packet) => void;
  /** The connection closed. */
  close: (reason: string, description?: DisconnectDescription) => void;
  /** Every reconnection attempt failed. */
  reconnect_failed: () => void;
  /** A reconnection attempt starts (the first is 1). */
  reconnect_attempt: (attempt: number) => void;
  /** A reconnection attempt failed. */
  reconnect_error: (err: Error) => void;
  /** Reconnected, after `attempt` attempts. */
  reconnect: (attempt: number) => void;
}

/**
 * One connection to a server (an Engine.IO session), multiplexing the sockets of its namespaces.
 * The type parameters are those of the sockets it was created for.
 */
export declare class Manager<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> {
  /** The Engine.IO connection. */
  readonly engine: Engine;
  /** The options the Manager was created with. */
  opts: Partial<ManagerOptions>;

  /** A Manager for the page's origin. */
  constructor(opts: Partial<ManagerOptions>);
  /** A Manager for `uri` (default: the page's origin). */
  constructor(uri?: string, opts?: Partial<ManagerOptions>);
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>);

  /** Sets whether to reconnect automatically. */
  reconnection(v: boolean): this;
  /** Whether the Manager reconnects automatically. */
  reconnection(): boolean;
  reconnection(v?: boolean): this | boolean;

  /** Sets the number of reconnection attempts. */
  reconnectionAttempts(v: number): this;
  /** The number of reconnection attempts. */
  reconnectionAttempts(): number;
  reconnectionAttempts(v?: number): this | number;

  /** Sets the initial reconnection delay, in ms. */
  reconnectionDelay(v: number): this;
  /** The initial reconnection delay, in ms. */
  reconnectionDelay(): number;
  reconnectionDelay(v?: number): this | number;

  /** Sets the longest reconnection delay, in ms. */
  reconnectionDelayMax(v: number): this;
  /** The longest reconnection delay, in ms. */
  reconnectionDelayMax(): number;
  reconnectionDelayMax(v?: number): this | number;

  /** Sets the jitter of the reconnection delay (0 to 1). */
  randomizationFactor(v: number): this;
  /** The jitter of the reconnection delay. */
  randomizationFactor(): number;
  randomizationFactor(v?: number): this | number;

  /** Sets the connection timeout, in ms (`false`: none). */
  timeout(v: number | false): this;
  /** The connection timeout, in ms (`false`: none). */
  timeout(): number | false;
  timeout(v?: number | false): this | number | false;

  /** Opens the connection; `fn` is called once it opened, or with the error when it failed. */
  open(fn?: (err?: Error) => void): this;
  /** Closes the connection ("forced close" for it and its sockets); it does not reconnect. */
  _close(): void;
  /** Alias of `_close`. */
  disconnect(): void;
  /** Alias of `open`. */
  connect(fn?: (err?: Error) => void): this;

  /** The socket of namespace `nsp` (one per namespace: the same socket again on a second call). */
  socket(nsp: string, opts?: Partial<SocketOptions>): Socket;

  /** Adds a listener. */
  on<Ev extends keyof ManagerReservedEvents>(ev: Ev, listener: ManagerReservedEvents[Ev]): this;
  /** Adds a listener removed after its first call. */
  once<Ev extends keyof ManagerReservedEvents>(ev: Ev, listener: ManagerReservedEvents[Ev]): this;
  /** Removes a listener, every listener of an event, or (no arguments) every listener. */
  off<Ev extends keyof ManagerReservedEvents>(ev?: Ev, listener?: ManagerReservedEvents[Ev]): this;
  /** Alias of `off`. */
  removeListener<Ev extends keyof ManagerReservedEvents>(ev?: Ev, listener?: ManagerReservedEvents[Ev]): this;
  /** Removes every listener of an event, or of every event. */
  removeAllListeners<Ev extends keyof ManagerReservedEvents>(ev?: Ev): this;
  /** The listeners of an event. */
  listeners<Ev extends keyof ManagerReservedEvents>(ev: Ev): ManagerReservedEvents[Ev][];
  /** Whether an event has listeners. */
  hasListeners<Ev extends keyof ManagerReservedEvents>(ev: Ev): boolean;
}

// ---------------------------------------------------------------------------------------------------
// Socket

/** The events every socket emits itself. */
export interface SocketReservedEvents {
  /** Connected to the namespace (again, after a reconnection). */
  connect: () => void;
  /** A connection attempt failed (a server middleware rejection carries `err.data`). */
  connect_error: (err: ExtendedError) => void;
  /** Disconnected; unless the reason is `"io server disconnect"` or `"io client disconnect"`, it reconnects. */
  disconnect: (reason: Socket.DisconnectReason, description?: DisconnectDescription) => void;
}

type SocketEventNames<ListenEvents extends EventsMap> = ReservedOrUserEventNames<SocketReservedEvents, ListenEvents>;

type SocketListener<
  ListenEvents extends EventsMap,
  Ev extends SocketEventNames<ListenEvents>,
> = ReservedOrUserListener<SocketReservedEvents, ListenEvents, Ev>;

/**
 * A namespace of a Manager's connection. `ListenEvents` types the events the server sends,
 * `EmitEvents` the events sent to the server (an acknowledgement is the last argument's callback).
 */
export declare class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> {
  /** The Manager of the connection this socket uses. */
  readonly io: Manager<ListenEvents, EmitEvents>;
  /** The socket id given by the server; `undefined` while not connected. */
  readonly id: string | undefined;
  /** Whether the socket is connected to its namespace. */
  readonly connected: boolean;
  /** Whether the socket is not connected. */
  get disconnected(): boolean;
  /** Whether the socket is connected or trying to (it reconnects on its own). */
  get active(): boolean;
  /**
   * Whether the last connection recovered the session (connection state recovery): the events missed
   * while disconnected were delivered. `false` before the first connection, falsy after one without recovery.
   */
  readonly recovered: boolean;
  /** The credentials of the CONNECT packet; may be replaced before a reconnection. */
  auth: { [key: string]: any } | ((cb: (data: object) => void) => void);
  /** Events received before the socket connected, delivered on connect. */
  receiveBuffer: Array<ReadonlyArray<any>>;
  /** Packets emitted while not connected, sent on connect (assign `[]` to discard them). */
  sendBuffer: Array<Packet>;

  /** The socket of namespace `nsp` on Manager `io`; prefer `io()` or `manager.socket()`. */
  constructor(io: Manager, nsp: string, opts?: Partial<SocketOptions>);

  /** Connects to the namespace (opening the connection if needed). */
  connect(): this;
  /** Alias of `connect`. */
  open(): this;
  /** Leaves the namespace (no reconnection); the connection closes when no namespace is left. */
  disconnect(): this;
  /** Alias of `disconnect`. */
  close(): this;

  /** Emits a `message` event. */
  send(...args: any[]): this;
  /**
   * Emits an event. When the last argument is a function, it is called with the server's
   * acknowledgement. Buffered until connected. Reserved event names throw.
   */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this;
  /** Emits an event and resolves with the server's acknowledgement (rejects when it times out). */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<AckResult<EmitEvents, Ev>>;

  /** Sets whether the next emit is compressed. */
  compress(compress: boolean): this;
  /** Flags the next emit as volatile: dropped unless the transport can send it right now. */
  get volatile(): this;
  /**
   * Gives the next emit's acknowledgement a timeout, in ms: the callback becomes error-first and gets
   * an `Error("operation has timed out")` if the server does not answer in time.
   */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;

  /** Adds a listener. */
  on<Ev extends SocketEventNames<ListenEvents>>(ev: Ev, listener: SocketListener<ListenEvents, Ev>): this;
  /** Adds a listener removed after its first call. */
  once<Ev extends SocketEventNames<ListenEvents>>(ev: Ev, listener: SocketListener<ListenEvents, Ev>): this;
  /** Removes a listener, every listener of an event, or (no arguments) every listener. */
  off<Ev extends SocketEventNames<ListenEvents>>(ev?: Ev, listener?: SocketListener<ListenEvents, Ev>): this;
  /** Alias of `off`. */
  removeListener<Ev extends SocketEventNames<ListenEvents>>(
    ev?: Ev,
    listener?: SocketListener<ListenEvents, Ev>,
  ): this;
  /** Removes every listener of an event, or of every event. */
  removeAllListeners<Ev extends SocketEventNames<ListenEvents>>(ev?: Ev): this;
  /** The listeners of an event. */
  listeners<Ev extends SocketEventNames<ListenEvents>>(ev: Ev): SocketListener<ListenEvents, Ev>[];
  /** Whether an event has listeners. */
  hasListeners<Ev extends SocketEventNames<ListenEvents>>(ev: Ev): boolean;

  /** Adds a listener of every incoming event: `listener(event, ...args)`; runs before the event's own listeners. */
  onAny(listener: (...args: any[]) => void): this;
  /** Like `onAny`, but runs before the other catch-all listeners. */
  prependAny(listener: (...args: any[]) => void): this;
  /** Removes a catch-all listener, or (no argument) all of them. */
  offAny(listener?: (...args: any[]) => void): this;
  /** The catch-all listeners. */
  listenersAny(): ((...args: any[]) => void)[];
  /** Adds a listener of every outgoing event, called when it is actually sent (without the ack callback). */
  onAnyOutgoing(listener: (...args: any[]) => void): this;
  /** Like `onAnyOutgoing`, but runs before the other outgoing catch-all listeners. */
  prependAnyOutgoing(listener: (...args: any[]) => void): this;
  /** Removes an outgoing catch-all listener, or (no argument) all of them. */
  offAnyOutgoing(listener?: (...args: any[]) => void): this;
  /** The outgoing catch-all listeners. */
  listenersAnyOutgoing(): ((...args: any[]) => void)[];
}

export declare namespace Socket {
  /** Why a socket disconnected. */
  type DisconnectReason =
    /** The server disconnected the socket (`socket.disconnect()` server-side); no reconnection. */
    | "io server disconnect"
    /** The page called `socket.disconnect()`; no reconnection. */
    | "io client disconnect"
    /** The server's heartbeat stopped. */
    | "ping timeout"
    /** The connection was closed (the network was lost, the server stopped). */
    | "transport close"
    /** The connection failed. */
    | "transport error"
    /** The server sent a packet that could not be decoded. */
    | "parse error";
}

// ---------------------------------------------------------------------------------------------------
// io()

/**
 * The socket of a namespace on a server, for the page's origin and namespace `/`. A Manager is shared
 * by the namespaces of a server unless `forceNew` or `multiplex: false`.
 */
export declare function io(opts?: Partial<ManagerOptions & SocketOptions>): Socket;
/**
 * The socket of the namespace named by `uri`'s path: `io("https://example.com/admin")`, `io("/admin")`
 * (the page's host). A query string in `uri` becomes `opts.query`.
 */
export declare function io(uri?: string, opts?: Partial<ManagerOptions & SocketOptions>): Socket;

type IoFunction = typeof io;
type ManagerClass = typeof Manager;
type SocketClass = typeof Socket;
/** As socket.io-client's: `io.connect(url)`, `io.io`, `io.Manager`, `io.Socket`. */
export declare namespace io {
  const io: IoFunction;
  const connect: IoFunction;
  const Manager: ManagerClass;
  const Socket: SocketClass;
}

/** socket.io-client's transport classes, for `transports` (`[WebSocket, Fetch]`). */
export declare const WebSocket: TransportCtor;
export declare const NodeWebSocket: TransportCtor;
export declare const Fetch: TransportCtor;
export declare const XHR: TransportCtor;
export declare const NodeXHR: TransportCtor;
/** WebTransport is not implemented: an attempt with it fails with a `connect_error`. */
export declare const WebTransport: TransportCtor;

/** The Socket.IO protocol revision (5). */
export declare const protocol: number;

/**
 * The built-in MessagePack parser, wire-compatible with socket.io-msgpack-parser on the server:
 * `io(url, { parser: msgpackParser })`.
 */
export declare const msgpackParser: Parser & { protocol: number };

export { io as connect, io as default };
