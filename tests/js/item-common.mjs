// Shared helpers of the item-*.mjs scripts (the /item board), on top of socketio-common.mjs.
import { connect, print } from "./socketio-common.mjs";

export const PASSWORD = "correct-horse-battery";

/**
 * A bearer token of account `name` on the app at `url`: registers it (POST /account/register?useCookies=false),
 * or signs in when the name is taken already. Scripts carry no cookie jar: the token goes in a header.
 */
export const signIn = async (url, name, password = PASSWORD) => {
  const post = (path) =>
    fetch(new URL(`account/${path}?useCookies=false`, url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userName: name, password }),
    });
  let response = await post("register");
  if (response.status === 409) response = await post("login");
  if (!response.ok) throw new Error(`sign-in of ${name}: ${response.status} ${await response.text()}`);
  return (await response.json()).accessToken;
};

/** A /item client signed in as `name`: its token in `Authorization` on every Engine.IO request. */
export const connectAs = async (url, transports, name, options = {}) =>
  connect(url, transports, "/item", {
    ...options,
    extraHeaders: { Authorization: `Bearer ${await signIn(url, name)}` },
  });

export const ACK_TIMEOUT = 15000;
export const BROADCASTS = ["item:created", "item:updated", "item:closed", "bid:placed"];

/**
 * Records every board broadcast `socket` receives (printed as {"event":"received",...} unless quiet) and
 * adds socket.waitFor(name, itemId, version): resolves once that broadcast of that item version arrived.
 */
export const record = (client, socket, { quiet = false } = {}) => {
  socket.client = client;
  socket.seen = [];
  const waiting = [];
  const matches = (name, itemId, version) => (seen) => {
    const item = seen.name === "bid:placed" ? seen.payload?.item : seen.payload;
    return seen.name === name && item?.id === itemId && item?.version === version;
  };
  for (const name of BROADCASTS) {
    socket.on(name, (payload) => {
      if (!quiet) print({ event: "received", client, name, payload });
      const seen = { name, payload };
      socket.seen.push(seen);
      for (const waiter of waiting.filter((w) => w.match(seen))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(payload);
      }
    });
  }
  socket.waitFor = (name, itemId, version) =>
    new Promise((resolve) => {
      const match = matches(name, itemId, version);
      const found = socket.seen.find(match);
      if (found) resolve(found.payload);
      else waiting.push({ match, resolve });
    });
  return socket;
};

/** Emits `request` with `payload` (omitted when undefined), prints the ack and returns its reply. */
export const ask = async (socket, request, payload, extra = {}) => {
  const emitter = socket.timeout(ACK_TIMEOUT);
  const reply = payload === undefined ? await emitter.emitWithAck(request) : await emitter.emitWithAck(request, payload);
  print({ event: "ack", client: socket.client, request, payload: payload ?? null, reply, ...extra });
  return reply;
};
