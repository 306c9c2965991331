//! The two transports' browser sides: a WebSocket that forwards its events, and the long-polling
//! requests (`HttpPoller` in `js/bridge.js`). Both report to their Manager's `transport(id, kind, value)`
//! export, which [`input`] reads as the core's [`Input`].

use crate::prelude::*;

use js_sys::{Array, JsString};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::WebSocket;

use super::host::BrowserHost;
use crate::engineio::connection::Input;
use crate::engineio::packet::{Frame, TextFrame};
use crate::engineio::payload::encode_payload;
use crate::host::Text;

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    /// WebSocket `id` of the Manager `facade`, to `url` (binary as ArrayBuffers), reporting its events to
    /// the Manager's `transport` export. Throws for an invalid URL.
    #[wasm_bindgen(js_name = openWebSocket, catch)]
    fn open_web_socket(url: &str, facade: &JsValue, id: u32) -> Result<WebSocket, JsValue>;
    /// Detaches the handlers of a socket from `openWebSocket` and closes it.
    #[wasm_bindgen(js_name = closeWebSocket)]
    fn close_web_socket(socket: &WebSocket);
    /// Sends `head` + `body` as one text frame, or `body` alone (binary) when `head` is undefined; text
    /// stays a JS string handle, never copied through wasm memory.
    #[wasm_bindgen(js_name = sendFrame)]
    fn send_frame(socket: &WebSocket, head: Option<JsString>, body: Option<&JsValue>);
    /// The long-polling requests of one transport.
    #[derive(Clone)]
    pub type HttpPoller;
    /// A poller for transport `id` of the Manager `facade`, reporting to the Manager's `transport` export.
    #[wasm_bindgen(constructor)]
    pub fn new(id: u32, with_credentials: bool, extra_headers: &JsValue, facade: &JsValue) -> HttpPoller;
    /// Issues a long-polling GET.
    #[wasm_bindgen(method)]
    pub fn get(this: &HttpPoller, url: &str);
    #[wasm_bindgen(method)]
    fn post(this: &HttpPoller, url: &str, body: &JsString);
    /// POSTs encoded packets and binary values once its Blobs are read, through the `payload` export.
    #[wasm_bindgen(method, js_name = postReading)]
    fn post_reading(this: &HttpPoller, url: &str, packets: &Array);
    /// Aborts the pending GET; nothing more is reported about it.
    #[wasm_bindgen(method)]
    pub fn close(this: &HttpPoller);
}

/// A transport input from the browser.
pub type BrowserInput = Input<JsString, JsValue>;

// What a transport reports (`kind`), numbered as in js/bridge.js.
const WS_OPEN: u32 = 0;
const WS_TEXT: u32 = 1;
const WS_BINARY: u32 = 2;
const WS_CLOSE: u32 = 3;
const WS_ERROR: u32 = 4;
const WS_DRAIN: u32 = 5;
const POLLED: u32 = 6;
const POLL_FAILED: u32 = 7;
const POSTED: u32 = 8;

/// The core's input for a transport report of `kind` with `value` (see js/bridge.js); a WebSocket's close
/// or error event is also returned, for the errors and close reasons that describe it.
pub fn input(kind: u32, value: JsValue) -> (BrowserInput, Option<JsValue>) {
    let status = |value: &JsValue| value.as_f64().unwrap_or(0.0) as u16;
    let input = match kind {
        WS_OPEN => Input::WsOpen,
        WS_TEXT => Input::WsText(value.unchecked_into()),
        WS_BINARY => Input::WsBinary(value),
        WS_CLOSE | WS_ERROR => {
            let input = if kind == WS_CLOSE { Input::WsClose } else { Input::WsError };
            return (input, (!value.is_undefined()).then_some(value));
        }
        WS_DRAIN => Input::WsDrain,
        POLLED => Input::Poll(Ok(value.unchecked_into())),
        POLL_FAILED => Input::Poll(Err(status(&value))),
        POSTED => Input::Post(Ok(())),
        _ => Input::Post(Err(status(&value))), // POST_FAILED (9)
    };
    (input, None)
}

/// An open (or opening) WebSocket, detached and closed when dropped.
pub struct WebSocketTransport {
    socket: WebSocket,
}

impl WebSocketTransport {
    /// Opens WebSocket `id` of the Manager `facade` to `url`; an invalid URL is an `Err`.
    pub fn open(url: &str, facade: &JsValue, id: u32) -> Result<Self, JsValue> {
        Ok(Self { socket: open_web_socket(url, facade, id)? })
    }

    /// The socket, to send on without holding the transport (see [`WebSocketTransport::send`]).
    pub fn handle(&self) -> WebSocket {
        self.socket.clone()
    }

    /// Sends frames on `socket`; a socket that is no longer open drops them, as the browser does.
    pub fn send(socket: &WebSocket, frames: Vec<Frame<JsString, JsValue>>) {
        for frame in frames {
            match frame {
                Frame::Text(text) => {
                    let head = <JsString as Text>::from_rust_str(&text.head);
                    send_frame(socket, Some(head), text.body.as_ref().map(AsRef::as_ref));
                }
                Frame::Binary(binary) => send_frame(socket, None, Some(&binary)),
            }
        }
    }
}

impl Drop for WebSocketTransport {
    fn drop(&mut self) {
        close_web_socket(&self.socket);
    }
}

impl HttpPoller {
    /// POSTs `frames` as one payload. Blobs are read first (polling carries binary as base64): the packets
    /// then go to JS as texts and binary values, and come back through [`payload`].
    pub fn send(&self, url: String, frames: Vec<Frame<JsString, JsValue>>) {
        match encode_payload::<BrowserHost>(&frames) {
            Some(body) => self.post(&url, &body),
            None => {
                let packets: Array = frames
                    .iter()
                    .map(|frame| match frame {
                        Frame::Text(text) => text.join().into(),
                        Frame::Binary(binary) => binary.clone(),
                    })
                    .collect();
                self.post_reading(&url, &packets);
            }
        }
    }
}

/// The polling body of `packets` (from [`HttpPoller::send`], Blobs read): texts as they are, binary values
/// as `b` + base64.
pub fn payload(packets: &Array) -> JsString {
    let frames: Vec<Frame<JsString, JsValue>> = packets
        .iter()
        .map(|packet| match packet.dyn_into::<JsString>() {
            Ok(text) => Frame::Text(TextFrame { head: String::new(), body: Some(text) }),
            Err(binary) => Frame::Binary(binary),
        })
        .collect();
    encode_payload::<BrowserHost>(&frames).unwrap_or_default()
}
