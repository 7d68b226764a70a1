// Connects the official socket.io-client, emits one event with an ack and prints the answer, one JSON object
// per line, for the .NET tests to assert on.
//
//   node socketio-ack-client.mjs <base url> <event> <JSON argument>
//
// Exit code 0 once the ack arrived, 1 on a connect error or if nothing came back within 30 s.
import { io } from "socket.io-client";

const [url, eventName, argument] = process.argv.slice(2);
const print = (event) => process.stdout.write(JSON.stringify(event) + "\n");

const socket = io(url, { reconnection: false, timeout: 30000 });
socket.on("connect_error", (error) => {
  print({ event: "connect_error", message: error.message });
  process.exit(1);
});
socket.on("connect", async () => {
  print({ event: "connect", transport: socket.io.engine.transport.name });
  try {
    const answer = await socket.timeout(30000).emitWithAck(eventName, JSON.parse(argument));
    print({ event: "ack", answer });
    socket.disconnect();
    process.exit(0);
  } catch (error) {
    print({ event: "ack_timeout", message: error.message });
    process.exit(1);
  }
});
