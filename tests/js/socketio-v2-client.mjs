// The official socket.io-client 2.x (npm "socket.io-client-v2" = socket.io-client@2.5.0: Engine.IO v3,
// Socket.IO protocol 4) against a server with AllowEIO3. Prints what it sees, one JSON object per line.
//
//   node socketio-v2-client.mjs <base url> <polling|websocket|polling,websocket> basic [b64]
//     "/": connect (implicit: the client sends no CONNECT for "/"), the "auth" event, "message" and
//     "message-with-ack" with text and binary cases, answering the server's "question" ack, the server's
//     transport, two client pings answered; "/private" with ?token=secret (accepted) and ?token=wrong
//     (the "error" event with the refusal); then close. "b64" sets forceBase64 (b64=1: no binary framing).
//   node socketio-v2-client.mjs <base url> <transports> mixed
//     a v2 and a v4 (socket.io-client 4.8) client in "/": both join "r1"; v2 broadcasts (text + binary)
//     → v4 gets it; v4 sends to-room r1 → v2 gets it; the server's "marker" reaches both.
import ioV2 from "socket.io-client-v2";
import { args, connect, connected, deadline, encode, next, print, run } from "./socketio-common.mjs";

const { url, transports, rest: [mode = "basic", flag] } = args();

const connectV2 = (nsp, options = {}) =>
  ioV2(new URL(nsp, url).toString(), { transports, reconnection: false, forceNew: true, ...options });

/** v2 sockets emit "connect", or "error" with the CONNECT_ERROR payload. */
const connectedV2 = (socket) =>
  new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", resolve);
    socket.once("error", (error) => reject(Object.assign(new Error("refused"), { data: error })));
    socket.once("connect_error", reject);
  });

/** Emits with a v2 ack callback (no timeout helper in v2). */
const emitWithAck = (socket, ...emitted) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${emitted[0]}`)), 10000);
    socket.emit(...emitted, (...reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
  });

const CASES = {
  text: ["hello", "\u20ac and \ud83d\ude00, \"quoted\"\nnew line"],
  numbers: [0, 42, -7, 3.25, true, null],
  binary: [Buffer.from([0, 1, 2, 127, 128, 255])],
  "binary-mixed": ["caption", Buffer.from([1, 2, 3]), 7, { nested: Buffer.from([4, 5]) }],
};

const basic = async () => {
  const socket = connectV2("/", { forceBase64: flag === "b64" });
  const auth = next(socket, "auth");
  await connectedV2(socket);
  const engine = socket.io.engine;
  print({ event: "connect", id: socket.id, engineId: engine.id, transport: engine.transport.name });
  print({ event: "auth", received: (await auth)[0] });
  if (transports.length > 1 && engine.transport.name !== "websocket") await next(engine, "upgrade");

  for (const [name, sent] of Object.entries(CASES)) {
    const back = next(socket, "message-back");
    socket.emit("message", ...sent);
    print({ event: "message-back", case: name, sent: encode(sent), received: encode(await back) });
  }
  for (const [name, sent] of Object.entries(CASES)) {
    const received = await emitWithAck(socket, "message-with-ack", ...sent);
    print({ event: "ack", case: name, sent: encode(sent), received: encode(received) });
  }

  socket.on("question", (...question) => {
    const ack = question.pop();
    ack({ answer: question[0] + "!", bytes: Buffer.from([7, 7]) });
  });
  const answer = next(socket, "answer");
  socket.emit("ask-me");
  print({ event: "answer", args: encode(await answer) });

  print({ event: "transport", client: engine.transport.name, server: (await emitWithAck(socket, "transport"))[0] });

  // v3 heartbeat: the client pings every pingInterval and the server answers each at once.
  const pongs = [];
  engine.on("pong", () => pongs.push(Date.now()));
  while (pongs.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
  print({ event: "pongs", count: pongs.length });

  const allowed = connectV2("/private", { query: { token: "secret" } });
  const privateAuth = next(allowed, "auth");
  await connectedV2(allowed);
  print({ event: "private", id: allowed.id, engineId: allowed.io.engine.id, auth: (await privateAuth)[0] });
  const refused = connectV2("/private", { query: { token: "wrong" } });
  try {
    await connectedV2(refused);
    print({ event: "refused", accepted: true });
  } catch (error) {
    print({ event: "refused", data: error.data ?? null });
  }

  socket.close();
  allowed.close();
  refused.close();
  print({ event: "closed" });
};

const mixed = async () => {
  const v2 = connectV2("/");
  const v4 = connect(url, transports);
  const received = (name, socket) => {
    for (const event of ["room-message", "broadcast-message", "marker"]) {
      socket.on(event, (...payload) => print({ event: "received", client: name, name: event, args: encode(payload) }));
    }
  };
  received("v2", v2);
  received("v4", v4);
  await connectedV2(v2);
  await connected(v4);
  print({ event: "connect", v2: v2.id, v4: v4.id });

  await emitWithAck(v2, "join", "r1");
  await v4.timeout(10000).emitWithAck("join", "r1");
  const toV4 = next(v4, "broadcast-message");
  print({ event: "reached", from: "v2", count: (await emitWithAck(v2, "broadcast", { from: "v2", bytes: Buffer.from([1, 2]) }))[0] });
  await toV4;
  const toV2 = next(v2, "room-message");
  print({ event: "reached", from: "v4", count: await v4.timeout(10000).emitWithAck("to-room", "r1", { from: "v4", bytes: Buffer.from([3]) }) });
  await toV2;
  const markers = [next(v2, "marker"), next(v4, "marker")];
  await emitWithAck(v2, "mark", 1);
  await Promise.all(markers);
  v2.close();
  v4.close();
};

deadline(30000);
run(mode === "mixed" ? mixed : basic);
