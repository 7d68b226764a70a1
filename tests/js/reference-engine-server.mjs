// The reference Engine.IO server: Node's engine.io (the package pinned in package.json) serving the
// protocol's echo behaviour, for differential tests that run the same raw steps against it and ours.
//
//   node reference-engine-server.mjs [pingInterval ms, default 300] [pingTimeout ms, default 200]
//
// Listens on 127.0.0.1, a free port, and prints {"port":N} as its first stdout line. Then one JSON line
// per session close: {"event":"close","sid":"...","reason":"..."}, and one per GET on a session once engine.io
// holds it: {"event":"poll","sid":"..."}. Runs until stdin closes or it is killed.
import http from "node:http";
import { Server } from "engine.io";

const print = (event) => process.stdout.write(JSON.stringify(event) + "\n");
const [pingInterval = 300, pingTimeout = 200] = process.argv.slice(2).map(Number);

const httpServer = http.createServer();
const engine = new Server({
  path: "/engine.io/",
  pingInterval,
  pingTimeout,
  maxHttpBufferSize: 1e6,
  // cors: off (not configured), as in Node's default.
});
engine.attach(httpServer, { path: "/engine.io/" });
// Registered after attach, so engine.io's own "request" listener has run first: with no middleware and no
// allowRequest, handleRequest -> verify -> transport.onRequest -> onPollRequest is synchronous, so the poll
// is held (or refused) by the time this prints. Tests wait for it instead of sleeping.
httpServer.on("request", (r) => {
  if (r.method === "GET" && r.url.includes("sid=")) {
    print({ event: "poll", sid: new URL(r.url, "http://x").searchParams.get("sid") });
  }
});

engine.on("connection", (socket) => {
  // Echo: every message back as received, text as text and binary as binary.
  socket.on("message", (data) => socket.send(data));
  socket.on("close", (reason) => print({ event: "close", sid: socket.id, reason }));
});

httpServer.listen(0, "127.0.0.1", () => {
  print({ port: httpServer.address().port });
});

// The parent test process owns this one: exit when it closes our stdin (or dies).
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
