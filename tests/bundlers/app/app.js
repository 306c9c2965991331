// The app every bundler builds: io() called at module top level (before the WebAssembly is loaded),
// one emit with an acknowledgement and one binary round trip. The server comes from the page's query
// string (?server=http://127.0.0.1:PORT), so the bundle is static. The outcome goes to window.__result
// (read by tests/bundlers.test.mjs) and to document.title.
export function start(io) {
  const result = { connected: false, id: null, echo: null, binary: null, error: null, done: false };
  window.__result = result;

  const finish = (error) => {
    if (result.done) return;
    result.error = error ?? null;
    result.done = error !== undefined || (result.echo !== null && result.binary !== null);
    if (result.done) document.title = error ? `error: ${error}` : "ok";
  };

  const server = new URLSearchParams(location.search).get("server");
  const socket = io(server, { transports: ["websocket"], reconnection: false });

  socket.on("connect", () => {
    result.connected = true;
    result.id = socket.id;
  });
  socket.on("connect_error", (error) => finish(`connect_error: ${error.message}`));

  // Emitted before the connection exists: socket.io-client buffers it until "connect".
  socket.emit("echo", "hello", { from: "bundle" }, (...args) => {
    result.echo = args;
    finish();
  });
  // Binary both ways: the server acks with the bytes it received, which arrive as an ArrayBuffer.
  socket.emit("echo", new Uint8Array([0, 1, 127, 128, 255]), (bytes) => {
    result.binary = bytes instanceof ArrayBuffer ? [...new Uint8Array(bytes)] : `not an ArrayBuffer: ${bytes}`;
    finish();
  });
  return () => socket.disconnect();
}
