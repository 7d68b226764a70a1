// Tries to join namespace <nsp> with the auth payload <auth json> and prints "connect" (then one
// message round trip) or "connect_error" (message and data), then leaves.
//
//   node socketio-connect-client.mjs <base url> <polling|websocket|polling,websocket> <nsp> [auth json]
import { args, connect, deadline, next, print, run } from "./socketio-common.mjs";

const { url, transports, rest: [nsp, authJson] } = args();

deadline();
run(async () => {
  const socket = connect(url, transports, nsp, authJson ? { auth: JSON.parse(authJson) } : {});
  const outcome = await new Promise((resolve) => {
    socket.once("connect", () => resolve("connect"));
    socket.once("connect_error", (err) => {
      print({ event: "connect_error", message: err.message, data: err.data ?? null, active: socket.active });
      resolve("connect_error");
    });
  });
  if (outcome === "connect") {
    print({ event: "connect", id: socket.id, nsp });
    const back = next(socket, "message-back");
    socket.emit("message", "ping", 1);
    print({ event: "message-back", args: await back });
    socket.disconnect();
  } else {
    // Give a wrongly sent late CONNECT a chance to show up before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    print({ event: "after", connected: socket.connected });
    socket.disconnect();
  }
});
