// The live item board: connects to the /item namespace with the official Socket.IO client (served by
// the server at /socket.io/), and keeps the board in step with the acks and broadcasts. Anyone watches;
// signing in (an account: /account/register, /account/login, a cookie) lets you create, bid and close.
// The socket carries the cookie in its handshake, so after every sign-in or sign-out it reconnects (a new
// handshake, the new user). Every request goes out with an ack; its {ok:false, error} is shown next to the
// button that sent it.
import { ItemStore, describeError, formatPrice } from './js/items.js';
import { Board, el } from './js/cards.js';

// The realtime server: this page's own origin, unless ?server=<origin> names another (a page hosted
// elsewhere; that origin must then be in the server's Cors:Origins).
const realtimeServer = new URLSearchParams(location.search).get('server')?.replace(/\/+$/, '') ?? '';

const ACK_TIMEOUT_MS = 10_000;
const PAGE_SIZE = 50;
const ACTIVITY_LINES = 8;

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const ui = {
  accountForm: document.getElementById('account-form'),
  accountName: byTestId('account-name'),
  accountPassword: byTestId('account-password'),
  accountError: byTestId('account-error'),
  signedIn: document.getElementById('signed-in'),
  logout: byTestId('logout-submit'),
  whoami: byTestId('whoami'),
  createHint: byTestId('create-hint'),
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
let me = { signedIn: false, name: null };   // GET /account/me

// ---- connection -------------------------------------------------------------------------------

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function setOnline(online) {
  board.setOnline(online);
  ui.createSubmit.disabled = !online || !me.signedIn;
  ui.loadMore.disabled = !online;
  if (!online) ui.transport.textContent = '—';
}

function connect() {
  if (typeof window.io !== 'function') {
    setStatus('error', 'connection error: the Socket.IO client (/socket.io/socket.io.min.js) did not load');
    return;
  }
  if (socket) socket.disconnect();   // its handlers check `socket === s` and fall silent
  store.clear();
  watched.clear();
  nextCursor = null;
  board.setIdentity(me.signedIn ? me.name : null);
  renderBoard();
  setOnline(false);
  ui.reconnect.hidden = true;
  ui.retry.textContent = '';
  setStatus('connecting', 'connecting');

  // withCredentials: a page from another origin (?server=) sends the server's cookie too (same origin: always).
  const s = window.io(`${realtimeServer}/item`, { forceNew: true, withCredentials: true });
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
    // Sent away because this user signed out (in another tab) or the sign-in expired: follow the account's
    // new state at once (a watcher now). Any other server disconnect keeps the Reconnect button.
    if (reason === 'io server disconnect') followAccountChange(expired);
  }));
  let expired = false;   // the server says the sign-in this socket was opened with has expired
  s.on('auth_expired', current(() => { expired = true; log('your sign-in expired'); }));
  s.on('connect_error', current((error) => {
    // Refused by the namespace (no retry); otherwise it retries;
    // after a disconnect the status keeps its reason and the retry line says why the attempt failed.
    if (s.active && ui.status.dataset.state === 'disconnected') {
      ui.retry.textContent = `reconnecting (attempt ${attempt} failed: ${error.message})…`;
      return;
    }
    setStatus('error', `${s.active ? 'connection error' : 'connection refused'}: ${error.message}`);
    setOnline(false);
    ui.reconnect.hidden = s.active;
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

// ---- account ----------------------------------------------------------------------------------

/** POST or GET /account/{path} on the realtime server, with its cookie; resolves to {status, body}. */
async function account(path, body) {
  const init = { credentials: 'include', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    const response = await fetch(`${realtimeServer}/account/${path}`, init);
    return { status: response.status, body: await response.json().catch(() => null) };
  } catch (error) {
    return { status: 0, body: { code: 'offline', message: `the server did not answer (${error.message})` } };
  }
}

function showAccount(view) {
  me = view?.signedIn ? { signedIn: true, name: view.name } : { signedIn: false, name: null };
  ui.whoami.textContent = me.signedIn ? me.name : 'nobody: watching';
  ui.whoami.dataset.signedIn = String(me.signedIn);
  ui.accountForm.hidden = me.signedIn;
  ui.signedIn.hidden = !me.signedIn;
  ui.createHint.hidden = me.signedIn;
}

/**
 * After the server disconnected this page: reconnects if the account changed meanwhile (signed out in another
 * tab) or the socket's sign-in expired (the cookie may have been renewed since: the new handshake carries it).
 */
async function followAccountChange(expired) {
  const before = me;
  const { status, body } = await account('me');
  showAccount(status === 200 ? body : null);
  if (expired || me.signedIn !== before.signedIn || me.name !== before.name) connect();
}

/** Asks who the cookie belongs to, then (re)connects the socket as that user: a new handshake. */
async function refreshAndReconnect() {
  const { status, body } = await account('me');
  showAccount(status === 200 ? body : null);
  connect();
}

ui.accountForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const action = event.submitter?.value === 'register' ? 'register' : 'login';
  const buttons = ui.accountForm.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const { status, body } = await account(action, { userName: ui.accountName.value, password: ui.accountPassword.value });
    if (status !== 200) {
      ui.accountError.textContent = describeError(body ?? { code: 'error', message: `HTTP ${status}` });
      return;
    }
    ui.accountError.textContent = '';
    ui.accountPassword.value = '';
    showAccount(body);
    connect();
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});

ui.logout.addEventListener('click', async () => {
  // The server also disconnects this user's sockets (every tab); this page reconnects as a watcher.
  await account('logout', {});
  await refreshAndReconnect();
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
    ui.createSubmit.disabled = !socket?.connected || !me.signedIn;
  }
});

ui.loadMore.addEventListener('click', () => { if (nextCursor) loadPage(nextCursor); });

setInterval(() => board.tick(), 1000);   // countdowns, and items closing by time


// ---- start ------------------------------------------------------------------------------------

setOnline(false);
refreshAndReconnect();   // anyone watches the board live; signed in (a cookie from an earlier visit) also bids
