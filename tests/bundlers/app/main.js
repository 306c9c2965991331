// The app as ES modules: the package imported by name, as an app would.
import { io } from "socketio-wasm";
import { start } from "./app.js";

start(io);
