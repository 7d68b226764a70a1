// A Node socket.io 4.8 server with a Redis adapter, plus a socket.io-client connected to it (and, in pubsub
// mode, a @socket.io/redis-emitter): the Node side of the mixed-cluster tests. It prints
// {"event":"ready","port":…} once listening, then reads one JSON command per line on stdin and prints
// {"id":…, …result} for each (binary values travel as {"$bin":[bytes]} both ways). Its client answers any
// event that asks for an ack with {from: "node", got: [args]}.
//
//   node redis-cluster-peer.mjs <redis url>[,<redis url>…] [mode] [subscriptionMode]
//
// mode: pubsub (default): createAdapter of @socket.io/redis-adapter 8.x (classic pub/sub);
//       sharded: createShardedAdapter of @socket.io/redis-adapter 8.x (sharded pub/sub, Redis 7), with
//                subscriptionMode static | dynamic (default) | dynamic-private;
//       streams: createAdapter of @socket.io/redis-streams-adapter 0.3, with connection state recovery on.
// Several URLs (separated by commas) make a Redis Cluster client (node-redis createCluster) with these root nodes.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { createClient, createCluster } from "redis";
import { io as connectClient } from "socket.io-client";
import { encode, serveCommands } from "./socketio-common.mjs";

const [redisUrls, mode = "pubsub", subscriptionMode = "dynamic"] = process.argv.slice(2);
const urls = redisUrls.split(",");
if (!["pubsub", "sharded", "streams"].includes(mode)) throw new Error(`unknown mode ${mode}`);
const decode = (value) => {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === "object") {
    if (Array.isArray(value.$bin)) return Buffer.from(value.$bin);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
};

// An error event without a listener would end the process (a Redis node restarting, say): logged instead.
const logErrors = (client) => client.on("error", (error) => console.error(`redis: ${error?.message ?? error}`));
const connectRedis = () => logErrors(urls.length > 1 ? createCluster({ rootNodes: urls.map((url) => ({ url })) }) : createClient({ url: urls[0] }));

// The adapter of the mode (and the options of its Server), on clients connected before the server starts.
let adapter, emitter = null;
const serverOptions = {};
if (mode === "streams") {
  const client = connectRedis();
  await client.connect();
  adapter = createStreamsAdapter(client);
  serverOptions.connectionStateRecovery = { maxDisconnectionDuration: 120000 };
} else {
  const pub = connectRedis();
  const sub = logErrors(pub.duplicate());
  await Promise.all([pub.connect(), sub.connect()]);
  if (mode === "sharded") {
    adapter = createShardedAdapter(pub, sub, { subscriptionMode });
  } else {
    adapter = createAdapter(pub, sub, { requestsTimeout: 3000 });
    // The emitter is a classic-adapter tool (it publishes on the classic channels).
    const emitterClient = logErrors(pub.duplicate());
    await emitterClient.connect();
    emitter = new Emitter(emitterClient);
  }
}

const http = createServer();
// Every TCP connection of the server, for `cut` (all but the peer's own client's).
const connections = new Set();
http.on("connection", (connection) => {
  connections.add(connection);
  connection.on("close", () => connections.delete(connection));
});
const io = new Server(http, { adapter, ...serverOptions });
const ownConnections = new WeakSet();
io.engine.on("connection", (engineSocket) => {
  if (engineSocket.request?._query?.peer === "self") ownConnections.add(engineSocket.request.socket);
});
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
const client = connectClient(`http://127.0.0.1:${port}`, {
  transports: ["websocket"],
  forceNew: true,
  reconnection: false,
  query: { peer: "self" },
});
client.onAny((event, ...args) => {
  if (typeof args.at(-1) === "function") args.pop()({ from: "node", got: encode(args) }); // a broadcast with acks
  received.push({ event, args: encode(args) });
});
await new Promise((resolve) => client.once("connect", resolve));

const target = (op, source = io) => {
  let operator = source.of(op.nsp ?? "/");
  if (op.rooms?.length) operator = operator.to(op.rooms);
  if (op.except?.length) operator = operator.except(op.except);
  return operator;
};

const operations = {
  emit: async (op) => void target(op).emit(op.event, ...decode(op.args ?? [])),
  emitterEmit: async (op) => {
    if (!emitter) throw new Error(`no emitter in ${mode} mode`);
    target(op, emitter).emit(op.event, ...decode(op.args ?? []));
  },
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
  // Destroys the TCP connection of every other client (no WebSocket close, no HTTP answer), as a network failure
  // would: they see "transport close" and, with recovery on, their sessions are kept.
  cut: async () => {
    let cut = 0;
    for (const connection of connections) {
      if (!ownConnections.has(connection)) {
        connection.destroy();
        cut++;
      }
    }
    return { cut };
  },
};

await serveCommands(operations, { port });
