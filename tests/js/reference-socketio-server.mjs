// The reference Socket.IO server: Node's socket.io (pinned in package.json) with the echo handlers of the .NET
// test server (SocketIOTestHandlers) that socketio-echo-client.mjs exercises, on "/" and "/custom", for
// differential tests that run the same client script against it and ours.
//
//   node reference-socketio-server.mjs [--msgpack]      (--msgpack: socket.io-msgpack-parser, as SocketIO:Parser=MsgPack)
//
// Listens on 127.0.0.1, a free port, and prints {"event":"ready","port":N} as its first stdout line. Runs until stdin closes
// or it is killed.
import http from "node:http";
import { createRequire } from "node:module";
import { Server } from "socket.io";

const require = createRequire(import.meta.url);
const msgpack = process.argv.includes("--msgpack");
const httpServer = http.createServer();
const io = new Server(httpServer, {
  serveClient: false,
  ...(msgpack ? { parser: require("socket.io-msgpack-parser") } : {}),
});

for (const nsp of ["/", "/custom"]) {
  io.of(nsp).on("connection", (socket) => {
    socket.emit("auth", socket.handshake.auth);
    socket.on("message", (...args) => socket.emit("message-back", ...args));
    socket.on("message-with-ack", (...args) => {
      const ack = args.pop();
      ack(...args);
    });
    socket.on("ask-me", async () => {
      const reply = await socket.timeout(10000).emitWithAck("question", "q");
      socket.emit("answer", reply);
    });
    socket.on("transport", (ack) => ack(socket.conn.transport.name));
  });
}

httpServer.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ event: "ready", port: httpServer.address().port }) + "\n");
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
