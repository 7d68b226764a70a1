// Opens one client per tab, each with its own credentials (an `Authorization: Bearer <name>` header on every
// Engine.IO request, as a non-browser client signs in), prints who the server says each one is, then has the
// first tab ask the server to emit "for-user" to a user's room and prints which tabs got it.
//
//   node socketio-user-client.mjs <base url> <transports> <tabs json: [{"bearer":"alice","auth":{...}}, ...]> <target user id>
import { args, connect, connected, deadline, next, print, run, settled } from "./socketio-common.mjs";

const { url, transports, rest: [tabsJson, target] } = args();

deadline();
run(async () => {
  const tabs = JSON.parse(tabsJson).map((tab) =>
    connect(url, transports, "/", {
      auth: tab.auth ?? {},
      extraHeaders: tab.bearer ? { Authorization: `Bearer ${tab.bearer}` } : {},
    }));
  const received = tabs.map(() => []);
  tabs.forEach((socket, i) => socket.on("for-user", (text) => received[i].push(text)));
  for (const [i, socket] of tabs.entries()) {
    await connected(socket);
    await settled(socket, transports);
    const who = await socket.emitWithAck("whoami");
    print({ event: "whoami", tab: i, transport: socket.io.engine.transport.name, ...who });
  }
  const count = await tabs[0].emitWithAck("tell-user", target, "hello " + target);
  // Every tab answers one more round trip, so a "for-user" sent before it has arrived by then.
  for (const socket of tabs) await socket.emitWithAck("whoami");
  print({ event: "told", count, received });
  tabs.forEach((socket) => socket.disconnect());
});
