// One client of namespace <nsp> with an auth payload: prints the "auth" event, sends each case of CASES
// as "message" (printing the "message-back" it gets) and as "message-with-ack" (printing the ack's
// arguments), answers the server's "question" ack, asks which transport the server sees, then disconnects.
//
//   node socketio-echo-client.mjs <base url> <polling|websocket|polling,websocket> <nsp>
import { args, connect, connected, deadline, encode, next, print, run, settled } from "./socketio-common.mjs";

const { url, transports, rest: [nsp = "/"] } = args();
const AUTH = { token: "abc", n: 1, nested: { list: [1, "two", null], ok: true } };
const CASES = {
  text: ["hello", "\u20ac, \u2028, \"quoted\", back\\slash, new\nline"],
  numbers: [0, 42, -7, 3.25, 1e-7, 9007199254740991, true, false, null],
  nested: [{ a: { b: [1, 2, { c: "d" }] }, e: [], f: {} }, [[1], [2, [3]]]],
  none: [],
  binary: [Uint8Array.from([0, 1, 2, 127, 128, 255])],
  "binary-mixed": ["caption", Uint8Array.from([1, 2, 3]), 7, Uint8Array.from([]), Uint8Array.from([4, 5])],
  "binary-nested": [{ name: "f", file: Uint8Array.from([9, 8, 7]), parts: [Uint8Array.from([6])] }],
};

deadline();
run(async () => {
  const socket = connect(url, transports, nsp, { auth: AUTH });
  const auth = next(socket, "auth");
  await connected(socket);
  print({ event: "connect", id: socket.id, nsp, transport: socket.firstTransport });
  print({ event: "auth", sent: AUTH, received: (await auth)[0] });
  await settled(socket, transports);

  for (const [name, sent] of Object.entries(CASES)) {
    const back = next(socket, "message-back");
    socket.emit("message", ...sent);
    print({ event: "message-back", case: name, sent: encode(sent), received: encode(await back) });
  }
  for (const [name, sent] of Object.entries(CASES)) {
    const received = await new Promise((resolve, reject) =>
      socket.timeout(10000).emit("message-with-ack", ...sent, (err, ...ackArgs) => (err ? reject(err) : resolve(ackArgs))));
    print({ event: "ack", case: name, sent: encode(sent), received: encode(received) });
  }

  socket.on("question", (...question) => {
    const ack = question.pop();
    print({ event: "question", args: question });
    ack({ answer: question[0] + "!", n: 1 });
  });
  const answer = next(socket, "answer");
  socket.emit("ask-me");
  print({ event: "answer", args: await answer });

  const serverTransport = await socket.timeout(10000).emitWithAck("transport");
  print({ event: "transport", client: socket.io.engine.transport.name, server: serverTransport });

  const disconnected = next(socket, "disconnect");
  socket.disconnect();
  print({ event: "disconnect", reason: (await disconnected)[0] });
});
