// Connects to /item once per case, one after the other, each with its own auth payload, and prints the
// outcome: {"event":"refused","label","message","data"} for a CONNECT_ERROR, or, when the connection is
// accepted, {"event":"connected","label"} followed by the ack of an item:create (whose owner is the name
// the server kept).
// Cases are a JSON array of {"label", "auth"} ("auth" left out: no auth payload at all).
//
//   node item-name-client.mjs <base url> <polling|websocket|polling,websocket> '<cases json>'
import { args, connect, deadline, print, run } from "./socketio-common.mjs";
import { ask } from "./item-common.mjs";

const { url, transports, rest: [casesJson] } = args();

const attempt = (label, auth) =>
  new Promise((resolve) => {
    const socket = connect(url, transports, "/item", auth === undefined ? {} : { auth });
    socket.client = label;
    socket.once("connect", async () => {
      print({ event: "connected", label });
      await ask(socket, "item:create", { title: `by ${label}`, startingPrice: 1 });
      socket.disconnect();
      resolve();
    });
    socket.once("connect_error", (error) => {
      print({ event: "refused", label, message: error.message, data: error.data ?? null });
      socket.disconnect();
      resolve();
    });
  });

deadline(40000);
run(async () => {
  for (const { label, auth } of JSON.parse(casesJson)) await attempt(label, auth);
});
