// Three clients A, B, C of namespace <nsp> (each on its own connection) exercising rooms and broadcasts.
// Every "room-message", "broadcast-message", "except-message" and "marker" a client receives is printed
// as {"event":"received","client":…,"name":…,"args":[…]}. Steps are separated by markers: the server
// emits "marker" n to the whole namespace after the step's emit, so whatever a client was sent in step n
// arrived before its marker n.
//   1. A and B join "r1"; A: to-room r1 "to-r1"                     → only B
//   2. B: broadcast "from-b"                                       → A and C
//   3. C: everyone-except r1 "not-r1"                               → only C
//   4. A leaves "r1"; C: to-room r1 "after-leave"                   → only B
//   5. each client prints its rooms ("rooms" ack), then disconnects
//
//   node socketio-rooms-client.mjs <base url> <polling|websocket|polling,websocket> <nsp>
import { args, connect, connected, deadline, print, run, settled } from "./socketio-common.mjs";

const { url, transports, rest: [nsp = "/"] } = args();
const ACK_TIMEOUT = 10000;

deadline(30000);
run(async () => {
  const clients = Object.fromEntries(["A", "B", "C"].map((name) => [name, connect(url, transports, nsp)]));
  const markers = {};
  for (const [name, socket] of Object.entries(clients)) {
    markers[name] = new Set();
    const waiting = new Map();
    socket.marker = (n) => new Promise((resolve) => (markers[name].has(n) ? resolve() : waiting.set(n, resolve)));
    for (const event of ["room-message", "broadcast-message", "except-message", "marker"]) {
      socket.on(event, (...received) => {
        print({ event: "received", client: name, name: event, args: received });
        if (event === "marker") {
          markers[name].add(received[0]);
          waiting.get(received[0])?.();
        }
      });
    }
  }
  for (const [name, socket] of Object.entries(clients)) {
    await connected(socket);
    await settled(socket, transports);
    print({ event: "connect", client: name, id: socket.id });
  }

  const ack = async (client, ...emitted) => {
    const reply = await clients[client].timeout(ACK_TIMEOUT).emitWithAck(...emitted);
    print({ event: "ack", client, emitted, reply: reply ?? null });
  };
  const mark = async (n) => {
    await ack("A", "mark", n);
    await Promise.all(Object.values(clients).map((socket) => socket.marker(n)));
  };

  await ack("A", "join", "r1");
  await ack("B", "join", "r1");
  await ack("A", "to-room", "r1", "to-r1");
  await mark(1);

  await ack("B", "broadcast", "from-b");
  await mark(2);

  await ack("C", "everyone-except", "r1", "not-r1");
  await mark(3);

  await ack("A", "leave", "r1");
  await ack("C", "to-room", "r1", "after-leave");
  await mark(4);

  for (const [name, socket] of Object.entries(clients)) {
    print({ event: "rooms", client: name, id: socket.id, rooms: await socket.timeout(ACK_TIMEOUT).emitWithAck("rooms") });
    socket.disconnect();
  }
});
