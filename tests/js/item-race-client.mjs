// Racing bids on one item of the /item board. "seller" creates an item (starting price 1.00) and
// "watcher" watches it; then <bidders> clients (bidder-0 …), each on its own connection, race:
//   round phase: for amount 1, 2, 3 every bidder bids that same amount at once (awaiting all acks
//                before the next amount)     → exactly one of each round may win
//   free-for-all: every bidder fires 4 bids at once, bidder i offering 10+i, 11+i, 12+i, 13+i
// Each ack is printed as {"event":"ack","client","request","payload","reply","phase"}. Then the seller
// closes the item and, once the watcher got item:closed (so every earlier bid:placed reached it too),
// the watcher's bid:placed payloads are printed as {"event":"placed","payloads":[…]}.
//
//   node item-race-client.mjs <base url> <polling|websocket|polling,websocket> <bidders>
import { args, connected, deadline, print, run, settled } from "./socketio-common.mjs";
import { ask, connectAs, record } from "./item-common.mjs";

const { url, transports, rest: [count = "20"] } = args();
const join = async (name) => {
  const socket = record(name, await connectAs(url, transports, name), { quiet: true });
  await connected(socket);
  await settled(socket, transports);
  return socket;
};

deadline(75000);
run(async () => {
  const seller = await join("seller");
  const watcher = await join("watcher");
  const bidders = await Promise.all(Array.from({ length: Number(count) }, (_, i) => join(`bidder-${i}`)));

  const created = await ask(seller, "item:create", { title: "Contested", startingPrice: 1 });
  if (!created.ok) throw new Error("create refused");
  const itemId = created.item.id;
  const watched = await ask(watcher, "item:watch", { itemId });
  if (!watched.ok) throw new Error("watch refused");

  for (const amount of [1, 2, 3]) {
    await Promise.all(bidders.map((socket) => ask(socket, "item:bid", { itemId, amount }, { phase: `round-${amount}` })));
  }
  await Promise.all(
    bidders.flatMap((socket, i) =>
      [10, 11, 12, 13].map((base) => ask(socket, "item:bid", { itemId, amount: base + i }, { phase: "free-for-all" })),
    ),
  );

  const closed = await ask(seller, "item:close", { itemId });
  if (!closed.ok) throw new Error("close refused");
  await watcher.waitFor("item:closed", itemId, closed.item.version);
  print({ event: "placed", payloads: watcher.seen.filter((s) => s.name === "bid:placed").map((s) => s.payload) });
  for (const socket of [seller, watcher, ...bidders]) socket.disconnect();
});
