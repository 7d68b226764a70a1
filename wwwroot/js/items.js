// The board's state: items by id, each kept at the highest version seen (acks, list pages and
// broadcasts arrive in any order), plus the pure helpers the cards need. No DOM here.

/** Minimum raise over the current price (the server's Items:MinIncrement, 1.00 by default). */
export const MIN_INCREMENT = 1;

/** Rounds to cents, so 0.1 + 1 shows as 1.1 and not 1.1000000000000001. */
export const roundCents = (value) => Math.round(value * 100) / 100;

/** The smallest bid the server accepts: the starting price before any bid, then current + increment. */
export const minNextBid = (item) =>
  item.bidCount === 0 ? roundCents(item.startingPrice) : roundCents(item.currentPrice + MIN_INCREMENT);

/** "open" or "closed" now: an open item whose closing time has passed is closed (the server agrees). */
export function effectiveStatus(item, now = Date.now()) {
  if (item.status !== 'open') return 'closed';
  return item.closesAt && Date.parse(item.closesAt) <= now ? 'closed' : 'open';
}

export const formatPrice = (value) => Number(value).toFixed(2);

/** "in 4m 05s", "in 2h 10m", "in 3d 4h"; null once the time has passed. */
export function formatRemaining(iso, now = Date.now()) {
  const ms = Date.parse(iso) - now;
  if (!(ms > 0)) return null;
  const s = Math.ceil(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return `in ${d}d ${h}h`;
  if (h > 0) return `in ${h}h ${String(m).padStart(2, '0')}m`;
  return `in ${m}m ${String(s % 60).padStart(2, '0')}s`;
}

export class ItemStore {
  #items = new Map();

  /** Keeps `item` unless a newer version is already known; returns true if the board changed. */
  apply(item) {
    if (!item || typeof item.id !== 'string') return false;
    const known = this.#items.get(item.id);
    if (known) {
      const newer = item.version > known.version;
      // Same version, but the server now reports it closed (its closing time passed): take it.
      const closedByTime = item.version === known.version && item.status === 'closed' && known.status === 'open';
      if (!newer && !closedByTime) return false;
    }
    this.#items.set(item.id, item);
    return true;
  }

  get(id) { return this.#items.get(id); }

  clear() { this.#items.clear(); }

  get size() { return this.#items.size; }

  /** Newest first (createdAt, then id, both descending), as item:list returns them. */
  sorted() {
    return [...this.#items.values()].sort((a, b) =>
      (Date.parse(b.createdAt) - Date.parse(a.createdAt)) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }
}

const ERROR_LABELS = {
  bid_too_low: 'Bid too low',
  item_closed: 'Item closed',
  own_item: 'Your own item',
  not_found: 'Not found',
  not_owner: 'Not your item',
  invalid_input: 'Invalid input',
  unauthenticated: 'Not signed in',
  invalid_credentials: 'Wrong name or password',
  locked_out: 'Locked out',
  name_taken: 'Name taken',
  cross_site: 'Refused',
  timeout: 'No answer',
};

/** One line for an ack's error ({code, message}) or a thrown Error: "Bid too low: must be at least 16". */
export function describeError(error) {
  if (!error) return 'Unknown error';
  const label = ERROR_LABELS[error.code] ?? (error.code ? String(error.code).replace(/_/g, ' ') : 'Error');
  return error.message ? `${label}: ${error.message}` : label;
}
