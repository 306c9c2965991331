// Chat demo page. Uses only the socket.io-client API; the import map in index.html decides
// whether "socket.io-client" is the wasm client or the official one.
import { io } from "socket.io-client";

window.__demoStarted = true;

const $ = (id) => document.getElementById(id);
const clientName = new URLSearchParams(location.search).get("client") === "official" ? "official" : "wasm";

// ---------------------------------------------------------------------------
// Header: which client, connection status, socket id, transport

$("client-badge").textContent = `client: ${clientName === "official" ? "official socket.io-client" : "socketio-wasm"}`;
$("client-badge").dataset.client = clientName;
$("client-switch").textContent = clientName === "official" ? "use wasm client" : "use official client";
$("client-switch").href = clientName === "official" ? "?" : "?client=official";

const socket = io();
let myName = null; // set once the server accepted our nickname
const typers = new Set(); // names of the other users currently typing

function setStatus(state, text) {
  $("status").dataset.state = state;
  $("status").title = text;
  $("status-text").textContent = text;
  // Messages sent while offline would reach the server before we re-join; keep the form off until then.
  for (const el of $("send-form").elements) el.disabled = state !== "connected";
}

function refreshHeader() {
  $("socket-id").textContent = socket.id || "—";
  const engine = socket.io && socket.io.engine;
  $("transport").textContent = (socket.connected && engine && engine.transport && engine.transport.name) || "—";
  const toggle = $("toggle-conn");
  toggle.disabled = false;
  toggle.textContent = socket.connected || socket.active ? "Disconnect" : "Connect";
}

setStatus("connecting", "connecting…");

socket.on("connect", () => {
  setStatus("connected", socket.recovered ? "connected (recovered)" : "connected");
  refreshHeader();
  const engine = socket.io.engine;
  if (engine && typeof engine.once === "function") engine.once("upgrade", refreshHeader);
  // Re-join after a reconnection with the nickname chosen earlier.
  if (myName) join(myName);
});

socket.on("disconnect", (reason, description) => {
  const detail = description && description.message ? ` (${description.message})` : "";
  setStatus("disconnected", `disconnected: ${reason}${detail}`);
  refreshHeader();
  if (myName) addNotice(`You were disconnected: ${reason}`);
  setTyping(null);
});

socket.on("connect_error", (err) => {
  setStatus("disconnected", `connect error: ${err.message}`);
  refreshHeader();
});

socket.io.on("reconnect_attempt", (attempt) => {
  setStatus("connecting", `reconnecting (attempt ${attempt})…`);
});

$("toggle-conn").addEventListener("click", () => {
  if (socket.connected || socket.active) socket.disconnect();
  else {
    setStatus("connecting", "connecting…");
    socket.connect();
  }
  refreshHeader();
});

// ---------------------------------------------------------------------------
// Chat

const log = $("log");

function time(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function append(li) {
  const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
  log.append(li);
  if (stick) log.scrollTop = log.scrollHeight;
}

function addNotice(text, ts = Date.now()) {
  const li = document.createElement("li");
  li.className = "notice";
  const t = document.createElement("time");
  t.textContent = time(ts);
  li.append(t, " ", text);
  append(li);
}

function addMessage({ from, text, ts }) {
  const li = document.createElement("li");
  li.className = from === myName ? "msg mine" : "msg";
  const t = document.createElement("time");
  t.textContent = time(ts);
  const who = document.createElement("b");
  who.textContent = from;
  const body = document.createElement("span");
  body.textContent = text;
  li.append(t, " ", who, " ", body);
  append(li);
}

function join(name) {
  $("join-error").hidden = true;
  socket.timeout(5000).emit("join", name, (err, res) => {
    if (err || !res || res.error) {
      $("join-error").textContent = err ? `No answer from the server (${err.message}).` : (res && res.error) || "Join failed.";
      $("join-error").hidden = false;
      return;
    }
    myName = res.name;
    $("me").textContent = myName;
    $("join-form").hidden = true;
    $("send-form").hidden = false;
    $("text").focus();
  });
}

$("join-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const name = $("nick").value.trim();
  if (name) join(name);
});

$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $("text");
  const text = input.value.trim();
  if (!text) return;
  socket.emit("chat message", text);
  input.value = "";
  stopTyping();
});

socket.on("chat message", addMessage);

socket.on("user joined", ({ name, count, ts }) => {
  addNotice(`${name} joined — ${count} ${count === 1 ? "user" : "users"} online`, ts);
});

socket.on("user left", ({ name, count, ts }) => {
  addNotice(`${name} left — ${count} ${count === 1 ? "user" : "users"} online`, ts);
  typers.delete(name);
  setTyping(null);
});

// Typing indicator: tell the others while the input is non-empty, stop after 2 s of silence.
let typingTimer = null;

function stopTyping() {
  if (typingTimer === null) return;
  clearTimeout(typingTimer);
  typingTimer = null;
  socket.emit("typing", false);
}

$("text").addEventListener("input", () => {
  if (!$("text").value) return stopTyping();
  if (typingTimer === null) socket.emit("typing", true);
  else clearTimeout(typingTimer);
  typingTimer = setTimeout(stopTyping, 2000);
});

function setTyping(update) {
  if (update === null && !socket.connected) typers.clear();
  if (update) {
    if (update.typing) typers.add(update.name);
    else typers.delete(update.name);
  }
  const names = [...typers];
  $("typing").textContent =
    names.length === 0 ? "" : names.length === 1 ? `${names[0]} is typing…` : `${names.join(", ")} are typing…`;
}

socket.on("typing", setTyping);

// ---------------------------------------------------------------------------
// Admin namespace: needs auth { token }; shows the live user list.

let adminSocket = null;

function setAdminStatus(state, text) {
  $("admin-status").dataset.state = state;
  $("admin-status").textContent = text;
}

function renderUsers(list) {
  const ul = $("users");
  ul.replaceChildren();
  $("user-count").textContent = list ? `(${list.length})` : "";
  if (!list || list.length === 0) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = list ? "Nobody has joined yet." : "Connect as admin to see the list.";
    ul.append(li);
    return;
  }
  for (const u of list) {
    const li = document.createElement("li");
    const name = document.createElement("b");
    name.textContent = u.name;
    const info = document.createElement("small");
    info.textContent = `since ${time(u.joinedAt)} · ${u.transport || "?"} · ${u.id}`;
    li.append(name, info);
    ul.append(li);
  }
}

$("admin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const token = $("token").value;
  if (!adminSocket) {
    adminSocket = io("/admin", { auth: { token } });
    adminSocket.on("connect", () => {
      setAdminStatus("ok", `Connected as admin (id ${adminSocket.id}).`);
      $("admin-connect").hidden = true;
      $("admin-leave").hidden = false;
    });
    adminSocket.on("connect_error", (err) => {
      setAdminStatus("error", `Rejected: ${err.message}`);
      renderUsers(null);
    });
    adminSocket.on("disconnect", (reason) => {
      setAdminStatus("idle", `Disconnected: ${reason}`);
      $("admin-connect").hidden = false;
      $("admin-leave").hidden = true;
      renderUsers(null);
    });
    adminSocket.on("users", renderUsers);
  } else {
    if (adminSocket.connected || adminSocket.active) adminSocket.disconnect();
    adminSocket.auth = { token };
    adminSocket.connect();
  }
  if (!adminSocket.connected) setAdminStatus("pending", "Connecting…");
});

$("admin-leave").addEventListener("click", () => {
  if (adminSocket) adminSocket.disconnect();
});
