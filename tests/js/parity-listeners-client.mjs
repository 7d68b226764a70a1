// Drives namespace "/parity" (parity-reference-server.mjs on Node's socket.io, NodeParity/ParityHandlers.cs
// on ours) with the official socket.io-client and prints, one JSON line per step, what it saw: acks, the
// server's logs of which listeners and middlewares ran in which order, the events it received.
//
//   node parity-listeners-client.mjs <base url> <transports, e.g. websocket>
import { connect, print } from "./socketio-common.mjs";

const [url, transports = "websocket"] = process.argv.slice(2);
const socket = connect(url, transports.split(","), "/parity");
const received = [];
for (const name of ["news", "direct", "room", "not-me"]) {
  socket.on(name, (...args) => received.push([name, ...args]));
}
// No listener for "no-answer": the client never acks it, so the server's wait times out.

const step = async (name, run) => {
  try {
    print({ event: name, value: await run() });
  } catch (err) {
    print({ event: name, error: err.message });
  }
};

await new Promise((resolve, reject) => {
  socket.once("connect", resolve);
  socket.once("connect_error", reject);
});
try {
  await step("rewrite", () => socket.emitWithAck("rewrite", "original"));
  // Rejected by a middleware: no listener, no ack (the client's own timeout fires), still connected.
  await step("forbidden", () => socket.timeout(500).emitWithAck("forbidden"));
  await step("connected-after-forbidden", () => socket.connected);
  await step("log-1", () => socket.emitWithAck("get-log"));

  // Each event is acked by its last listener, so the server has finished it before the next one comes (Node
  // runs an event's listeners on the next tick: two packets in one chunk would interleave there).
  for (const event of ["remove-me", "remove-me", "remove-any", "remove-any"]) {
    await socket.emitWithAck(event);
  }
  await step("log-2", () => socket.emitWithAck("get-log"));

  await step("emit-all", () => socket.emitWithAck("emit-all"));
  await step("outgoing", () => socket.emitWithAck("get-outgoing"));
  await step("received", () => received);
  await step("ask-timeout", () => socket.emitWithAck("ask-timeout"));
  await step("outgoing-2", () => socket.emitWithAck("get-outgoing"));
} finally {
  socket.disconnect();
}
