// The reference for the admin UI differential test: Node's socket.io with @socket.io/admin-ui's own
// instrument() (both pinned in package.json), no handlers of its own, as the .NET AdminUI tests' server.
//
//   node admin-ui-reference-server.mjs
//
// Listens on 127.0.0.1, a free port, and prints {"event":"ready","port":N} as its first stdout line. Runs until stdin closes.
import http from "node:http";
import { Server } from "socket.io";
import { instrument } from "@socket.io/admin-ui";

const httpServer = http.createServer();
const io = new Server(httpServer, { serveClient: false });
instrument(io, { auth: false, mode: "development" });

httpServer.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ event: "ready", port: httpServer.address().port }) + "\n");
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
