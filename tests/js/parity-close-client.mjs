// Two clients (namespaces "/" and "/parity", each its own connection) of parity-reference-server.mjs or of ours
// with NodeParity/ParityHandlers.cs; the second asks the server to close (Node's io.close(), our CloseAsync) and
// each prints how it was disconnected.
//
//   node parity-close-client.mjs <base url> <transports, e.g. websocket>
import { connect, print } from "./socketio-common.mjs";

const [url, transports = "websocket"] = process.argv.slice(2);
const sockets = [connect(url, transports.split(","), "/"), connect(url, transports.split(","), "/parity")];
await Promise.all(sockets.map((socket) => new Promise((resolve, reject) => {
  socket.once("connect", resolve);
  socket.once("connect_error", reject);
})));
const names = ["main", "parity"];
const disconnected = sockets.map((socket, i) => new Promise((resolve) => {
  socket.once("disconnect", (reason, details) => {
    print({ event: "disconnect", socket: names[i], reason, active: socket.active });
    resolve();
  });
}));
sockets[1].emit("close-server");
const timer = setTimeout(() => {
  print({ event: "timeout" });
  process.exit(1);
}, 10000);
await Promise.all(disconnected);
clearTimeout(timer);
process.exit(0);
