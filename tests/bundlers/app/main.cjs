// main.js written as CommonJS: the package is loaded with require("socketio-wasm") (what a CommonJS
// code base bundled by webpack does); everything else is the same.
const { io } = require("socketio-wasm");

const result = { connected: false, id: null, echo: null, error: null, done: false };
window.__result = result;

function finish(error) {
  if (result.done) return;
  result.error = error ?? null;
  result.done = true;
  document.title = error ? `error: ${error}` : "ok";
}

const server = new URLSearchParams(location.search).get("server");
const socket = io(server, { transports: ["websocket"], reconnection: false });

socket.on("connect", () => {
  result.connected = true;
  result.id = socket.id;
});
socket.on("connect_error", (error) => finish(`connect_error: ${error.message}`));

socket.emit("echo", "hello", { from: "bundle" }, (...args) => {
  result.echo = args;
  finish();
});
