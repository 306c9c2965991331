// The entry of the CommonJS build (pkg/node.cjs): as with socket.io-client, `require("socketio-wasm")` is
// the io function itself, carrying the named exports as properties.
const { default: io, ...named } = require("./index.js");

module.exports = Object.assign(io, named);
