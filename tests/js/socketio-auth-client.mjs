// One engine connection (one Manager, as a page that opens several namespaces) sending the given headers on
// every Engine.IO request (how a non-browser client signs in: `Authorization: Bearer ...` or a `Cookie`),
// joining each namespace. Prints per namespace "connect" (then "whoami", what the server knows of the user)
// or "connect_error" (message, data); with watchMs, then watches that long for "auth_expired" and
// "disconnect" (reason, and whether the client would reconnect), and prints which namespaces are connected
// and over which transport (an upgrade, or a refused one, is printed when it happens).
//
//   node socketio-auth-client.mjs <base url> <transports> <options json: {"headers":{...},"namespaces":["/","/admin"],"watchMs":0}>
import { Manager } from "socket.io-client";
import { args, deadline, print, run } from "./socketio-common.mjs";

const { url, transports, rest: [optionsJson] } = args();
// settle: before "after", wait for the upgrade to WebSocket to succeed or fail (at most 10 s).
const { headers = {}, namespaces = ["/"], watchMs = 0, signIn, settle = false } = JSON.parse(optionsJson);
let settled;
const upgradeSettled = new Promise((resolve) => (settled = resolve));

deadline(watchMs + 20000);
run(async () => {
  if (signIn) {
    // A cookie sign-in: POST to the app, then send the cookie it set on every Engine.IO request.
    const response = await fetch(new URL(signIn, url), { method: "POST" });
    headers.cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    print({ event: "signed-in", status: response.status });
  }
  // Reconnection on, as an app has it: after "io server disconnect" the official client must not use it.
  const manager = new Manager(url, { transports, extraHeaders: headers, reconnectionDelay: 100, reconnectionDelayMax: 200 });
  manager.on("reconnect_attempt", (attempt) => print({ event: "reconnect_attempt", attempt }));
  manager.on("open", () => {
    manager.engine.on("upgrade", (transport) => { print({ event: "upgrade", transport: transport.name }); settled(); });
    manager.engine.on("upgradeError", (err) => { print({ event: "upgradeError", message: err.message }); settled(); });
  });
  const sockets = namespaces.map((nsp) => {
    const socket = manager.socket(nsp);
    socket.on("auth_expired", (data) => print({ event: "auth_expired", nsp, data }));
    socket.on("disconnect", (reason) => print({ event: "disconnect", nsp, reason, active: socket.active }));
    return socket;
  });
  const outcomes = await Promise.all(sockets.map((socket, i) => new Promise((resolve) => {
    socket.once("connect", () => resolve(true));
    socket.once("connect_error", (err) => {
      print({ event: "connect_error", nsp: namespaces[i], message: err.message, data: err.data ?? null, active: socket.active });
      socket.disconnect(); // no retries of a refused namespace
      resolve(false);
    });
  })));
  for (const [i, socket] of sockets.entries()) {
    if (!outcomes[i]) continue;
    print({ event: "connect", nsp: namespaces[i], transport: manager.engine.transport.name });
    print({ event: "whoami", ...(await socket.timeout(5000).emitWithAck("whoami")) });
  }
  if (settle) await Promise.race([upgradeSettled, new Promise((resolve) => setTimeout(resolve, 10000))]);
  if (watchMs > 0) await new Promise((resolve) => setTimeout(resolve, watchMs));
  print({
    event: "after",
    connected: Object.fromEntries(sockets.map((s, i) => [namespaces[i], s.connected])),
    transport: manager.engine?.transport?.name ?? null,
  });
  sockets.forEach((socket) => socket.disconnect());
});
