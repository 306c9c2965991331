//! The WebSocket transport: opens the socket, forwards frames to a handler, sends frames, and detaches
//! its handlers when dropped so a closed transport reports nothing more.

use js_sys::{ArrayBuffer, JsString};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, MessageEvent, WebSocket};

#[wasm_bindgen]
extern "C" {
    /// A WebSocket seen through a `send` that takes any value (a JS string handle, ArrayBuffer, view or
    /// Blob), so text is not copied through wasm memory.
    #[wasm_bindgen(js_name = WebSocket)]
    type AnySendSocket;
    #[wasm_bindgen(method, catch, js_name = send)]
    fn send_value(this: &AnySendSocket, data: &JsValue) -> Result<(), JsValue>;
}

/// Something a transport reports.
pub enum TransportEvent {
    /// A text frame.
    Text(JsString),
    /// A binary frame.
    Binary(JsValue),
    /// The socket closed cleanly or was closed by the server.
    Close,
    /// The socket failed.
    Error,
}

/// An open (or opening) WebSocket with its handlers.
pub struct WebSocketTransport {
    socket: WebSocket,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
    _on_error: Closure<dyn FnMut()>,
}

impl WebSocketTransport {
    /// Opens a WebSocket to `url`; `handler` receives its events. An invalid URL is an `Err`.
    pub fn open(url: &str, handler: impl Fn(TransportEvent) + Clone + 'static) -> Result<Self, JsValue> {
        let socket = WebSocket::new(url)?;
        socket.set_binary_type(BinaryType::Arraybuffer);
        let on_message = {
            let handler = handler.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                match data.dyn_into::<JsString>() {
                    Ok(text) => handler(TransportEvent::Text(text)),
                    Err(other) if other.is_instance_of::<ArrayBuffer>() => handler(TransportEvent::Binary(other)),
                    Err(_) => handler(TransportEvent::Error),
                }
            })
        };
        let on_close = {
            let handler = handler.clone();
            Closure::<dyn FnMut()>::new(move || handler(TransportEvent::Close))
        };
        let on_error = Closure::<dyn FnMut()>::new(move || handler(TransportEvent::Error));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        socket.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self { socket, _on_message: on_message, _on_close: on_close, _on_error: on_error })
    }

    /// Sends a text or binary frame; a socket that is no longer open drops it, as the browser does.
    pub fn send(&self, data: &JsValue) {
        if self.socket.ready_state() == WebSocket::OPEN {
            let _ = self.socket.unchecked_ref::<AnySendSocket>().send_value(data);
        }
    }
}

impl Drop for WebSocketTransport {
    fn drop(&mut self) {
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        self.socket.set_onerror(None);
        let _ = self.socket.close();
    }
}
