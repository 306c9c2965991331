"use client";
// A Next.js client component importing the package by name, as an app would; the app code is
// ../../app/app.js, copied here as start.js by tests/bundlers.test.mjs. It starts once mounted in the
// browser (a client component is also rendered on the server, where there is no window).
import { useEffect } from "react";
import { io } from "socketio-wasm";
import { start } from "./start.js";

export default function Page() {
  useEffect(() => start(io), []);
  return <p>socketio-wasm in a client component</p>;
}
