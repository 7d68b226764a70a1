// Connects to /item once per case, one after the other, and has each connection try to create an item whose
// payload also forges an owner. A case may name an account (registered over HTTP, its bearer token sent in
// Authorization on every Engine.IO request) and may send an `auth` payload (which the server ignores: the
// acting name is the account's). Prints {"event":"connected","label"} then the create's ack, or
// {"event":"refused","label","message","data"} for a CONNECT_ERROR.
// Cases are a JSON array of {"label", "account"?, "auth"?}.
//
//   node item-identity-client.mjs <base url> <polling|websocket|polling,websocket> '<cases json>'
import { args, connect, deadline, print, run } from "./socketio-common.mjs";
import { ask, signIn } from "./item-common.mjs";

const { url, transports, rest: [casesJson] } = args();

const attempt = async ({ label, account, auth }) => {
  const options = auth === undefined ? {} : { auth };
  if (account) options.extraHeaders = { Authorization: `Bearer ${await signIn(url, account)}` };
  const socket = connect(url, transports, "/item", options);
  socket.client = label;
  await new Promise((resolve) => {
    socket.once("connect", async () => {
      print({ event: "connected", label });
      await ask(socket, "item:create", { title: `by ${label}`, startingPrice: 1, owner: "olga" });
      socket.disconnect();
      resolve();
    });
    socket.once("connect_error", (error) => {
      print({ event: "refused", label, message: error.message, data: error.data ?? null });
      socket.disconnect();
      resolve();
    });
  });
};

deadline(40000);
run(async () => {
  for (const c of JSON.parse(casesJson)) await attempt(c);
});
