// <count> clients of the main namespace, each on its own connection, that stay until the server
// disconnects them. Client i answers the server's "poll" (arg) with the ack {"client":i,"got":arg},
// except the first <silent> clients, which never answer. Every "news" event is printed, and each
// client's disconnect reason; the process ends when every client was disconnected.
//
//   node socketio-poll-client.mjs <base url> <polling|websocket|polling,websocket> <count> <silent>
import { args, connect, connected, deadline, print, run, settled } from "./socketio-common.mjs";

const { url, transports, rest: [countArg = "3", silentArg = "0"] } = args();
const count = Number(countArg);
const silent = Number(silentArg);

deadline(30000);
run(async () => {
  const gone = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(url, transports, "/");
    socket.on("poll", (...received) => {
      const ack = received.pop();
      print({ event: "poll", client: i, args: received });
      if (i >= silent) ack({ client: i, got: received[0] });
    });
    socket.on("news", (...received) => print({ event: "news", client: i, args: received }));
    gone.push(new Promise((resolve) => socket.on("disconnect", (reason) => {
      print({ event: "disconnect", client: i, reason });
      resolve();
    })));
    await connected(socket);
    await settled(socket, transports);
    print({ event: "connect", client: i, id: socket.id });
  }
  await Promise.all(gone);
});
