// The socket.io-protocol suite's client-side expectations of its reference server, with the official
// client: connect to <nsp> with auth, get "auth" back, "message" → "message-back" and "message-with-ack"
// → ack with the same arguments (text, numbers, nested, binary), then disconnect.
//
//   node socketio-conformance-client.mjs <base url> <transports> <nsp>
import { args, connect, connected, deadline, encode, next, print, run } from "./socketio-common.mjs";

const { url, transports, rest: [nsp = "/"] } = args();
const AUTH = { token: "123", nested: { ok: true } };
const SENT = [1, "2", { 3: [false, null] }, Uint8Array.from([1, 2, 3, 255])];

deadline();
run(async () => {
  const socket = connect(url, transports, nsp, { auth: AUTH });
  const auth = next(socket, "auth");
  await connected(socket);
  print({ event: "connect", id: socket.id });
  print({ event: "auth", received: (await auth)[0] });

  const back = next(socket, "message-back");
  socket.emit("message", ...SENT);
  print({ event: "message-back", sent: encode(SENT), received: encode(await back) });

  const acked = await new Promise((resolve) => socket.emit("message-with-ack", ...SENT, (...ack) => resolve(ack)));
  print({ event: "ack", sent: encode(SENT), received: encode(acked) });

  socket.disconnect();
  print({ event: "done" });
});
