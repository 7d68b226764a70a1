// The live item board: asks for a display name, connects to the /item namespace with the official
// Socket.IO client (served from /lib, installed from npm), and keeps the board in step with the
// acks and broadcasts. Every request goes out with an ack; its {ok:false, error} is shown next to
// the button that sent it.
import { ItemStore, describeError, formatPrice } from './js/items.js';
import { Board, el } from './js/cards.js';

// The realtime server: this page's own origin, unless ?server=<origin> names another (a page hosted
// elsewhere; that origin must then be in the server's Cors:Origins).
const realtimeServer = new URLSearchParams(location.search).get('server')?.replace(/\/+$/, '') ?? '';

const NAME_KEY = 'realtimeapp.name';
const ACK_TIMEOUT_MS = 10_000;
const PAGE_SIZE = 50;
const ACTIVITY_LINES = 8;

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const ui = {
  nameForm: document.getElementById('name-form'),
  nameInput: byTestId('name-input'),
  nameSubmit: byTestId('name-submit'),
  whoami: document.getElementById('whoami'),
  status: byTestId('status'),
  transport: byTestId('transport'),
  retry: document.getElementById('retry'),
  reconnect: document.getElementById('reconnect'),
  createForm: document.getElementById('create-form'),
  createTitle: byTestId('create-title'),
  createDescription: byTestId('create-description'),
  createPrice: byTestId('create-price'),
  createClosesAt: byTestId('create-closes-at'),
  createSubmit: byTestId('create-submit'),
  createError: byTestId('create-error'),
  board: byTestId('board'),
  boardEmpty: document.getElementById('board-empty'),
  boardError: byTestId('board-error'),
  loadMore: byTestId('load-more'),
  activity: byTestId('activity'),
};

const store = new ItemStore();
const board = new Board(ui.board, { onBid: placeBid, onClose: closeItem });
const watched = new Set();   // items I bid on: re-watched after every reconnect
let socket = null;
let nextCursor = null;

// ---- connection -------------------------------------------------------------------------------

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function setOnline(online) {
  board.setOnline(online);
  ui.createSubmit.disabled = !online;
  ui.loadMore.disabled = !online;
  if (!online) ui.transport.textContent = '—';
}

function connect(name) {
  if (typeof window.io !== 'function') {
    setStatus('error', 'connection error: the Socket.IO client (/socket.io/socket.io.min.js) did not load');
    return;
  }
  if (socket) socket.disconnect();   // its handlers check `socket === s` and fall silent
  store.clear();
  watched.clear();
  nextCursor = null;
  board.setIdentity(name);
  renderBoard();
  setOnline(false);
  ui.whoami.textContent = name;
  ui.reconnect.hidden = true;
  ui.retry.textContent = '';
  setStatus('connecting', 'connecting');

  const s = window.io(`${realtimeServer}/item`, { auth: { name }, forceNew: true });
  socket = s;
  const current = (handler) => (...args) => { if (socket === s) handler(...args); };

  // A new engine for each (re)connection: show its transport and follow its upgrade.
  s.io.on('open', current(() => {
    const engine = s.io.engine;
    ui.transport.textContent = engine.transport.name;
    engine.on('upgrade', current((transport) => { ui.transport.textContent = transport.name; }));
  }));
  let attempt = 0;
  s.io.on('reconnect_attempt', current((n) => { attempt = n; ui.retry.textContent = `reconnecting (attempt ${n})…`; }));

  s.on('connect', current(() => {
    setStatus('connected', 'connected');
    ui.transport.textContent = s.io.engine?.transport?.name ?? '—';
    ui.retry.textContent = '';
    ui.reconnect.hidden = true;
    setOnline(true);
    loadPage(null);
    for (const itemId of watched) request('item:watch', { itemId });
  }));
  s.on('disconnect', current((reason) => {
    setStatus('disconnected', `disconnected: ${reason}`);
    setOnline(false);
    ui.reconnect.hidden = s.active;   // the client retries by itself unless the server sent it away
  }));
  s.on('connect_error', current((error) => {
    // Refused by the namespace's middleware (e.g. "name required"): no retry. Otherwise it retries;
    // after a disconnect the status keeps its reason and the retry line says why the attempt failed.
    if (s.active && ui.status.dataset.state === 'disconnected') {
      ui.retry.textContent = `reconnecting (attempt ${attempt} failed: ${error.message})…`;
      return;
    }
    setStatus('error', `${s.active ? 'connection error' : 'connection refused'}: ${error.message}`);
    setOnline(false);
    ui.reconnect.hidden = s.active;
    if (!s.active) ui.nameInput.focus();
  }));

  s.on('item:created', current(applyAndRender));
  s.on('item:updated', current(applyAndRender));
  s.on('item:closed', current((item) => {
    if (applyAndRender(item)) log(`“${item.title}” closed at ${formatPrice(item.currentPrice)}`);
  }));
  s.on('bid:placed', current((event) => {
    applyAndRender(event?.item);
    const title = store.get(event?.itemId)?.title ?? 'an item';
    log(`${event?.bidder} bid ${formatPrice(event?.amount)} on “${title}”`);
  }));
}

/** Sends `event` with an ack; resolves to the reply, or to {ok:false, error} on a timeout or bad reply. */
async function request(event, payload) {
  if (!socket) return { ok: false, error: { code: 'offline', message: 'not connected' } };
  try {
    const reply = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
    return reply && typeof reply === 'object'
      ? reply : { ok: false, error: { code: 'invalid_reply', message: `unexpected answer to ${event}` } };
  } catch {
    return { ok: false, error: { code: 'timeout', message: `the server did not answer ${event} in time` } };
  }
}

// ---- board ------------------------------------------------------------------------------------

function renderBoard() {
  board.render(store);
  ui.boardEmpty.hidden = store.size > 0;
  ui.loadMore.hidden = !nextCursor;
}

function applyAndRender(item) {
  const changed = store.apply(item);
  if (changed) renderBoard();
  return changed;
}

async function loadPage(cursor) {
  const payload = cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE };
  const reply = await request('item:list', payload);
  if (!reply.ok) {
    ui.boardError.textContent = `Could not load the board: ${describeError(reply.error)}`;
    return;
  }
  ui.boardError.textContent = '';
  for (const item of reply.items ?? []) store.apply(item);
  nextCursor = reply.nextCursor ?? null;
  renderBoard();
}

async function placeBid(itemId, amount) {
  const reply = await request('item:bid', { itemId, amount });
  if (!reply.ok) return describeError(reply.error);
  applyAndRender(reply.item);
  if (!watched.has(itemId)) {
    watched.add(itemId);
    request('item:watch', { itemId });
  }
  return null;
}

async function closeItem(itemId) {
  const reply = await request('item:close', { itemId });
  if (!reply.ok) return describeError(reply.error);
  applyAndRender(reply.item);
  return null;
}

function log(text) {
  ui.activity.prepend(el('li', {}, el('time', { datetime: new Date().toISOString() }, new Date().toLocaleTimeString()), ' ', text));
  while (ui.activity.children.length > ACTIVITY_LINES) ui.activity.lastElementChild.remove();
}

// ---- forms ------------------------------------------------------------------------------------

ui.nameForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = ui.nameInput.value.trim();
  if (name) remember(name);
  ui.nameSubmit.textContent = 'Change name';
  connect(name);   // an empty or too long name is the server's to refuse (connect_error)
});

ui.reconnect.addEventListener('click', () => {
  if (!socket) return;
  setStatus('connecting', 'connecting');
  ui.reconnect.hidden = true;
  socket.connect();
});

ui.createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const payload = {
    title: ui.createTitle.value.trim(),
    description: ui.createDescription.value.trim(),
    startingPrice: ui.createPrice.value.trim() === '' ? null : Number(ui.createPrice.value),
  };
  if (ui.createClosesAt.value) {
    const closesAt = new Date(ui.createClosesAt.value);   // datetime-local: the browser's local time
    if (Number.isNaN(closesAt.getTime())) {
      ui.createError.textContent = 'Invalid input: closes-at is not a date and time';
      return;
    }
    payload.closesAt = closesAt.toISOString();
  }
  ui.createSubmit.disabled = true;
  try {
    const reply = await request('item:create', payload);
    if (!reply.ok) {
      ui.createError.textContent = describeError(reply.error);
      return;
    }
    ui.createError.textContent = '';
    ui.createForm.reset();
    applyAndRender(reply.item);
    ui.createTitle.focus();
  } finally {
    ui.createSubmit.disabled = !socket?.connected;
  }
});

ui.loadMore.addEventListener('click', () => { if (nextCursor) loadPage(nextCursor); });

setInterval(() => board.tick(), 1000);   // countdowns, and items closing by time

// localStorage can be off (privacy settings): then the name is simply asked again next time.
function remember(name) { try { localStorage.setItem(NAME_KEY, name); } catch { /* not remembered */ } }
function recall() { try { return localStorage.getItem(NAME_KEY); } catch { return null; } }

// ---- start ------------------------------------------------------------------------------------

setOnline(false);
const remembered = recall();
if (remembered) {
  ui.nameInput.value = remembered;
  ui.nameSubmit.textContent = 'Change name';
  connect(remembered);
} else {
  setStatus('idle', 'not connected: choose a display name');
  ui.nameInput.focus();
}
