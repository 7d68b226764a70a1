// The reference for the node-parity tests: Node's socket.io (pinned in package.json) with, on namespace
// "/parity", the listeners and middlewares that NodeParity/ParityHandlers.cs registers on ours. Both log what
// runs, in order; parity-listeners-client.mjs reads the logs through acks and prints what it saw, and the
// .NET test compares the two runs.
//
//   node parity-reference-server.mjs
//
// Listens on 127.0.0.1, a free port, and prints {"event":"ready","port":N} as its first stdout line. Runs until stdin closes.
import http from "node:http";
import { Server } from "socket.io";

const httpServer = http.createServer();
const io = new Server(httpServer, { serveClient: false });
const parity = io.of("/parity");

parity.on("connection", (socket) => {
  const log = [];
  const outgoing = [];

  // Catch-all listeners: one prepended; one that removes another during a dispatch (which still calls it).
  const anyLogger = (event) => log.push(`any:${event}`);
  socket.onAny((event) => {
    if (event === "remove-any") socket.offAny(anyLogger);
  });
  socket.onAny(anyLogger);
  socket.prependAny((event) => log.push(`pre:${event}`));

  // Packet middlewares: the first rejects "forbidden" and rewrites the argument of "rewrite"; the second
  // sees the rewritten argument, and passes "rewrite" on later (asynchronously).
  socket.use((packet, next) => {
    const [event] = packet;
    log.push(`mw1:${event}`);
    if (event === "forbidden") return next(new Error("not allowed"));
    if (event === "rewrite") packet[1] = "rewritten";
    next();
  });
  socket.use((packet, next) => {
    const [event] = packet;
    if (event === "rewrite") {
      log.push(`mw2:${event}:${packet[1]}`);
      setTimeout(() => next(), 10);
      return;
    }
    log.push(`mw2:${event}`);
    next();
  });
  socket.on("error", (err) => log.push(`error:${err.message}`));

  socket.on("rewrite", (arg, ack) => {
    log.push(`rewrite:${arg}`);
    ack(arg);
  });
  socket.on("forbidden", (ack) => {
    log.push("forbidden ran");
    ack("ran");
  });
  // Removal during a dispatch: the first listener removes the second, which still runs this time only.
  const second = () => log.push("second");
  socket.on("remove-me", () => {
    log.push("first");
    socket.off("remove-me", second);
  });
  socket.on("remove-me", second);
  socket.on("remove-me", (ack) => {
    log.push("third");
    ack();
  });
  socket.on("remove-any", (ack) => ack());
  socket.on("ping-me", (ack) => ack());
  socket.on("get-log", (ack) => ack(log.splice(0)));

  // Outgoing listeners see the socket's own emits and the broadcasts that reach it, with their arguments.
  socket.prependAnyOutgoing((event) => outgoing.push(`pre:${event}`));
  socket.onAnyOutgoing((event, ...args) => outgoing.push([event, ...args]));
  socket.on("emit-all", (ack) => {
    parity.emit("news", 1);
    socket.emit("direct", 2, { a: [1] });
    parity.to(socket.id).emit("room", 3);
    socket.broadcast.emit("not-me", 4);
    ack();
  });
  socket.on("get-outgoing", (ack) => ack(outgoing.splice(0)));

  // io.close(): what every client of the server sees.
  socket.on("close-server", () => io.close());

  // An ack that never comes: the error's message.
  socket.on("ask-timeout", async (ack) => {
    try {
      await socket.timeout(200).emitWithAck("no-answer");
      ack("answered");
    } catch (err) {
      ack(err.message);
    }
  });
});

httpServer.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ event: "ready", port: httpServer.address().port }) + "\n");
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
