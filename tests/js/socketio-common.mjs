// Shared helpers of the socketio-*.mjs scripts, which drive the official socket.io-client against the
// .NET test server and print what they see, one JSON object per line, for the .NET tests to assert on.
import { createRequire } from "node:module";
import { io } from "socket.io-client";

// SOCKETIO_PARSER=msgpack: every client speaks socket.io-msgpack-parser (the server's SocketIO:Parser=MsgPack).
export const parserOption =
  process.env.SOCKETIO_PARSER === "msgpack" ? { parser: createRequire(import.meta.url)("socket.io-msgpack-parser") } : {};

export const print = (event) => process.stdout.write(JSON.stringify(event) + "\n");

/** Binary values (Buffer, ArrayBuffer, typed arrays) as {"$bin":[bytes]}, anywhere in the value. */
export const encode = (value) => {
  if (value instanceof ArrayBuffer) return { $bin: Array.from(new Uint8Array(value)) };
  if (ArrayBuffer.isView(value)) {
    return { $bin: Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
};

/**
 * A new client (own engine connection, no automatic reconnection) for namespace nsp of base url. The
 * transport the engine opened with is kept in socket.firstTransport; an upgrade is printed.
 */
export const connect = (url, transports, nsp = "/", options = {}) => {
  const socket = io(new URL(nsp, url).toString(), {
    transports, reconnection: false, forceNew: true, ...parserOption, ...options,
  });
  socket.io.once("open", () => {
    socket.firstTransport = socket.io.engine.transport.name;
    socket.io.engine.once("upgrade", (transport) => print({ event: "upgrade", transport: transport.name }));
  });
  return socket;
};

/** Resolves with the arguments of the next `event` of `emitter`. */
export const next = (emitter, event) => new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));

/** Resolves when the socket is connected (rejects on connect_error). */
export const connected = (socket) =>
  new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });

/** When polling and WebSocket are both allowed, waits for the upgrade to WebSocket. */
export const settled = async (socket, transports) => {
  const engine = socket.io.engine;
  if (transports.length > 1 && engine.transport.name !== "websocket") await next(engine, "upgrade");
};

let deadlineTimer;

/**
 * Ends the process with exit code 1 (after printing why) if it is still running after `ms`. The timer does
 * not keep the process alive, and the exit code is 1 until run() succeeds.
 */
export const deadline = (ms = 20000) => {
  process.exitCode = 1;
  deadlineTimer = setTimeout(() => {
    print({ event: "timeout" });
    process.exit(1);
  }, ms).unref();
};

/**
 * A script is done: the exit code is set, and Node exits by itself once the last request (e.g. the close
 * packet's POST) has completed — never on a timer that could cut it in flight. Should something stay open
 * by mistake, the process is ended 5 s later (saying so on stderr) instead of hanging the test.
 */
export const finish = (code) => {
  process.exitCode = code;
  clearTimeout(deadlineTimer);
  setTimeout(() => {
    process.stderr.write("still running 5 s after it finished (a connection left open?): exiting\n");
    process.exit();
  }, 5000).unref();
};

/** Runs main(), prints any error; exit code 1 on failure, 0 on success, once everything is closed. */
export const run = (main) =>
  main().then(
    () => finish(0),
    (error) => {
      print({ event: "error", message: String(error?.message ?? error), data: error?.data ?? null });
      finish(1);
    },
  );

export const args = () => {
  const [url, transportList, ...rest] = process.argv.slice(2);
  return { url, transports: transportList.split(","), rest };
};

// The command loop of a driven peer (NodePeerProcess): prints `ready` (with `extra`, e.g. its port), then runs one
// JSON command per stdin line, `operations[op.op](op)`, and prints {id, ok, ...result} or {id, ok: false, error}.
export const serveCommands = async (operations, extra = {}) => {
  const { createInterface } = await import("node:readline");
  print({ event: "ready", ...extra });
  for await (const line of createInterface({ input: process.stdin })) {
    const op = JSON.parse(line);
    try {
      print({ id: op.id, ok: true, ...(await operations[op.op](op)) });
    } catch (error) {
      print({ id: op.id, ok: false, error: String(error?.message ?? error) });
    }
  }
  process.exit(0);
};
