// The app as CommonJS: the package loaded with require("socketio-wasm") (what a CommonJS code base
// bundled by webpack does); the app itself is the same.
const { io } = require("socketio-wasm");
const { start } = require("./app.js");

start(io);
