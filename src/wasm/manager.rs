//! `WasmManager`: one core [`Manager`] with its transports, its timer and the listeners of the Manager,
//! of its engine and of each namespace's socket. The JS facades (`js/index.js`) call these exports.

use crate::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;
use core::sync::atomic::{AtomicBool, Ordering};

use js_sys::{Array, Function, JsString, WeakRef};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::errors::{close_description, connect_error};
use super::host::{js_string, BrowserHost};
use super::options::{manager_options, session_queries, socket_options, ShellOptions};
use super::parser::{chunk, decode_with, decoded_packet, encode, message};
use super::socket::{ack_arguments, connect_payload, packet_data, receive_buffer, send_buffer, send_buffer_positions};
use super::transport::{input, payload, HttpPoller, WebSocketTransport};
use crate::emitter::{CatchAll, Emitter};
use crate::engineio::connection::{Input, Io, TransportId};
use crate::engineio::handshake::Handshake;
use crate::engineio::packet::Frame;
use crate::fifo::release_if_empty;
use crate::socketio::emit::{timer_delay, Callback, Flag, Json, Message};
use crate::socketio::manager::{Event, Manager, NsId};
use crate::socketio::outbox::Chunk;
use crate::Millis;

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    #[wasm_bindgen(js_name = ackFunction)]
    fn ack_function(manager: &JsValue, ns: u32, id: f64) -> JsValue;
    #[wasm_bindgen(js_name = authCallback)]
    fn auth_callback(manager: &JsValue, ns: u32) -> JsValue;
    fn rethrow(error: &JsValue);
    fn subscription() -> Function;
    /// Reports WebSocket `id` of the Manager `facade` drained, in a promise job.
    #[wasm_bindgen(js_name = drainSoon)]
    fn drain_soon(facade: &JsValue, id: u32);
    /// Gives the Manager `facade` its timer command after `ms` (with the timer functions of the module's
    /// load when `native`); returns the timeout's handle.
    #[wasm_bindgen(js_name = setTimer)]
    fn set_timer(facade: &JsValue, ms: f64, native: bool) -> JsValue;
    /// Cancels a timeout of `setTimer` made with the same `native`.
    #[wasm_bindgen(js_name = clearTimer)]
    fn clear_timer(handle: &JsValue, native: bool);
    /// Gives the Manager `facade` its timer command in a promise job.
    #[wasm_bindgen(js_name = wakeSoon)]
    fn wake_soon(facade: &JsValue);
    /// Listens to the page's `offline` and `beforeunload` events, which become commands of the Manager
    /// `facade` (held weakly); returns the listeners for `unlistenToPage`.
    #[wasm_bindgen(js_name = listenToPage)]
    fn listen_to_page(facade: &JsValue, offline: bool, unload: bool) -> JsValue;
    #[wasm_bindgen(js_name = unlistenToPage)]
    fn unlisten_to_page(listeners: &JsValue);
}

#[wasm_bindgen]
extern "C" {
    /// Milliseconds since the page (or worker) started, on a monotonic clock: unlike `Date.now()`, it
    /// does not jump when the wall clock is set.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// The time every deadline is measured on: monotonic, so a wall clock set back (or forward) by the OS
/// neither delays nor hastens a ping timeout, an ack timeout or a reconnection.
fn now() -> Millis {
    performance_now() as Millis
}

/// Whether the page's last upgrade succeeded: engine.io-client keeps this page-wide, so a new Manager
/// with `rememberUpgrade` starts on WebSocket after any Manager's upgrade.
static PRIOR_WEBSOCKET_SUCCESS: AtomicBool = AtomicBool::new(false);

/// Listener targets in the exports: the Manager, its engine, or a namespace's socket (`ns >= 0`).
const MANAGER: i32 = -1;
const ENGINE: i32 = -2;

/// A JS object whose listeners the shell calls (the Manager, engine or Socket facade).
struct Listeners {
    facade: JsValue,
    emitter: Emitter<Function>,
}

impl Listeners {
    fn new(facade: JsValue) -> Self {
        Self { facade, emitter: Emitter::default() }
    }
}

/// A namespace's socket: its listeners, and the state only sockets have.
struct SocketState {
    listeners: Listeners,
    /// The outgoing catch-all listeners (`onAnyOutgoing`).
    outgoing: CatchAll<Function>,
    /// The socket's place among its Manager's listeners while it is active (see `sync_subscriptions`).
    subscription: Option<Function>,
    /// The socket's id as of its last `connect`.
    last_id: Option<String>,
    /// The id of a socket whose `disconnect` waits for its turn among the Manager's listeners: until then
    /// it still reads as connected with this id, as socket.io-client's does.
    lingering_id: Option<String>,
}

impl SocketState {
    fn new(facade: JsValue) -> Self {
        Self { listeners: Listeners::new(facade), outgoing: CatchAll::default(), subscription: None, last_id: None, lingering_id: None }
    }

    /// The catch-all listeners: incoming (`onAny`) or outgoing (`onAnyOutgoing`).
    fn catch_all(&mut self, outgoing: bool) -> &mut CatchAll<Function> {
        if outgoing {
            &mut self.outgoing
        } else {
            &mut self.listeners.emitter.any
        }
    }
}

/// Whose listeners an event goes to.
#[derive(Clone, Copy)]
enum Target {
    Manager,
    Engine,
    Socket(NsId),
}

// The socket properties of `socketProperty`/`setSocketProperty`, numbered as in js/index.js.
const SOCKET_ID: u32 = 0;
const SOCKET_CONNECTED: u32 = 1;
const SOCKET_ACTIVE: u32 = 2;
const SOCKET_RECOVERED: u32 = 3;
const SOCKET_SEND_BUFFER: u32 = 4;
const SOCKET_RECEIVE_BUFFER: u32 = 5;

// The Manager options of `getOption`/`setOption` (the option methods), numbered as in js/index.js.
const OPTION_RECONNECTION: u32 = 0;
const OPTION_RECONNECTION_ATTEMPTS: u32 = 1;
const OPTION_RECONNECTION_DELAY: u32 = 2;
const OPTION_RECONNECTION_DELAY_MAX: u32 = 3;
const OPTION_RANDOMIZATION_FACTOR: u32 = 4;
const OPTION_TIMEOUT: u32 = 5;

// The operations of `listen`, numbered as in js/index.js (3 is `listeners`); the catch-all ones (from
// `LISTEN_ANY_ON`) work on the outgoing list with `LISTEN_OUTGOING` added.
const LISTEN_ON: u32 = 0;
const LISTEN_ONCE: u32 = 1;
const LISTEN_OFF: u32 = 2;
const LISTEN_ANY_ON: u32 = 4;
const LISTEN_ANY_PREPEND: u32 = 5;
const LISTEN_ANY_OFF: u32 = 6;
const LISTEN_OUTGOING: u32 = 8;

// The commands of `command`, numbered as in js/index.js and js/bridge.js.
const COMMAND_CONNECT: u32 = 0;
const COMMAND_DISCONNECT: u32 = 1;
const COMMAND_CLOSE_ENGINE: u32 = 2;
const COMMAND_TIMER: u32 = 3;
const COMMAND_OFFLINE: u32 = 4;
const COMMAND_UNLOAD: u32 = 5;
const COMMAND_CLOSE_MANAGER: u32 = 6;

// The session properties of `engineProperty` (the transport's name is the third), numbered as in
// js/index.js.
const ENGINE_ID: u32 = 0;
const ENGINE_READY_STATE: u32 = 1;

// The next-emit flags of `flag` (compress is the third), numbered as in js/index.js.
const FLAG_TIMEOUT: u32 = 0;
const FLAG_VOLATILE: u32 = 1;

impl Target {
    fn from_export(target: i32) -> Option<Self> {
        match target {
            MANAGER => Some(Self::Manager),
            ENGINE => Some(Self::Engine),
            ns => usize::try_from(ns).ok().map(Self::Socket),
        }
    }
}

/// A transport's browser side.
enum BrowserTransport {
    WebSocket(WebSocketTransport),
    Http(HttpPoller),
}

struct Shared {
    core: Manager<BrowserHost>,
    manager: Listeners,
    engine: Listeners,
    sockets: Vec<SocketState>,
    transports: Vec<(TransportId, BrowserTransport)>,
    shell: ShellOptions,
    /// The armed timer: its deadline and its `setTimeout` handle.
    timer: Option<(Millis, JsValue)>,
    /// The DOM event of the last WebSocket close or error (a close's `context`, an error's `description`),
    /// or what a custom parser's `Decoder` last threw (the "parse error" description).
    transport_event: JsValue,
    /// The callback of `manager.open(callback)`, until the attempt's outcome.
    open_callback: Option<Function>,
    /// The page-level listeners (`offline`, `beforeunload`) this Manager registered, removed when it is
    /// freed.
    page_listeners: JsValue,
    /// Set while events are being dispatched, so a listener's own calls do not dispatch out of order.
    dispatching: bool,
    /// While the Manager is idle: its JS handles, moved out to an array the Manager facade holds (see
    /// [`park_if_idle`]).
    parked: Option<WeakRef<Array>>,
}

impl Drop for Shared {
    /// A Manager freed after the page dropped it leaves no listener on the page behind.
    fn drop(&mut self) {
        unlisten_to_page(&self.page_listeners);
    }
}

impl Shared {
    /// Replaces each JS handle that can lead back to the page's objects (the facades, the listeners, the
    /// `open` callback) with `exchange(handle)`, always in the same order while the Manager is idle.
    fn exchange_handles(&mut self, mut exchange: impl FnMut(JsValue) -> JsValue) {
        fn swap(function: &mut Function, exchange: &mut impl FnMut(JsValue) -> JsValue) {
            let handle = core::mem::replace(function, JsValue::UNDEFINED.unchecked_into());
            *function = exchange(handle.into()).unchecked_into();
        }
        for listeners in self.all_listeners() {
            listeners.facade = exchange(core::mem::take(&mut listeners.facade));
            for function in listeners.emitter.callbacks_mut() {
                swap(function, &mut exchange);
            }
        }
        for socket in &mut self.sockets {
            for function in socket.outgoing.callbacks_mut().chain(socket.subscription.iter_mut()) {
                swap(function, &mut exchange);
            }
        }
        for function in self.open_callback.iter_mut() {
            swap(function, &mut exchange);
        }
    }

    /// The listeners of the Manager, of its engine and of each socket.
    fn all_listeners(&mut self) -> impl Iterator<Item = &mut Listeners> {
        [&mut self.manager, &mut self.engine].into_iter().chain(self.sockets.iter_mut().map(|socket| &mut socket.listeners))
    }

    /// Whether nothing can happen until the page calls in: no transport, no timer, no dispatch under way.
    fn idle(&self) -> bool {
        self.transports.is_empty() && !self.dispatching && self.timer.is_none() && self.core.poll_timeout().is_none()
    }

    fn listeners(&mut self, target: Target) -> Option<&mut Listeners> {
        match target {
            Target::Manager => Some(&mut self.manager),
            Target::Engine => Some(&mut self.engine),
            Target::Socket(ns) => self.sockets.get_mut(ns).map(|socket| &mut socket.listeners),
        }
    }

    fn transport(&self, id: TransportId) -> Option<&BrowserTransport> {
        self.transports.iter().find(|(t, _)| *t == id).map(|(_, transport)| transport)
    }
}

/// The wasm side of one Manager (one Engine.IO connection and its namespaces).
#[wasm_bindgen]
pub struct WasmManager {
    shared: Rc<RefCell<Shared>>,
}

/// `socket.receiveBuffer`: the events namespace `ns` received before it connected, each with its ack
/// function when the server asked for one.
fn received_before_connect(shared: &Rc<RefCell<Shared>>, ns: u32) -> Array {
    unpark(shared);
    let events = {
        let state = shared.borrow();
        let ack = |id: u64| ack_function(&state.manager.facade, ns, id as f64);
        state.core.namespace(ns as NsId).map(|namespace| receive_buffer(namespace, ack)).unwrap_or_default()
    };
    park_if_idle(shared);
    events
}

#[wasm_bindgen]
impl WasmManager {
    /// A Manager for the absolute `uri` with the `io()` options; `facade` is the JS Manager object (`this`
    /// for its listeners; its `_sessionEngine()` gives the engine object of each session). Bad options or
    /// URI throw.
    #[wasm_bindgen(constructor)]
    pub fn new(uri: &str, options: JsValue, facade: JsValue) -> Result<WasmManager, JsValue> {
        let (engine, options, shell) = manager_options(uri, &options)?;
        let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let mut core = Manager::new(engine, options, seed);
        core.set_prior_websocket_success(PRIOR_WEBSOCKET_SUCCESS.load(Ordering::Relaxed));
        let page_listeners = listen_to_page(&facade, shell.close_when_offline, shell.close_on_beforeunload);
        let shared = Rc::new(RefCell::new(Shared {
            core,
            manager: Listeners::new(facade),
            engine: Listeners::new(JsValue::UNDEFINED),
            sockets: Vec::new(),
            transports: Vec::new(),
            shell,
            timer: None,
            transport_event: JsValue::UNDEFINED,
            open_callback: None,
            page_listeners,
            dispatching: false,
            parked: None,
        }));
        Ok(WasmManager { shared })
    }

    /// Takes what transport `id` reports: `kind` and `value` as js/bridge.js numbers them.
    pub fn transport(&self, id: u32, kind: u32, value: JsValue) {
        let (input, event) = input(kind, value);
        let clock = now();
        {
            let mut state = self.shared.borrow_mut();
            if let Some(event) = event {
                state.transport_event = event;
            }
            state.core.handle_input(clock, id, input);
        }
        drive_at(&self.shared, Some(clock));
    }

    /// A command, by its `COMMAND_*` number: `socket.connect()` and `socket.disconnect()` of namespace `ns`,
    /// `engine.close()` (a "forced close": the Manager reconnects as after any loss), the armed timer fired
    /// (or a deadline was found already due), the page went `offline` (the connection closes and reconnects
    /// when the network is back) or unloads (`closeOnBeforeunload`: the transports close silently),
    /// `manager._close()` (the connection closes, "forced close", and does not reconnect).
    pub fn command(&self, command: u32, ns: u32) {
        unpark(&self.shared);
        if command == COMMAND_CONNECT {
            refresh_query(&self.shared);
        }
        let ns = ns as NsId;
        let now = now();
        // A listener's disconnect(): its events are dispatched before it returns, ahead of those waiting.
        let mut aside = None;
        {
            let mut state = self.shared.borrow_mut();
            if command == COMMAND_TIMER {
                state.timer = None;
            }
            if command == COMMAND_DISCONNECT && state.dispatching {
                aside = Some(state.core.set_events_aside());
            }
            let core = &mut state.core;
            match command {
                COMMAND_CONNECT => core.connect(now, ns),
                COMMAND_DISCONNECT => core.disconnect(now, ns),
                COMMAND_CLOSE_ENGINE => core.close_session(now),
                COMMAND_TIMER => core.handle_timeout(now),
                COMMAND_OFFLINE => core.handle_offline(now),
                COMMAND_UNLOAD => core.abandon(),
                COMMAND_CLOSE_MANAGER => core.close(now),
                _ => {}
            }
        }
        if command == COMMAND_UNLOAD {
            // Silently: the transports close without events.
            flush_io(&self.shared);
            park_if_idle(&self.shared);
            return;
        }
        if command <= COMMAND_DISCONNECT || command == COMMAND_CLOSE_MANAGER {
            sync_subscriptions(&self.shared);
        }
        if let Some(aside) = aside {
            flush_io(&self.shared);
            dispatch_queued(&self.shared);
            self.shared.borrow_mut().core.restore_events(aside);
        }
        drive(&self.shared);
    }

    /// The polling body of packets whose Blobs were read (see `HttpPoller.postReading` in js/bridge.js).
    pub fn payload(&self, packets: &Array) -> JsString {
        payload(packets)
    }

    /// Registers the socket facade of namespace `nsp` with its options (`ackTimeout`, `retries`) and
    /// returns its namespace id.
    pub fn socket(&self, nsp: &str, facade: JsValue, options: JsValue) -> u32 {
        unpark(&self.shared);
        // Read first: the options object's getters are the page's code, which may call back in.
        let options = socket_options(&options);
        let ns = {
            let mut shared = self.shared.borrow_mut();
            let ns = shared.core.add_namespace(nsp);
            if ns == shared.sockets.len() {
                shared.sockets.push(SocketState::new(facade));
                shared.core.set_socket_options(ns, options);
            }
            ns
        };
        park_if_idle(&self.shared);
        ns as u32
    }

    /// Opens the connection (`manager.open(callback?)`); the callback gets the outcome of the attempt this
    /// call starts (none when one is already under way), as socket.io-client's.
    pub fn open(&self, callback: Option<Function>) {
        unpark(&self.shared);
        refresh_query(&self.shared);
        {
            let mut state = self.shared.borrow_mut();
            match callback {
                Some(callback) if state.core.open_with_callback(now()) => state.open_callback = Some(callback),
                Some(_) => {}
                None => state.core.open(now()),
            }
        }
        drive(&self.shared);
    }

    /// Emits `[name, ...args]` on namespace `ns`, with an optional ack callback (`error_first`: called as
    /// `(err, ...args)` even without a timeout, for `emitWithAck`). Throws for arguments JSON cannot encode
    /// (the JS layer rejects reserved event names first).
    pub fn emit(&self, ns: u32, args: JsValue, ack: Option<Function>, error_first: bool) -> Result<(), JsValue> {
        let message = message(args, self.custom_parser())?;
        let callback = ack.map(|function| Callback { function, error_first });
        let now = now();
        self.shared.borrow_mut().core.emit(now, ns as NsId, message, callback);
        drive_at(&self.shared, Some(now));
        Ok(())
    }

    /// Sets a flag of namespace `ns`'s next emit, by its `FLAG_*` number: `socket.timeout(ms)` (`value`:
    /// the delay, `undefined` falls back to `ackTimeout`), reading `socket.volatile`, `socket.compress(value)`.
    pub fn flag(&self, ns: u32, flag: u32, value: JsValue) {
        let flag = match flag {
            FLAG_TIMEOUT => Flag::Timeout(value.as_f64().map(timer_delay)),
            FLAG_VOLATILE => Flag::Volatile,
            _ => Flag::Compress(value.is_truthy()),
        };
        self.shared.borrow_mut().core.set_flag(ns as NsId, flag);
    }

    /// Answers the server's ack request `id` with `args` (an array); only the first answer is sent.
    pub fn ack(&self, ns: u32, id: f64, args: JsValue) -> Result<(), JsValue> {
        unpark(&self.shared);
        let message = message(args, self.custom_parser())?;
        self.shared.borrow_mut().core.ack(now(), ns as NsId, id as u64, message);
        drive(&self.shared);
        Ok(())
    }

    /// Sends namespace `ns`'s CONNECT with `auth` as resolved (an object, or undefined for none), plus the
    /// recovery fields when the server gave a pid.
    #[wasm_bindgen(js_name = sendConnect)]
    pub fn send_connect(&self, ns: u32, auth: JsValue) -> Result<(), JsValue> {
        unpark(&self.shared);
        let body = connect_body(&self.shared, ns as NsId, auth)?;
        self.shared.borrow_mut().core.send_connect(ns as NsId, body);
        drive(&self.shared);
        Ok(())
    }

    /// Changes or reads the listeners of `target` (-1: the Manager, -2: its engine, n >= 0: namespace n's
    /// socket), by the `LISTEN_*` number of `op`: `on`/`once` add `callback` to `event`; `off` removes the
    /// first matching listener, all listeners of `event` (no callback), or all of them (no event);
    /// `listeners` returns those of `event`; `onAny`, `prependAny`, `offAny` and `listenersAny` change or
    /// read the socket's catch-all listeners, incoming or, with `LISTEN_OUTGOING` added, outgoing.
    pub fn listen(&self, op: u32, target: i32, event: Option<String>, callback: JsValue) -> JsValue {
        let event = event.as_deref();
        if op <= LISTEN_ONCE {
            let event = event.unwrap_or_default();
            if target == ENGINE && (event == "packet" || event == "packetCreate") {
                self.shared.borrow_mut().core.observe_engine_packets();
            }
            if target == MANAGER && event == "packet" {
                self.shared.borrow_mut().core.observe_packets();
            }
        }
        let function = (!callback.is_null_or_undefined()).then(|| Function::from(callback.clone()));
        let listeners = self.with_state(|state| {
            if op >= LISTEN_ANY_ON {
                let socket = state.sockets.get_mut(NsId::try_from(target).ok()?)?;
                let any = socket.catch_all(op >= LISTEN_OUTGOING);
                match op % LISTEN_OUTGOING {
                    LISTEN_ANY_ON | LISTEN_ANY_PREPEND => any.add(callback.unchecked_into(), op % LISTEN_OUTGOING == LISTEN_ANY_PREPEND),
                    LISTEN_ANY_OFF => any.remove(function.as_ref()),
                    _ => return Some(any.listeners().into_iter().collect::<Array>()),
                }
                return None;
            }
            let emitter = &mut state.listeners(Target::from_export(target)?)?.emitter;
            match (op, event, function) {
                (LISTEN_ON | LISTEN_ONCE, event, _) => emitter.on(event.unwrap_or_default(), callback.unchecked_into(), op == LISTEN_ONCE),
                (LISTEN_OFF, Some(event), Some(function)) => emitter.off(event, &function),
                (LISTEN_OFF, event, _) => emitter.off_all(event),
                (_, event, _) => return Some(emitter.listeners(event.unwrap_or_default()).into_iter().collect::<Array>()),
            }
            None
        });
        listeners.map_or(JsValue::UNDEFINED, JsValue::from)
    }

    /// A property of socket `ns`, by its `SOCKET_*` number: `id` (while connected), `connected`, `active`
    /// (connected or trying to be), `recovered` (`false` before the first connect, then whether the last
    /// one recovered the session, `undefined` when the server has recovery off), `sendBuffer` (the packets
    /// waiting for the namespace to connect) and `receiveBuffer` (the events received before it did).
    #[wasm_bindgen(js_name = socketProperty)]
    pub fn socket_property(&self, ns: u32, property: u32) -> JsValue {
        if property == SOCKET_RECEIVE_BUFFER {
            return received_before_connect(&self.shared, ns).into();
        }
        let shared = self.shared.borrow();
        let namespace = shared.core.namespace(ns as NsId);
        let lingering_id = shared.sockets.get(ns as NsId).and_then(|s| s.lingering_id.as_deref());
        match property {
            SOCKET_ID => lingering_id.or_else(|| namespace.and_then(|n| n.sid.as_deref())).map_or(JsValue::UNDEFINED, JsValue::from_str),
            SOCKET_CONNECTED => (lingering_id.is_some() || namespace.is_some_and(|n| n.connected)).into(),
            SOCKET_ACTIVE => namespace.is_some_and(|n| n.active).into(),
            SOCKET_RECOVERED => namespace.and_then(|n| n.recovery().recovered()).map_or(JsValue::UNDEFINED, JsValue::from),
            _ => namespace.map(send_buffer).unwrap_or_default().into(),
        }
    }

    /// Assigns a property of socket `ns`: `sendBuffer = packets` keeps the buffered packets that are still in
    /// `packets`; `receiveBuffer = events` with an empty array drops the events received before the
    /// namespace connected, and anything else keeps them (the getter hands out copies, so a filtered list
    /// cannot name them).
    #[wasm_bindgen(js_name = setSocketProperty)]
    pub fn set_socket_property(&self, ns: u32, property: u32, value: JsValue) {
        if property == SOCKET_SEND_BUFFER {
            // The page's packets are read before the borrow (their getters may call back in).
            let kept = packet_data(&value);
            let mut shared = self.shared.borrow_mut();
            let keep = shared.core.namespace(ns as NsId).map(|namespace| send_buffer_positions(namespace, &kept));
            shared.core.retain_send_buffer(ns as NsId, &keep.unwrap_or_default());
        } else if Array::is_array(&value) && value.unchecked_ref::<Array>().length() == 0 {
            self.shared.borrow_mut().core.clear_receive_buffer(ns as NsId);
        }
    }

    /// A property of the session, by its `ENGINE_*` number: `engine.id`, `engine.readyState`,
    /// `engine.transport.name`; `undefined` while it has none.
    #[wasm_bindgen(js_name = engineProperty)]
    pub fn engine_property(&self, property: u32) -> JsValue {
        let shared = self.shared.borrow();
        let value = match property {
            ENGINE_ID => shared.core.engine_sid(),
            ENGINE_READY_STATE => Some(shared.core.engine_ready_state()),
            _ => shared.core.transport_name(),
        };
        value.map_or(JsValue::UNDEFINED, JsValue::from_str)
    }

    /// The value of a Manager option (`reconnection`, `reconnectionAttempts`, `reconnectionDelay`,
    /// `reconnectionDelayMax`, `randomizationFactor`, `timeout`), as its getter method returns it.
    #[wasm_bindgen(js_name = getOption)]
    pub fn get_option(&self, option: u32) -> JsValue {
        let shared = self.shared.borrow();
        let options = shared.core.options();
        match option {
            OPTION_RECONNECTION => options.reconnection.into(),
            OPTION_RECONNECTION_ATTEMPTS => options.reconnection_attempts.into(),
            OPTION_RECONNECTION_DELAY => options.reconnection_delay.into(),
            OPTION_RECONNECTION_DELAY_MAX => options.reconnection_delay_max.into(),
            OPTION_RANDOMIZATION_FACTOR => options.randomization_factor.into(),
            OPTION_TIMEOUT => options.timeout.map_or(JsValue::FALSE, |t| (t as f64).into()),
            _ => JsValue::UNDEFINED,
        }
    }

    /// Sets a Manager option (its setter method).
    #[wasm_bindgen(js_name = setOption)]
    pub fn set_option(&self, option: u32, value: JsValue) {
        unpark(&self.shared);
        let number = value.as_f64();
        self.shared.borrow_mut().core.update_options(|options| match option {
            OPTION_RECONNECTION => options.reconnection = value.is_truthy(),
            OPTION_RECONNECTION_ATTEMPTS => options.reconnection_attempts = number.unwrap_or(f64::INFINITY),
            OPTION_RECONNECTION_DELAY => options.reconnection_delay = number.unwrap_or(options.reconnection_delay),
            OPTION_RECONNECTION_DELAY_MAX => options.reconnection_delay_max = number.unwrap_or(options.reconnection_delay_max),
            OPTION_RANDOMIZATION_FACTOR => options.randomization_factor = number.unwrap_or(options.randomization_factor),
            OPTION_TIMEOUT => options.timeout = number.filter(|t| *t >= 0.0).map(|t| t as u64),
            _ => {}
        });
        drive(&self.shared);
    }

    /// Takes a packet the custom parser's `decoder` gave (its `decoded` event): the core checks and routes
    /// it; anything that is not a packet is a "parse error".
    pub fn decoded(&self, packet: JsValue) {
        let now = now();
        {
            let mut state = self.shared.borrow_mut();
            match decoded_packet(&packet) {
                Some(packet) => state.core.handle_decoded(now, packet),
                None => {
                    state.transport_event = js_sys::Error::new("invalid packet").into();
                    state.core.decode_failed(now);
                }
            }
        }
        drive_at(&self.shared, Some(now));
    }

    /// Whether a custom parser encodes and decodes packets.
    fn custom_parser(&self) -> bool {
        self.shared.borrow().core.options().custom_parser
    }

    /// Runs `f` on the Manager's state, unparked for the call.
    fn with_state<R>(&self, f: impl FnOnce(&mut Shared) -> Option<R>) -> Option<R> {
        unpark(&self.shared);
        let result = f(&mut self.shared.borrow_mut());
        park_if_idle(&self.shared);
        result
    }
}

/// Manager events a socket reacts to (socket.io-client's `subEvents`).
const SUBSCRIBED_EVENTS: [&str; 3] = ["open", "error", "close"];

/// Keeps each socket's subscription to its Manager's events in step with whether it is active: added last
/// when it becomes active (`socket.connect()`), removed when it stops (disconnect, refusal).
fn sync_subscriptions(shared: &Rc<RefCell<Shared>>) {
    let mut state = shared.borrow_mut();
    let state = &mut *state;
    for (ns, socket) in state.sockets.iter_mut().enumerate() {
        let active = state.core.namespace(ns).is_some_and(|n| n.active);
        match (&socket.subscription, active) {
            (None, true) => {
                let marker = subscription();
                for event in SUBSCRIBED_EVENTS {
                    state.manager.emitter.on(event, marker.clone(), false);
                }
                socket.subscription = Some(marker);
            }
            (Some(marker), false) => {
                for event in SUBSCRIBED_EVENTS {
                    state.manager.emitter.off(event, marker);
                }
                socket.subscription = None;
            }
            _ => {}
        }
    }
}

/// The events that make a socket's reaction to the Manager event just dispatched (they follow it in the
/// core's queue): its CONNECT, `connect_error`, or `disconnect` with the acknowledgements it fails.
fn take_reactions(shared: &Rc<RefCell<Shared>>) -> Vec<(NsId, Vec<Event<BrowserHost>>)> {
    let mut reactions: Vec<(NsId, Vec<Event<BrowserHost>>)> = Vec::new();
    loop {
        let state = shared.borrow();
        let subscribed = |ns: &NsId| state.core.namespace(*ns).is_some_and(|n| n.active);
        let ns = match state.core.peek_event() {
            // A socket that has just left (disconnect, refusal) is no longer subscribed: it reacts after.
            Some(Event::NeedsConnect(ns) | Event::ConnectError(ns, _) | Event::Disconnect(ns, ..)) if subscribed(ns) => *ns,
            Some(Event::Ack { ns, .. }) if reactions.last().is_some_and(|(last, _)| last == ns) => *ns,
            _ => return reactions,
        };
        drop(state);
        let mut state = shared.borrow_mut();
        let Some(event) = state.core.poll_event() else {
            return reactions;
        };
        if let (Event::Disconnect(..), Some(socket)) = (&event, state.sockets.get_mut(ns)) {
            socket.lingering_id = socket.last_id.clone();
        }
        drop(state);
        match reactions.last_mut() {
            Some((last, events)) if *last == ns => events.push(event),
            _ => reactions.push((ns, vec![event])),
        }
    }
}

/// Dispatches a Manager event (`open`, `error`, `close`) to the Manager's listeners, running each socket's
/// reaction where that socket's subscription stands among them, as socket.io-client's listeners run.
fn emit_to_manager(shared: &Rc<RefCell<Shared>>, event: &str, args: &Array) {
    let mut reactions = take_reactions(shared);
    let (this, callbacks) = {
        let mut state = shared.borrow_mut();
        (state.manager.facade.clone(), state.manager.emitter.fire(event))
    };
    for callback in callbacks {
        let subscriber = shared.borrow().sockets.iter().position(|s| s.subscription.as_ref() == Some(&callback));
        match subscriber {
            Some(ns) => {
                if let Some(index) = reactions.iter().position(|(n, _)| *n == ns) {
                    reactions.remove(index).1.into_iter().for_each(|reaction| dispatch_event(shared, reaction));
                }
            }
            None => {
                if let Err(error) = callback.apply(&this, args) {
                    rethrow(&error);
                }
            }
        }
    }
    for (_, events) in reactions {
        events.into_iter().for_each(|reaction| dispatch_event(shared, reaction));
    }
}

/// Dispatches the core's events until none is queued, handing each one's transport actions to the browser.
fn dispatch_queued(shared: &Rc<RefCell<Shared>>) {
    loop {
        let event = shared.borrow_mut().core.poll_event();
        let Some(event) = event else { break };
        let may_change_activity = !matches!(event, Event::Message { .. } | Event::Ack { .. } | Event::Sent { .. });
        dispatch_event(shared, event);
        if may_change_activity {
            sync_subscriptions(shared);
        }
        flush_io(shared);
    }
}

/// Hands queued transport actions to the browser, dispatches queued events (unless already
/// dispatching further up the stack) and re-arms the timer.
fn drive(shared: &Rc<RefCell<Shared>>) {
    drive_at(shared, None);
}

/// [`drive`], given the time the caller read just before (`Some` spares emits and transport inputs a second
/// clock read; the due check then uses the very time the core judged the deadline by, and a timer re-armed
/// after listeners ran fires at most their run time late, which the next wake-up absorbs).
fn drive_at(shared: &Rc<RefCell<Shared>>, clock: Option<Millis>) {
    if !unpark(shared) {
        return;
    }
    flush_io(shared);
    if !shared.borrow().dispatching {
        shared.borrow_mut().dispatching = true;
        dispatch_queued(shared);
        shared.borrow_mut().dispatching = false;
    }
    let prior = shared.borrow().core.prior_websocket_success();
    PRIOR_WEBSOCKET_SUCCESS.store(prior, Ordering::Relaxed);
    arm_timer(shared, clock.unwrap_or_else(now));
    park_if_idle(shared);
}

/// The property of the Manager facade that holds its parked handles.
const PARKED: &str = "_parked";

/// Parks an idle Manager's JS handles: they leave wasm-bindgen's handle table, which the garbage collector
/// treats as a root, for an array only the Manager facade holds. A Manager the page no longer references is
/// then garbage with its sockets and listeners, as socket.io-client's is, and wasm-bindgen's weak
/// references free its wasm side. The next call in puts the handles back ([`unpark`]).
fn park_if_idle(shared: &Rc<RefCell<Shared>>) {
    let mut state = shared.borrow_mut();
    if state.parked.is_some() || !state.idle() {
        return;
    }
    state.core.release_empty();
    for listeners in state.all_listeners() {
        listeners.emitter.release_empty();
    }
    for socket in &mut state.sockets {
        socket.outgoing.release_empty();
    }
    state.sockets.shrink_to_fit();
    release_if_empty(&mut state.transports);
    let facade = state.manager.facade.clone();
    let handles = Array::new();
    state.exchange_handles(|handle| {
        handles.push(&handle);
        JsValue::UNDEFINED
    });
    let _ = js_sys::Reflect::set(&facade, &PARKED.into(), &handles);
    state.parked = Some(WeakRef::new(&handles));
}

/// Puts parked handles back in place; `false` when they are gone with the page's last reference to the
/// Manager (nothing is left to act for).
fn unpark(shared: &Rc<RefCell<Shared>>) -> bool {
    let mut state = shared.borrow_mut();
    let Some(parked) = state.parked.take() else {
        return true;
    };
    let Some(handles) = parked.deref() else {
        state.parked = Some(parked);
        return false;
    };
    let mut restored = handles.iter();
    state.exchange_handles(|_| restored.next().unwrap_or_default());
    let _ = js_sys::Reflect::delete_property(state.manager.facade.unchecked_ref::<js_sys::Object>(), &PARKED.into());
    true
}

/// Hands the core's transport actions to the browser. No borrow is held while a transport is opened, written
/// to or closed: `WebSocket`, `fetch` and the timers may be the page's own wrappers, which may call back in.
fn flush_io(shared: &Rc<RefCell<Shared>>) {
    encode_pending(shared);
    loop {
        let io = shared.borrow_mut().core.poll_io();
        let Some(io) = io else { return };
        match io {
            Io::OpenWebSocket { id, url } => {
                let facade = {
                    let mut state = shared.borrow_mut();
                    state.transport_event = JsValue::UNDEFINED;
                    state.manager.facade.clone()
                };
                let protocols = shared.borrow().shell.protocols.clone();
                let opened = WebSocketTransport::open(&url, &protocols, &facade, id);
                let mut state = shared.borrow_mut();
                match opened {
                    Ok(socket) => state.transports.push((id, BrowserTransport::WebSocket(socket))),
                    Err(_) => state.core.handle_input(now(), id, Input::WsError),
                }
            }
            Io::Send { id, frames } => {
                let (socket, facade) = {
                    let state = shared.borrow();
                    let socket = match state.transport(id) {
                        Some(BrowserTransport::WebSocket(socket)) => Some(socket.handle()),
                        _ => None,
                    };
                    (socket, state.manager.facade.clone())
                };
                if let Some(socket) = socket {
                    WebSocketTransport::send(&socket, frames);
                }
                drain_soon(&facade, id);
            }
            Io::Poll { id, url } => {
                let poller = {
                    let mut state = shared.borrow_mut();
                    match state.transport(id) {
                        Some(BrowserTransport::Http(poller)) => Some(poller.clone()),
                        Some(BrowserTransport::WebSocket(_)) => None,
                        None => {
                            let poller = new_poller(&state, id);
                            state.transports.push((id, BrowserTransport::Http(poller.clone())));
                            Some(poller)
                        }
                    }
                };
                if let Some(poller) = poller {
                    poller.get(&url);
                }
            }
            Io::Post { id, url, frames } => {
                let poller = {
                    let state = shared.borrow();
                    match state.transport(id) {
                        Some(BrowserTransport::Http(poller)) => poller.clone(),
                        // The transport was closed: its last packets (ending with `1`) still go out.
                        _ => new_poller(&state, id),
                    }
                };
                poller.send(url, frames);
            }
            Io::Close { id } => {
                let closed = {
                    let mut state = shared.borrow_mut();
                    let index = state.transports.iter().position(|(t, _)| *t == id);
                    index.map(|index| state.transports.remove(index).1)
                };
                // A WebSocket closes when dropped, here, out of the borrow.
                if let Some(BrowserTransport::Http(poller)) = &closed {
                    poller.close();
                }
            }
        }
    }
}

/// Hands the packets waiting for a custom parser to its `encoder`, in order, and writes what it makes of
/// them. An encoder that throws loses its packet; the error reaches the page as an unhandled rejection.
fn encode_pending(shared: &Rc<RefCell<Shared>>) {
    loop {
        let packet = shared.borrow_mut().core.next_to_encode();
        let Some(packet) = packet else { return };
        let facade = shared.borrow().manager.facade.clone();
        match encode(&facade, packet) {
            Ok(chunks) => shared.borrow_mut().core.write_encoded(chunks.iter().map(chunk)),
            Err(error) => rethrow(&error),
        }
    }
}

fn new_poller(state: &Shared, id: TransportId) -> HttpPoller {
    HttpPoller::new(id, state.shell.with_credentials, &state.shell.extra_headers, state.shell.request_timeout, &state.manager.facade)
}

/// Keeps the one browser timer armed to the core's next deadline (the timer functions are called with no
/// borrow held: they may be a test's fake timers).
fn arm_timer(shared: &Rc<RefCell<Shared>>, now: Millis) {
    let (deadline, armed, facade, native) = {
        let state = shared.borrow();
        (state.core.poll_timeout(), state.timer.as_ref().map(|(at, _)| *at), state.manager.facade.clone(), state.shell.native_timers)
    };
    let due = deadline.is_some_and(|deadline| deadline <= now);
    if !due && armed == deadline {
        return;
    }
    let stale = shared.borrow_mut().timer.take();
    if let Some((_, handle)) = stale {
        clear_timer(&handle, native);
    }
    match deadline {
        // Already due (an emit found the ping deadline passed, in a tab whose timers were throttled): wake
        // up on a microtask, before any message already queued could revive the dead connection, as
        // socket.io-client closes on its next tick. The core never stays due after a wake-up, so this
        // cannot spin.
        Some(_) if due => wake_soon(&facade),
        Some(deadline) => {
            // Browsers fire delays beyond 2^31 - 1 ms at once; a later wake-up simply re-arms.
            let delay = deadline.saturating_sub(now).min(i32::MAX as u64) as f64;
            let handle = set_timer(&facade, delay, native);
            let replaced = shared.borrow_mut().timer.replace((deadline, handle));
            // A timer armed meanwhile by a call from the page's timer function is not needed twice.
            if let Some((_, handle)) = replaced {
                clear_timer(&handle, native);
            }
        }
        None => {}
    }
}

/// Calls the listeners of `event` on `target` with `args`.
fn emit_to(shared: &Rc<RefCell<Shared>>, target: Target, event: &str, args: &Array) {
    let listeners = shared.borrow_mut().listeners(target).map(|l| (l.facade.clone(), l.emitter.fire(event)));
    if let Some((this, callbacks)) = listeners {
        call_all(&this, &callbacks, args);
    }
}

/// Calls `callbacks` in order; as with socket.io-client, an exception stops the remaining ones, and it is
/// re-raised asynchronously (an unhandled rejection, as socket.io-client's listeners run in promise jobs)
/// instead of unwinding through the core. Returns whether all ran.
fn call_all(this: &JsValue, callbacks: &[Function], args: &Array) -> bool {
    for callback in callbacks {
        if let Err(error) = callback.apply(this, args) {
            rethrow(&error);
            return false;
        }
    }
    true
}

/// The engine's `handshake` event argument: the open packet's data.
fn handshake_object(handshake: &Handshake) -> JsValue {
    let object = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&object, &key.into(), &value);
    };
    set("sid", handshake.sid.as_str().into());
    set("upgrades", handshake.upgrades.iter().map(|u| JsValue::from_str(u)).collect::<Array>().into());
    set("pingInterval", (handshake.ping_interval as f64).into());
    set("pingTimeout", (handshake.ping_timeout as f64).into());
    set("maxPayload", (handshake.max_payload as f64).into());
    object.into()
}

/// The `transport` argument of the engine's `upgrade` event.
fn transport_object(name: &str) -> JsValue {
    let transport = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&transport, &"name".into(), &name.into());
    transport.into()
}

fn dispatch_event(shared: &Rc<RefCell<Shared>>, event: Event<BrowserHost>) {
    // Read only by the arms that need them (each clone is a call across the boundary: not per message).
    let manager_facade = || shared.borrow().manager.facade.clone();
    let transport_event = || shared.borrow().transport_event.clone();
    // No arguments: `apply` takes `undefined` for an empty list.
    let undefined = JsValue::UNDEFINED;
    let none: &Array = undefined.unchecked_ref();
    let one = |value: JsValue| Array::of1(&value);
    match event {
        Event::SessionStarted => {
            let manager_facade = manager_facade();
            let engine = js_sys::Reflect::get(&manager_facade, &"_sessionEngine".into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .and_then(|f| f.call0(&manager_facade).ok())
                .unwrap_or(JsValue::UNDEFINED);
            shared.borrow_mut().engine = Listeners::new(engine);
        }
        Event::Open => {
            let handshake = shared.borrow().core.handshake().map(handshake_object);
            emit_to(shared, Target::Engine, "handshake", &one(handshake.unwrap_or(JsValue::UNDEFINED)));
            emit_to(shared, Target::Engine, "open", none);
            emit_to_manager(shared, "open", none);
        }
        Event::Close(reason, cause) => {
            let args = Array::of2(&reason.as_str().into(), &close_description(cause, &transport_event()));
            emit_to(shared, Target::Engine, "close", &args);
            emit_to_manager(shared, "close", &args);
        }
        Event::Ping => emit_to(shared, Target::Manager, "ping", none),
        Event::Packet { kind, nsp, data, id } => {
            let packet = js_sys::Object::new();
            let set = |key: &str, value: JsValue| {
                let _ = js_sys::Reflect::set(&packet, &key.into(), &value);
            };
            set("type", kind.into());
            set("nsp", nsp.as_str().into());
            if let Some(data) = data {
                set("data", data);
            }
            if let Some(id) = id {
                set("id", (id as f64).into());
            }
            emit_to(shared, Target::Manager, "packet", &one(packet.into()));
        }
        Event::EnginePacket { created, kind, data } => {
            let packet = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&packet, &"type".into(), &kind.into());
            let data: JsValue = match data {
                Some(Frame::Text(text)) => text.join().into(),
                Some(Frame::Binary(binary)) => binary,
                None => JsValue::UNDEFINED,
            };
            let _ = js_sys::Reflect::set(&packet, &"data".into(), &data);
            emit_to(shared, Target::Engine, if created { "packetCreate" } else { "packet" }, &one(packet.into()));
        }
        Event::Upgrading => emit_to(shared, Target::Engine, "upgrading", &one(transport_object("websocket"))),
        Event::Upgrade => emit_to(shared, Target::Engine, "upgrade", &one(transport_object("websocket"))),
        Event::UpgradeError => emit_to(shared, Target::Engine, "upgradeError", &one(js_sys::Error::new("probe error").into())),
        Event::Error(failure) => emit_to_manager(shared, "error", &one(connect_error(&failure, &transport_event()))),
        Event::ReconnectAttempt(n) => {
            emit_to(shared, Target::Manager, "reconnect_attempt", &one(n.into()));
            refresh_query(shared);
            shared.borrow_mut().core.reopen(now());
        }
        Event::Reconnect(n) => emit_to(shared, Target::Manager, "reconnect", &one(n.into())),
        Event::ReconnectError(failure) => {
            emit_to(shared, Target::Manager, "reconnect_error", &one(connect_error(&failure, &transport_event())))
        }
        Event::ReconnectFailed => emit_to(shared, Target::Manager, "reconnect_failed", none),
        Event::OpenCallback(outcome) => {
            let callback = shared.borrow_mut().open_callback.take();
            let args = outcome.map_or_else(Array::new, |failure| one(connect_error(&failure, &transport_event())));
            if let Some(callback) = callback {
                call_all(&manager_facade(), &[callback], &args);
            }
        }
        Event::NeedsConnect(ns) => send_connect(shared, &manager_facade(), ns),
        Event::Connect(ns) => {
            {
                let mut state = shared.borrow_mut();
                let id = state.core.namespace(ns).and_then(|n| n.sid.clone());
                if let Some(socket) = state.sockets.get_mut(ns) {
                    socket.last_id = id;
                }
            }
            emit_to(shared, Target::Socket(ns), "connect", none);
        }
        Event::ConnectError(ns, failure) => {
            emit_to(shared, Target::Socket(ns), "connect_error", &one(connect_error(&failure, &transport_event())))
        }
        Event::Disconnect(ns, reason, cause) => {
            if let Some(socket) = shared.borrow_mut().sockets.get_mut(ns) {
                socket.lingering_id = None;
            }
            let args = Array::of2(&reason.as_str().into(), &close_description(cause, &transport_event()));
            emit_to(shared, Target::Socket(ns), "disconnect", &args);
        }
        Event::Message { ns, args, name, ack_id } => {
            let args: Array = args.unchecked_into();
            if let Some(id) = ack_id {
                args.push(&ack_function(&manager_facade(), ns as u32, id as f64));
            }
            let any = shared.borrow().sockets.get(ns).and_then(|socket| {
                let callbacks = socket.listeners.emitter.any.listeners();
                (!callbacks.is_empty()).then(|| (socket.listeners.facade.clone(), callbacks))
            });
            let any_completed = any.is_none_or(|(this, callbacks)| call_all(&this, &callbacks, &args));
            if any_completed {
                // The array stays whole: it is also the Manager `packet` event's `data`. (`slice` ends at the
                // array's end.)
                let name = name.unwrap_or_else(|| String::from(js_string(&args.get(0))));
                emit_to(shared, Target::Socket(ns), &name, &args.slice(1, u32::MAX));
            }
        }
        Event::Ack { ns, ack, outcome } => {
            let this = shared.borrow().sockets.get(ns).map(|socket| socket.listeners.facade.clone()).unwrap_or(JsValue::UNDEFINED);
            call_all(&this, &[ack], &ack_arguments(outcome));
        }
        Event::Decode(chunk) => {
            let chunk = match chunk {
                Chunk::Text(text) => text.into(),
                Chunk::Binary(binary) => binary,
            };
            let outcome = decode_with(&manager_facade(), &chunk);
            let now = now();
            let mut state = shared.borrow_mut();
            if let Err(error) = outcome {
                state.transport_event = error;
                state.core.decode_failed(now);
            }
            state.core.resume_decoding(now);
        }
        Event::Sent { ns, args } => {
            let outgoing = shared
                .borrow()
                .sockets
                .get(ns)
                .filter(|socket| !socket.outgoing.is_empty())
                .map(|socket| (socket.listeners.facade.clone(), socket.outgoing.listeners()));
            if let Some((this, callbacks)) = outgoing {
                call_all(&this, &callbacks, args.unchecked_ref());
            }
        }
    }
}

/// Gives the core the query of the next session as the facade's `opts` hold it now (socket.io-client
/// reads `opts.query` for each new engine; a `reconnect_attempt` listener may have changed it).
fn refresh_query(shared: &Rc<RefCell<Shared>>) {
    let (facade, uri_query) = {
        let state = shared.borrow();
        if state.core.is_open() {
            return;
        }
        (state.manager.facade.clone(), state.shell.uri_query.clone())
    };
    let options = js_sys::Reflect::get(&facade, &"opts".into()).unwrap_or(JsValue::UNDEFINED);
    if let Some((polling, websocket)) = session_queries(&uri_query, &options) {
        shared.borrow_mut().core.set_query(polling, websocket);
    }
}

/// Resolves the socket's `auth` (an object, or a function called with a callback) and sends its CONNECT.
fn send_connect(shared: &Rc<RefCell<Shared>>, manager_facade: &JsValue, ns: NsId) {
    let facade = shared.borrow().sockets.get(ns).map(|socket| socket.listeners.facade.clone());
    let Some(facade) = facade else { return };
    let auth = js_sys::Reflect::get(&facade, &"auth".into()).unwrap_or(JsValue::UNDEFINED);
    if let Some(auth) = auth.dyn_ref::<Function>() {
        if let Err(error) = auth.call1(&facade, &auth_callback(manager_facade, ns as u32)) {
            rethrow(&error);
        }
        return;
    }
    let body = connect_body(shared, ns, auth).ok().flatten();
    shared.borrow_mut().core.send_connect(ns, body);
}

/// The JSON of namespace `ns`'s CONNECT data for the resolved `auth` (see [`connect_payload`]); `None` for
/// no data. No borrow is held while `auth` is read and stringified: its getters and `toJSON` are the
/// page's code, which may call back in (an emit, buffered until the namespace connects).
fn connect_body(shared: &Rc<RefCell<Shared>>, ns: NsId, auth: JsValue) -> Result<Option<Message<BrowserHost>>, JsValue> {
    let recovery = shared.borrow().core.namespace(ns).map(|namespace| {
        let recovery = namespace.recovery();
        (recovery.pid().map(String::from), recovery.offset().cloned())
    });
    let Some((pid, offset)) = recovery else { return Ok(None) };
    let payload = connect_payload(pid.as_deref(), offset.as_ref(), auth);
    if payload.is_null_or_undefined() {
        return Ok(None);
    }
    if shared.borrow().core.options().custom_parser {
        return Ok(Some(Message { args: payload, json: None }));
    }
    // Plain JSON, as socket.io-parser encodes a CONNECT: no search for binary, so a getter or `toJSON`
    // runs once.
    let text = js_sys::JSON::stringify(&payload)?;
    Ok(Some(Message { args: payload, json: Some(Json { text, attachments: Vec::new() }) }))
}
