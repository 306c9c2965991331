//! The two transports' browser sides: a WebSocket that forwards its events, and the long-polling
//! requests (`HttpPoller` in `js/bridge.js`). Each reports [`Input`]s for its transport id.

use crate::prelude::*;

use js_sys::{Array, Function, JsString};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::WebSocket;

use super::host::BrowserHost;
use crate::host::Text;
use crate::engineio::connection::Input;
use crate::engineio::packet::Frame;
use crate::engineio::payload::encode_payload;

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    /// A WebSocket to `url` (binary as ArrayBuffers) whose events all go to `report(kind, value)`: one
    /// handler for the four, and a message's data handed over directly. Throws for an invalid URL.
    #[wasm_bindgen(js_name = openWebSocket, catch)]
    fn open_web_socket(url: &str, report: &Function) -> Result<WebSocket, JsValue>;
    /// Detaches the handler of a socket from `openWebSocket` and closes it.
    #[wasm_bindgen(js_name = closeWebSocket)]
    fn close_web_socket(socket: &WebSocket);
    /// Sends `head` + `body` as one text frame, or `body` alone (binary) when `head` is undefined; text
    /// stays a JS string handle, never copied through wasm memory.
    #[wasm_bindgen(js_name = sendFrame)]
    fn send_frame(socket: &WebSocket, head: Option<JsString>, body: Option<&JsValue>);
    /// The long-polling requests of one transport.
    pub type HttpPoller;
    /// A poller for transport `id` reporting to `report(id, isPoll, status, body)`.
    #[wasm_bindgen(constructor)]
    pub fn new(id: u32, with_credentials: bool, extra_headers: &JsValue, report: &Function) -> HttpPoller;
    /// Issues a long-polling GET.
    #[wasm_bindgen(method)]
    pub fn get(this: &HttpPoller, url: &str);
    #[wasm_bindgen(method)]
    fn post(this: &HttpPoller, url: &str, body: &JsString);
    /// Aborts the pending GET; nothing more is reported about it.
    #[wasm_bindgen(method)]
    pub fn close(this: &HttpPoller);
    #[wasm_bindgen(js_name = readBlobs)]
    fn read_blobs(binaries: &Array, then: &JsValue);
}

/// A transport input from the browser.
pub type BrowserInput = Input<JsString, JsValue>;

/// An open (or opening) WebSocket with its handler, detached when dropped.
pub struct WebSocketTransport {
    socket: WebSocket,
    _report: Closure<dyn FnMut(u32, JsValue)>,
}

// What `openWebSocket`'s `report(kind, value)` tells (numbered as in js/bridge.js); the rest are errors.
const WS_OPEN: u32 = 0;
const WS_TEXT: u32 = 1;
const WS_BINARY: u32 = 2;
const WS_CLOSE: u32 = 3;

impl WebSocketTransport {
    /// Opens a WebSocket to `url`; `handler` receives its inputs, with the DOM event of a close or an error
    /// (which socket.io-client hands to pages as the error's `description` or `context`). An invalid URL is
    /// an `Err`.
    pub fn open(url: &str, handler: impl Fn(BrowserInput, JsValue) + 'static) -> Result<Self, JsValue> {
        let report = Closure::<dyn FnMut(u32, JsValue)>::new(move |kind: u32, value: JsValue| match kind {
            WS_OPEN => handler(Input::WsOpen, JsValue::UNDEFINED),
            WS_TEXT => handler(Input::WsText(value.unchecked_into()), JsValue::UNDEFINED),
            WS_BINARY => handler(Input::WsBinary(value), JsValue::UNDEFINED),
            WS_CLOSE => handler(Input::WsClose, value),
            _ => handler(Input::WsError, value),
        });
        let socket = open_web_socket(url, report.as_ref().unchecked_ref())?;
        Ok(Self { socket, _report: report })
    }

    /// Sends frames; a socket that is no longer open drops them, as the browser does.
    pub fn send(&self, frames: Vec<Frame<JsString, JsValue>>) {
        for frame in frames {
            match frame {
                Frame::Text(text) => {
                    let head = <JsString as Text>::from_rust_str(&text.head);
                    send_frame(&self.socket, Some(head), text.body.as_ref().map(AsRef::as_ref));
                }
                Frame::Binary(binary) => send_frame(&self.socket, None, Some(&binary)),
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
    /// POSTs `frames` as one payload (Blobs are read first: polling carries binary as base64).
    pub fn send(&self, url: String, frames: Vec<Frame<JsString, JsValue>>) {
        if let Some(body) = encode_payload::<BrowserHost>(&frames) {
            return self.post(&url, &body);
        }
        let binaries: Array = frames.iter().filter_map(|f| if let Frame::Binary(b) = f { Some(b.clone()) } else { None }).collect();
        let this: HttpPoller = AsRef::<JsValue>::as_ref(self).clone().unchecked_into();
        let then = Closure::once_into_js(move |buffers: JsValue| {
            let buffers: Array = buffers.unchecked_into();
            let mut buffers = buffers.iter();
            let frames: Vec<_> = frames
                .into_iter()
                .map(|frame| match frame {
                    Frame::Binary(_) => Frame::Binary(buffers.next().unwrap_or(JsValue::UNDEFINED)),
                    text => text,
                })
                .collect();
            if let Some(body) = encode_payload::<BrowserHost>(&frames) {
                this.post(&url, &body);
            }
        });
        read_blobs(&binaries, &then);
    }
}
