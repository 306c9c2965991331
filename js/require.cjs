// The entry of the CommonJS build (pkg/node.cjs): as with socket.io-client, `require("socketio-wasm")` is
// the io function itself, carrying the module's exports (default included) as properties.
const api = require("./index.js");

module.exports = Object.assign(api.default, api);
