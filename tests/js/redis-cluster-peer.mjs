// A Node socket.io 4.8 server with @socket.io/redis-adapter 8.x on <redis url>, plus a socket.io-client
// connected to it and a @socket.io/redis-emitter: the Node side of the mixed-cluster tests. It prints
// {"event":"ready","port":…} once listening, then reads one JSON command per line on stdin and prints
// {"id":…, …result} for each (binary values travel as {"$bin":[bytes]} both ways). Its client answers any
// event that asks for an ack with {from: "node", got: [args]}.
//
//   node redis-cluster-peer.mjs <redis url>
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient } from "redis";
import { io as connectClient } from "socket.io-client";
import { encode, print } from "./socketio-common.mjs";

const [redisUrl] = process.argv.slice(2);
const decode = (value) => {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === "object") {
    if (Array.isArray(value.$bin)) return Buffer.from(value.$bin);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
};

const pub = createClient({ url: redisUrl });
const sub = pub.duplicate();
const emitterClient = pub.duplicate();
await Promise.all([pub.connect(), sub.connect(), emitterClient.connect()]);

const http = createServer();
const io = new Server(http, { adapter: createAdapter(pub, sub, { requestsTimeout: 3000 }) });
io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack?.();
  });
});
// Server-side events from the other servers: recorded, and answered when the sender waits.
const serverEvents = [];
io.on("hello", (...args) => {
  const ack = typeof args.at(-1) === "function" ? args.pop() : null;
  serverEvents.push(args);
  ack?.({ from: "node", got: args });
});
await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
const port = http.address().port;

// One client of this Node server; it records every event it receives.
const received = [];
const client = connectClient(`http://127.0.0.1:${port}`, { transports: ["websocket"], forceNew: true, reconnection: false });
client.onAny((event, ...args) => {
  if (typeof args.at(-1) === "function") args.pop()({ from: "node", got: encode(args) }); // a broadcast with acks
  received.push({ event, args: encode(args) });
});
await new Promise((resolve) => client.once("connect", resolve));

const emitter = new Emitter(emitterClient);
const target = (op, source = io) => {
  let operator = source.of(op.nsp ?? "/");
  if (op.rooms?.length) operator = operator.to(op.rooms);
  if (op.except?.length) operator = operator.except(op.except);
  return operator;
};

const operations = {
  emit: async (op) => void target(op).emit(op.event, ...decode(op.args ?? [])),
  emitterEmit: async (op) => void target(op, emitter).emit(op.event, ...decode(op.args ?? [])),
  emitWithAck: async (op) => ({
    responses: encode(await target(op).timeout(op.timeout ?? 5000).emitWithAck(op.event, ...decode(op.args ?? []))),
  }),
  fetch: async (op) => ({
    sockets: (await target(op).fetchSockets()).map((s) => ({ id: s.id, rooms: [...s.rooms].sort(), data: s.data, auth: s.handshake.auth })),
  }),
  join: async (op) => void target(op).socketsJoin(op.room),
  leave: async (op) => void target(op).socketsLeave(op.room),
  disconnect: async (op) => void target(op).disconnectSockets(op.close ?? false),
  serverCount: async (op) => ({ count: await io.of(op.nsp ?? "/").adapter.serverCount() }),
  allRooms: async (op) => ({ rooms: [...(await io.of(op.nsp ?? "/").adapter.allRooms())].sort() }),
  clientJoin: async (op) => void (await client.timeout(5000).emitWithAck("join", op.room)),
  clientId: async () => ({ clientId: client.id }),
  received: async () => ({ received: received.splice(0) }),
  serverSideEmit: async (op) => void io.serverSideEmit(op.event, ...(op.args ?? [])),
  serverSideEmitWithAck: async (op) => ({ responses: await io.serverSideEmitWithAck(op.event, ...(op.args ?? [])) }),
  serverEvents: async () => ({ serverEvents: serverEvents.splice(0) }),
};

print({ event: "ready", port });
for await (const line of createInterface({ input: process.stdin })) {
  const op = JSON.parse(line);
  try {
    print({ id: op.id, ok: true, ...(await operations[op.op](op)) });
  } catch (error) {
    print({ id: op.id, ok: false, error: String(error?.message ?? error) });
  }
}
process.exit(0);
