// Three clients of the /item board (alice, bob, carol; each on its own connection) playing one item's
// life. Every ack is printed as {"event":"ack","client","request","payload","reply"} and every board
// broadcast a client receives as {"event":"received","client","name","payload"}. Before each next step
// the script waits until the broadcasts of the previous one reached every client, so the .NET test can
// assert exact lists.
//   1. alice creates "Lamp" (10.00)             → item:created v1 to all
//   2. alice and bob watch it; carol bids 10    → item:updated v2 to all, bid:placed to alice and bob
//   3. bob unwatches and bids 11.50             → item:updated v3 to all, bid:placed to alice only
//   4. alice closes it                          → item:closed v4 to all
//   5. carol bids 50                            → refused (item_closed)
//
//   node item-live-client.mjs <base url> <polling|websocket|polling,websocket>
import { args, connected, deadline, print, run, settled } from "./socketio-common.mjs";
import { ask, connectAs, record } from "./item-common.mjs";

const { url, transports } = args();
const names = ["alice", "bob", "carol"];

deadline(40000);
run(async () => {
  // Each one a signed-in account (registered over HTTP, its bearer token on the socket).
  const clients = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, record(name, await connectAs(url, transports, name))])),
  );
  for (const socket of Object.values(clients)) {
    await connected(socket);
    await settled(socket, transports);
  }
  const everyone = (name, id, version) =>
    Promise.all(Object.values(clients).map((socket) => socket.waitFor(name, id, version)));

  const created = await ask(clients.alice, "item:create", { title: "Lamp", description: "brass", startingPrice: 10 });
  if (!created.ok) throw new Error("create refused");
  const itemId = created.item.id;
  await everyone("item:created", itemId, 1);

  await ask(clients.alice, "item:watch", { itemId });
  await ask(clients.bob, "item:watch", { itemId });
  await ask(clients.carol, "item:bid", { itemId, amount: 10 });
  await everyone("item:updated", itemId, 2);
  await clients.alice.waitFor("bid:placed", itemId, 2);
  await clients.bob.waitFor("bid:placed", itemId, 2);

  await ask(clients.bob, "item:unwatch", { itemId });
  await ask(clients.bob, "item:bid", { itemId, amount: 11.5 });
  await everyone("item:updated", itemId, 3);
  await clients.alice.waitFor("bid:placed", itemId, 3);

  await ask(clients.alice, "item:close", { itemId });
  await everyone("item:closed", itemId, 4);

  await ask(clients.carol, "item:bid", { itemId, amount: 50 });
  for (const socket of Object.values(clients)) socket.disconnect();
});
