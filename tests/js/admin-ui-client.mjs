// Drives a server instrumented for the Socket.IO Admin UI (ours, or Node's instrument() in
// admin-ui-reference-server.mjs) as the dashboard does, with two ordinary clients on "/", and prints what the
// dashboard sees, one JSON line per event: {"event":"admin","name":...,"args":[...]} and the clients' side.
//
//   node admin-ui-client.mjs <url> <scenario> [authJson]
//
// Scenarios: full (every action and the live feed), readonly (actions must change nothing), badauth (prints
// connect_error), session (log in, then reconnect with the session id alone), cluster (the client on the
// node at otherUrl, the dashboard on the node at url: node admin-ui-client.mjs <url> cluster <authJson> <otherUrl>).
import { io } from "socket.io-client";
import { connect, connected, print } from "./socketio-common.mjs";

const [url, scenario, authJson, otherUrl] = process.argv.slice(2);
const auth = authJson ? JSON.parse(authJson) : {};
const seen = [];
const waiters = [];

const admin = (options = {}) => {
  const socket = io(new URL("/admin", url).toString(), {
    transports: ["websocket"], reconnection: false, forceNew: true, auth, ...options,
  });
  socket.onAny((name, ...args) => {
    const entry = { event: "admin", name, args };
    print(entry);
    seen.push(entry);
    for (const w of [...waiters]) {
      if (w.name === name && w.match(args)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(args);
      }
    }
  });
  return socket;
};

/** The next dashboard event `name` whose arguments match (one already seen counts). */
const waitFor = (name, match = () => true, ms = 10000) => {
  const found = seen.find((e) => e.name === name && match(e.args));
  if (found) return Promise.resolve(found.args);
  return new Promise((resolve, reject) => {
    const w = { name, match, resolve };
    waiters.push(w);
    setTimeout(() => reject(new Error(`no ${name} within ${ms} ms`)), ms);
  });
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const client = async (label, transports, at = url) => {
  const socket = connect(at, transports);
  socket.on("disconnect", (reason) => print({ event: "client-disconnect", label, reason }));
  socket.onAny((name, ...args) => print({ event: "client-received", label, name, args }));
  await connected(socket);
  print({ event: "client-connected", label, id: socket.id });
  return socket;
};

const run = async () => {
  if (scenario === "badauth") {
    const socket = admin();
    const error = await new Promise((resolve) => socket.once("connect_error", resolve));
    print({ event: "connect_error", message: error.message });
    return;
  }
  if (scenario === "session") {
    const first = admin();
    const [sessionId] = await waitFor("session");
    await waitFor("config");
    first.disconnect();
    const second = admin({ auth: { sessionId } });
    await connected(second);
    print({ event: "reconnected-with-session" });
    second.disconnect();
    return;
  }

  if (scenario === "cluster") {
    const remote = await client("remote", ["websocket"], otherUrl);
    const dashboard = admin();
    await connected(dashboard);
    await waitFor("all_sockets", ([sockets]) => sockets.some((s) => s.id === remote.id));
    await waitFor("server_stats", ([stats]) => stats.serverId === "node-b");
    await waitFor("server_stats", ([stats]) => stats.serverId === "node-a");
    remote.emit("from-remote", 1);
    await waitFor("event_received", ([, id]) => id === remote.id);
    const remoteId = remote.id; // socket.io-client forgets its id at disconnect
    // The client's DISCONNECT (from node B) and the dashboard's socket_disconnected (node B → Redis → node A) travel
    // apart: wait for both.
    const gone = new Promise((resolve) => remote.once("disconnect", resolve));
    dashboard.emit("_disconnect", "/", false, remoteId);
    await waitFor("socket_disconnected", ([, id]) => id === remoteId);
    await gone;
    dashboard.disconnect();
    return;
  }

  const c1 = await client("c1", ["websocket"]);
  const c2 = await client("c2", ["polling"]);
  const dashboard = admin();
  await connected(dashboard);
  const [config] = await waitFor("config");
  await waitFor("server_stats");
  if (config.supportedFeatures.includes("ALL_EVENTS")) await waitFor("all_sockets");

  if (scenario === "readonly") {
    dashboard.emit("_disconnect", "/", false, c2.id);
    dashboard.emit("join", "/", "room1", c1.id);
    await sleep(500);
    print({ event: "after-actions", c2Connected: c2.connected });
  } else {
    dashboard.emit("join", "/", "room1", c1.id);
    await waitFor("room_joined", ([nsp, room]) => nsp === "/" && room === "room1");
    dashboard.emit("emit", "/", c1.id, "hello", 1, { a: 2 });
    await waitFor("event_sent", ([, id]) => id === c1.id);
    c2.emit("from-client", "x", 42);
    await waitFor("event_received", ([, id]) => id === c2.id);
    dashboard.emit("leave", "/", "room1", c1.id);
    await waitFor("room_left", ([nsp, room]) => nsp === "/" && room === "room1");
    const c2Id = c2.id; // socket.io-client forgets its id at disconnect
    dashboard.emit("_disconnect", "/", false, c2Id);
    await waitFor("socket_disconnected", ([, id]) => id === c2Id);
    const c3 = await client("c3", ["websocket"]);
    await waitFor("socket_connected", ([socket]) => socket.id === c3.id);
    c3.disconnect();
    // A client that opens on polling and upgrades: the dashboard is told its new transport.
    const c4 = await client("c4", ["polling", "websocket"]);
    await waitFor("socket_updated", ([update]) => update.id === c4.id && update.transport === "websocket");
    c4.disconnect();
    // A stats tick after all that: its aggregatedEvents count the connections, packets and bytes.
    const before = seen.filter((e) => e.name === "server_stats").length;
    await waitFor("server_stats", () => seen.filter((e) => e.name === "server_stats").length > before, 5000);
  }
  c1.disconnect();
  c2.disconnect();
  dashboard.disconnect();
};

run().then(
  () => process.exit(0),
  (error) => {
    print({ event: "error", message: String(error) });
    process.exit(1);
  },
);
