// The Node peer of the benchmarks: socket.io 4.8 with the same handlers as bench/RealtimeApp.BenchHost,
// at its best per socket.io's performance guide (native bufferutil/utf-8-validate for ws, the first HTTP
// request not kept). Prints {"port":N,...} once listening.
//
//   node --expose-gc server.mjs [port] [--msgpack] [--redis HOST:PORT --redis-mode pubsub|sharded|streams]
//     default port 0: a free port; --expose-gc enables GET /gc; --msgpack: socket.io-msgpack-parser, for the msgpack
//     rows; --redis (the cluster rows): join the other nodes through that Redis with the adapter of --redis-mode
//     (default pubsub): @socket.io/redis-adapter's createAdapter (classic pub/sub) or createShardedAdapter (SPUBLISH /
//     SSUBSCRIBE), or @socket.io/redis-streams-adapter's createAdapter (one stream). Ready once Redis is connected.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { Server } from "socket.io";

const require = createRequire(import.meta.url);
const native = ["bufferutil", "utf-8-validate"].map((name) => {
  try {
    require(name);
    return name;
  } catch {
    return null;
  }
});
if (native.includes(null)) {
  console.error("bench/node-peer: bufferutil and utf-8-validate must load (npm ci); refusing to run untuned");
  process.exit(2);
}

// What the load generator reads between phases (the C# bench host answers the same two paths). This
// listener is given before socket.io attaches, so engine.io keeps /socket.io/ requests to itself.
const http = createServer((req, res) => {
  const json = (body) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.url === "/stats") {
    // The soak scenario's fields too, where Node has them (no pending-ack, handler or log counts).
    const memory = process.memoryUsage();
    const main = io.of("/");
    return json({
      heap: memory.heapUsed,
      sessions: io.engine.clientsCount,
      engineSessions: io.engine.clientsCount,
      sockets: main.sockets.size,
      rooms: main.adapter.rooms.size,
      rssBytes: memory.rss,
      gcHeapBytes: memory.heapUsed,
      gcCommittedBytes: memory.heapTotal,
    });
  }
  if ((req.url === "/gc" || req.url.startsWith("/gc?")) && typeof global.gc === "function") {
    global.gc();
    return json({ heap: process.memoryUsage().heapUsed });
  }
  res.writeHead(404).end();
});
const msgpack = process.argv.includes("--msgpack");
const flag = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
};
const redisAddress = flag("--redis");
const redisMode = flag("--redis-mode") ?? "pubsub";
if (!["pubsub", "sharded", "streams"].includes(redisMode)) {
  console.error(`bench/node-peer: --redis-mode ${redisMode}: pubsub, sharded or streams`);
  process.exit(2);
}
const io = new Server(http, {
  serveClient: false,
  ...(msgpack ? { parser: require("socket.io-msgpack-parser") } : {}),
  ...(redisAddress ? { adapter: await clusterAdapter(redisAddress, redisMode) } : {}),
});

// The cluster rows: the adapter of --redis-mode on clients already connected to Redis.
async function clusterAdapter(address, mode) {
  const { createClient } = await import("redis");
  const pub = createClient({ url: `redis://${address}` });
  pub.on("error", (e) => console.error(`redis: ${e.message}`));
  if (mode === "streams") {
    const { createAdapter } = await import("@socket.io/redis-streams-adapter");
    await pub.connect();
    return createAdapter(pub);
  }
  const sub = pub.duplicate();
  sub.on("error", (e) => console.error(`redis (sub): ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  const { createAdapter, createShardedAdapter } = await import("@socket.io/redis-adapter");
  return mode === "sharded" ? createShardedAdapter(pub, sub) : createAdapter(pub, sub);
}

// socket.io performance guide: discard the first HTTP request of each session.
io.engine.on("connection", (raw) => { raw.request = null; });

io.on("connection", (socket) => {
  // echo: ack with the arguments received.
  socket.on("echo", (...args) => {
    const ack = args.pop();
    if (typeof ack === "function") ack(...args);
  });
  // bcast: broadcast the payload to the namespace, then ack.
  socket.on("bcast", (payload, ack) => {
    io.emit("b", payload);
    if (typeof ack === "function") ack();
  });
  // stamp: broadcast a payload carrying the sender's timestamp (delivery delay = receive time - stamp).
  socket.on("stamp", (payload) => io.emit("s", payload));

  // The soak scenario's handlers (the same as the C# bench host's).
  socket.on("join", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    socket.join(args);
    if (ack) ack(args.length);
  });
  socket.on("ask", async (ack) => {
    let answer = "ok";
    try {
      await socket.timeout(5000).emitWithAck("ask", "q");
    } catch {
      answer = "timeout";
    }
    if (typeof ack === "function") ack(answer);
  });
  socket.on("roomcast", (room, payload, ack) => {
    socket.to(room).emit("r", payload);
    if (typeof ack === "function") ack();
  });
});

http.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const parser = msgpack ? "socket.io-msgpack-parser" : "json";
  const adapter = redisAddress
    ? (redisMode === "streams" ? "@socket.io/redis-streams-adapter 0.3.1" : `@socket.io/redis-adapter 8.3.0 ${redisMode === "sharded" ? "createShardedAdapter" : "createAdapter"}`)
    : "in-memory";
  process.stdout.write(JSON.stringify({ port: http.address().port, server: "node socket.io 4.8.4", parser, native, adapter, redisMode: redisAddress ? redisMode : null }) + "\n");
});
