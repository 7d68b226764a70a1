// One official socket.io-client 4.8 socket with connection state recovery, driven by commands (one JSON per line on
// stdin, an answer per line on stdout, as the other peers): it connects to node A of a cluster; once retargeted, its
// own reconnection after a lost connection goes to another node — what a load balancer does when a node goes away —
// and presents its pid and last offset there. Every event it receives is recorded with its arguments (the offset
// the server appended last included).
//
//   node recovering-client-peer.mjs
import { io } from "socket.io-client";
import { encode, next, parserOption, serveCommands } from "./socketio-common.mjs";

let socket;
let lost;
let reconnected;
const received = [];
const connects = [];

const operations = {
  // {url, delay}: connect (websocket only; reconnecting `delay` ms after a loss, 100 by default).
  connect: async (op) => {
    socket = io(op.url, {
      ...parserOption,
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: op.delay ?? 100,
      reconnectionDelayMax: op.delay ?? 100,
      randomizationFactor: 0,
    });
    socket.onAny((event, ...args) => received.push({ event, args: encode(args) }));
    socket.on("connect", () => connects.push({ socketId: socket.id, recovered: socket.recovered }));
    const [error] = await Promise.race([next(socket, "connect"), next(socket, "connect_error")]);
    if (error) throw error;
    return { socketId: socket.id, recovered: socket.recovered };
  },
  join: async (op) => void (await socket.timeout(5000).emitWithAck("join", op.room)),
  // {event, payload}: an emit with an ack; answers with what the server acked.
  request: async (op) => ({ answer: await socket.timeout(5000).emitWithAck(op.event, op.payload) }),
  // {url}: from now on the client's own reconnection goes to url (the test then cuts the connection server-side).
  retarget: async (op) => {
    lost = next(socket, "disconnect");
    reconnected = next(socket, "connect");
    socket.io.uri = op.url;
  },
  lost: async () => ({ reason: (await lost)[0] }),
  reconnected: async () => {
    await reconnected;
    return { socketId: socket.id, recovered: socket.recovered };
  },
  received: async () => ({ received: received.splice(0) }),
  connects: async () => ({ connects }),
  close: async () => void socket?.disconnect(),
};

await serveCommands(operations);
