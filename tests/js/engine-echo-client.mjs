// Drives the official engine.io-client against an Engine.IO echo endpoint and prints what it sees,
// one JSON object per line, for the .NET tests to assert on.
//
//   node engine-echo-client.mjs <base url> <transports: polling|websocket|polling,websocket> <messages> [--no-upgrade-wait]
//
// It sends <messages> numbered text messages (one every 2 ms, so some cross an upgrade) plus one binary
// message, waits until every echo came back and (when both transports are allowed) the upgrade happened,
// then closes. Exit code 0 when the run completed, 1 on timeout or error.
import { Socket } from "engine.io-client";

const [url, transportList, countArg] = process.argv.slice(2);
const transports = transportList.split(",");
const count = Number(countArg ?? 10);
const expectUpgrade = transports.length > 1;
const print = (event) => process.stdout.write(JSON.stringify(event) + "\n");

const socket = new Socket(url, { transports, path: "/engine.io/" });
let echoed = 0;
let binaryEchoed = false;
let upgraded = !expectUpgrade;
let pinged = false;

const finishIfDone = () => {
  if (echoed === count && binaryEchoed && upgraded && pinged) socket.close();
};

socket.on("open", () => {
  print({ event: "open", transport: socket.transport.name, sid: socket.id });
  socket.send(Uint8Array.from([1, 2, 3, 4, 255]));
  let sent = 0;
  const timer = setInterval(() => {
    socket.send(`message ${sent} \u20ac`);
    if (++sent === count) clearInterval(timer);
  }, 2);
});
socket.on("message", (data) => {
  if (typeof data === "string") {
    print({ event: "message", data, transport: socket.transport.name });
    echoed++;
  } else {
    print({ event: "binary", data: Array.from(new Uint8Array(data)) });
    binaryEchoed = true;
  }
  finishIfDone();
});
socket.on("upgrade", (transport) => {
  print({ event: "upgrade", transport: transport.name });
  upgraded = true;
  finishIfDone();
});
socket.on("ping", () => {
  if (!pinged) print({ event: "ping" });
  pinged = true;
  finishIfDone();
});
socket.on("error", (error) => print({ event: "error", message: String(error?.message ?? error) }));
socket.on("close", (reason, description) => {
  print({ event: "close", reason, description: description?.message ?? null });
  // No process.exit here: it could cut the close packet's POST (or the still-open poll) in flight. Node
  // exits by itself once they are done; should something stay open by mistake, 5 s later.
  process.exitCode = echoed === count && binaryEchoed && upgraded && pinged ? 0 : 1;
  clearTimeout(deadline);
  setTimeout(() => {
    process.stderr.write("still running 5 s after the close (a connection left open?): exiting\n");
    process.exit();
  }, 5000).unref();
});

process.exitCode = 1; // until the close above says otherwise
const deadline = setTimeout(() => {
  print({ event: "timeout", echoed, binaryEchoed, upgraded, pinged });
  process.exit(1);
}, 15000).unref();
