// Connection state recovery with the official socket.io-client 4.8: connect, join "r1", get "tick" 1, then
// ask the server to cut the TCP connection ("cut-me"); the client reconnects on its own after
// <reconnection delay> ms. Every "tick"/"all"/"direct" it receives is printed (with the offset the server
// appended as last argument), then how it came back ("reconnect": id, recovered) and its rooms.
//
//   node socketio-recovery-client.mjs <base url> <polling|websocket|polling,websocket> <reconnection delay ms>
import { io } from "socket.io-client";
import { args, connected, deadline, next, parserOption, print, run, settled } from "./socketio-common.mjs";

const { url, transports, rest: [delay = "100"] } = args();

deadline(30000);
run(async () => {
  const socket = io(new URL("/", url).toString(), {
    ...parserOption,
    transports,
    forceNew: true,
    reconnectionDelay: Number(delay),
    reconnectionDelayMax: Number(delay),
    randomizationFactor: 0,
  });
  for (const name of ["tick", "all", "direct"]) {
    socket.on(name, (...received) => print({ event: "received", name, args: received }));
  }
  await connected(socket);
  print({ event: "connect", id: socket.id, recovered: socket.recovered });
  await settled(socket, transports);

  await socket.timeout(10000).emitWithAck("join", "r1");
  const first = next(socket, "tick");
  await socket.timeout(10000).emitWithAck("tick-me", 1);
  await first;

  const lost = next(socket, "disconnect");
  socket.emit("cut-me");
  print({ event: "disconnect", reason: (await lost)[0] });
  await next(socket, "connect");
  print({ event: "reconnect", id: socket.id, recovered: socket.recovered });

  print({ event: "rooms", rooms: await socket.timeout(10000).emitWithAck("rooms") });
  socket.disconnect();
});
