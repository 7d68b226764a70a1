// The board's cards: one <article> per item, built once and then updated in place, so a bid being
// typed, an error being shown or the focus survive the broadcasts. All user text goes in through
// textContent. The caller owns the requests: onBid(id, amount) and onClose(id) resolve to null on
// success or to the error line to show next to the button.
import { effectiveStatus, formatPrice, formatRemaining, minNextBid } from './items.js';

/** Creates `tag` with attributes (null/false ones skipped) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

const fact = (label, testid) => {
  const value = el('dd', { 'data-testid': testid });
  return { row: el('div', { class: 'fact' }, el('dt', {}, label), value), value };
};

export class Board {
  #container;
  #handlers;
  #cards = new Map();   // id -> refs of the card's elements
  #me = null;
  #online = false;

  constructor(container, handlers) {
    this.#container = container;
    this.#handlers = handlers;
  }

  /** Who is signed in (null: an anonymous watcher): ownership changes, so every card is rebuilt. */
  setIdentity(name) {
    this.#me = name;
    this.#cards.clear();
    this.#container.replaceChildren();
  }

  /** Buttons only work while connected. */
  setOnline(online) {
    this.#online = online;
    for (const refs of this.#cards.values()) this.#syncButtons(refs);
  }

  /** Brings the cards in line with the store, newest first, moving only the cards out of place. */
  render(store, now = Date.now()) {
    const items = store.sorted();
    items.forEach((item, index) => {
      let refs = this.#cards.get(item.id);
      if (!refs) {
        refs = this.#build(item);
        this.#cards.set(item.id, refs);
      }
      this.#update(refs, item, now);
      const atIndex = this.#container.children[index];
      if (atIndex !== refs.card) this.#container.insertBefore(refs.card, atIndex ?? null);
    });
  }

  /** Refreshes countdowns, and closes items whose time has come, without waiting for the server. */
  tick(now = Date.now()) {
    for (const refs of this.#cards.values()) {
      if (refs.item.closesAt && refs.item.status === 'open') this.#update(refs, refs.item, now);
    }
  }

  #build(item) {
    const id = item.id;
    const mine = item.owner === this.#me;
    const titleId = `item-${id}-title`;
    const refs = { item, mine };
    refs.title = el('h3', { class: 'card-title', id: titleId, 'data-testid': 'item-title' });
    refs.status = el('span', { class: 'badge', 'data-testid': 'item-status' });
    refs.description = el('p', { class: 'card-description', 'data-testid': 'item-description' });
    const price = fact('Price', 'item-price'), leader = fact('Leader', 'item-leader'), bids = fact('Bids', 'item-bids');
    const owner = fact('Owner', 'item-owner'), closes = fact('Closes', 'item-closes-at'), version = fact('Version', 'item-version');
    Object.assign(refs, { price: price.value, leader: leader.value, bids: bids.value, owner: owner.value,
      closes: closes.value, closesRow: closes.row, version: version.value });
    refs.time = el('time');
    refs.remaining = el('span', { class: 'remaining' });
    refs.closes.append(refs.time, refs.remaining);
    refs.actions = el('div', { class: 'card-actions' });
    refs.card = el('article', { class: 'card', 'data-testid': 'item-card', 'data-item-id': id, 'aria-labelledby': titleId },
      el('header', { class: 'card-header' }, refs.title, refs.status),
      refs.description,
      el('dl', { class: 'facts' }, price.row, leader.row, bids.row, owner.row, closes.row, version.row),
      refs.actions);

    if (mine) {
      refs.closeError = el('p', { class: 'error', id: `item-${id}-close-error`, 'data-testid': 'close-error', 'aria-live': 'polite' });
      refs.closeButton = el('button', { type: 'button', class: 'secondary', 'data-testid': 'close-submit',
        'aria-describedby': refs.closeError.id }, 'Close');
      refs.closeButton.addEventListener('click', () => this.#close(refs));
      refs.card.append(refs.closeError);
    } else {
      const inputId = `item-${id}-bid`;
      refs.bidError = el('p', { class: 'error', id: `item-${id}-bid-error`, 'data-testid': 'bid-error', 'aria-live': 'polite' });
      refs.bidInput = el('input', { id: inputId, type: 'number', inputmode: 'decimal', step: '0.01', min: '0.01',
        'data-testid': 'bid-input', 'aria-describedby': refs.bidError.id, autocomplete: 'off' });
      refs.bidButton = el('button', { type: 'submit', 'data-testid': 'bid-submit' }, 'Bid');
      refs.bidLabel = el('label', { for: inputId, class: 'visually-hidden' });
      // novalidate: a low or malformed amount goes to the server, whose answer is shown next to the button.
      refs.bidForm = el('form', { class: 'bid-form', novalidate: true }, refs.bidLabel, refs.bidInput, refs.bidButton);
      refs.bidForm.addEventListener('submit', (event) => { event.preventDefault(); this.#bid(refs); });
      // Watchers (no account) see the form too; the server refuses their bid and the error says why.
      if (this.#me === null) refs.card.append(el('p', { class: 'hint', 'data-testid': 'bid-hint' }, 'Sign in to bid'));
      refs.card.append(refs.bidError);
    }
    return refs;
  }

  #update(refs, item, now) {
    refs.item = item;
    const status = effectiveStatus(item, now);
    const card = refs.card;
    card.dataset.status = status;
    card.dataset.version = String(item.version);
    card.classList.toggle('is-closed', status === 'closed');
    card.classList.toggle('is-mine', refs.mine);
    card.classList.toggle('is-leading', !!item.leader && item.leader === this.#me);

    refs.title.textContent = item.title;
    refs.description.textContent = item.description ?? '';
    refs.description.hidden = !item.description;
    refs.status.textContent = status;
    refs.status.className = `badge badge-${status}`;
    refs.price.textContent = formatPrice(item.currentPrice);
    refs.price.dataset.value = String(item.currentPrice);
    refs.leader.textContent = item.leader ?? '—';
    refs.leader.classList.toggle('is-me', !!item.leader && item.leader === this.#me);
    refs.bids.textContent = String(item.bidCount);
    refs.owner.textContent = item.owner;
    refs.owner.classList.toggle('is-me', refs.mine);
    refs.version.textContent = String(item.version);

    refs.closesRow.hidden = !item.closesAt;
    if (item.closesAt) {
      refs.time.dateTime = item.closesAt;
      refs.time.textContent = new Date(item.closesAt).toLocaleString();
      const remaining = status === 'open' ? formatRemaining(item.closesAt, now) : null;
      refs.remaining.textContent = remaining ? ` (${remaining})` : '';
    }

    if (refs.bidInput) {
      refs.bidLabel.textContent = `Your bid on ${item.title}`;
      // Follow the minimum while the field still shows the previous one (or nothing); keep what was typed.
      const min = String(minNextBid(item));
      if (refs.bidInput.value === '' || refs.bidInput.value === refs.bidInput.dataset.prefill) refs.bidInput.value = min;
      refs.bidInput.dataset.prefill = min;
    }
    if (refs.closeButton) refs.closeButton.setAttribute('aria-label', `Close ${item.title}`);

    // Actions exist only while the item is open: a bid form on others' items, Close on mine.
    const action = refs.mine ? refs.closeButton : refs.bidForm;
    if (status === 'open' && action.parentNode !== refs.actions) refs.actions.append(action);
    if (status !== 'open' && action.parentNode) action.remove();
    this.#syncButtons(refs);
  }

  #syncButtons(refs) {
    const disabled = !this.#online || !!refs.pending;
    if (refs.bidButton) refs.bidButton.disabled = disabled;
    if (refs.closeButton) refs.closeButton.disabled = disabled;
  }

  async #bid(refs) {
    if (refs.pending) return;
    const raw = refs.bidInput.value.trim();
    const amount = Number(raw);
    if (raw === '' || !Number.isFinite(amount)) {
      refs.bidError.textContent = 'Invalid input: enter an amount, e.g. 12.50';
      return;
    }
    const error = await this.#run(refs, () => this.#handlers.onBid(refs.item.id, amount));
    refs.bidError.textContent = error ?? '';
    if (!error) refs.bidInput.value = refs.bidInput.dataset.prefill ?? '';
  }

  async #close(refs) {
    if (refs.pending) return;
    const error = await this.#run(refs, () => this.#handlers.onClose(refs.item.id));
    refs.closeError.textContent = error ?? '';
  }

  async #run(refs, action) {
    refs.pending = true;
    this.#syncButtons(refs);
    try {
      return await action();
    } catch (error) {
      return error?.message ?? String(error);
    } finally {
      refs.pending = false;
      this.#syncButtons(refs);
    }
  }
}
