// The classic-script build's entry (pkg/socketio-wasm.min.js, the package's "unpkg" and "jsdelivr" file):
// like socket.io-client's dist/socket.io.min.js, it defines a global `io` that also carries `io.io`,
// `io.connect`, `io.Manager` and `io.Socket`. It finds the wasm next to itself (js/script-url.js).
import { io, Manager, Socket } from "./index.js";

globalThis.io = Object.assign(io, { io, connect: io, Manager, Socket });
