// The classic-script build's entry (pkg/socketio-wasm.min.js, the package's "unpkg" and "jsdelivr" file):
// like socket.io-client's dist/socket.io.min.js, it defines a global `io` (which carries `io.io`,
// `io.connect`, `io.Manager` and `io.Socket`, as in every entry). It finds the wasm next to itself
// (js/script-url.js).
import { io } from "./index.js";

globalThis.io = io;
