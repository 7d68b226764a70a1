// One client of the main namespace that leaves in the way <mode> says, printing its disconnect reason:
//   client  socket.disconnect()                       (server should see "client namespace disconnect")
//   server  emits "disconnect-me"                     (client should see "io server disconnect")
//   engine  socket.io.engine.close()                  (server should see "transport close")
//   close   also joins "/custom" on the same connection, then emits "disconnect-me" true: the server
//           disconnects every socket of the connection and closes it (both see "io server disconnect")
//
//   node socketio-disconnect-client.mjs <base url> <polling|websocket|polling,websocket> <mode>
import { args, connect, connected, deadline, next, print, run, settled } from "./socketio-common.mjs";

const { url, transports, rest: [mode] } = args();

deadline();
run(async () => {
  const socket = connect(url, transports, "/");
  await connected(socket);
  await settled(socket, transports);
  print({ event: "connect", id: socket.id, nsp: "/", first: socket.firstTransport, transport: socket.io.engine.transport.name });
  if (mode === "close") {
    const custom = socket.io.socket("/custom");
    await connected(custom);
    print({ event: "connect", id: custom.id, nsp: "/custom" });
    const reasons = [socket, custom].map((s) => next(s, "disconnect"));
    socket.emit("disconnect-me", true);
    for (const [i, nsp] of ["/", "/custom"].entries()) print({ event: "disconnect", nsp, reason: (await reasons[i])[0] });
    return;
  }
  const disconnected = next(socket, "disconnect");
  switch (mode) {
    case "client":
      socket.disconnect();
      break;
    case "server":
      socket.emit("disconnect-me");
      break;
    case "engine":
      socket.io.engine.close();
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  print({ event: "disconnect", reason: (await disconnected)[0] });
  // Leave what is left (the engine, if still open); the process exits once its close packet is sent.
  socket.io.engine?.close();
});
