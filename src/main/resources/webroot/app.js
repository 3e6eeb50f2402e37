'use strict';

// The Hookcast dashboard: polls the admin API and renders it. Every piece of data reaches the page as text
// (textContent, attributes), never as markup: message bodies, headers and backend answers come from strangers.
(() => {
  const POLL_MS = 2000;
  const PAGE_SIZE = 50;
  const TOKEN_KEY = 'hookcast.token';
  const SVG = 'http://www.w3.org/2000/svg';

  const state = {
    token: null,
    filters: { route: '', backend: '', status: '', search: '' },
    cursors: [null],
    nextCursor: null,
    view: 0,
    selected: null,
    detailData: null,
    armed: new Set(),
    timer: null,
    polling: false,
    pollAgain: false,
    asking: false,
    routes: new Set(),
  };

  class Unauthorized extends Error {}

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  const $ = (selector) => document.querySelector(selector);

  /** Builds an element; strings among the children become text nodes, so data is never parsed as HTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  /**
   * Puts one node per item into parent, in order, reusing the node of an item whose data did not change: rows
   * under the pointer stay put while the list updates around them.
   */
  const renderedFrom = new WeakMap();

  function reconcile(parent, items, keyOf, render) {
    // A control with the focus whose item is rendered anew gets the focus back in the new node: a keyboard user's
    // second press (a bulk retry's confirmation) would otherwise land nowhere.
    const focused = parent.contains(document.activeElement) && document.activeElement.dataset.action
      ? document.activeElement : null;
    const focusedKey = focused ? focused.closest('[data-key]').dataset.key : null;
    const old = new Map();
    for (const child of Array.from(parent.children)) old.set(child.dataset.key, child);
    const wanted = items.map((item) => {
      const key = keyOf(item);
      const data = JSON.stringify(item);
      const existing = old.get(key);
      if (existing && renderedFrom.get(existing) === data) return existing;
      const node = render(item);
      node.dataset.key = key;
      renderedFrom.set(node, data);
      return node;
    });
    const keep = new Set(wanted);
    for (const child of Array.from(parent.children)) if (!keep.has(child)) child.remove();
    wanted.forEach((node, index) => {
      if (parent.children[index] !== node) parent.insertBefore(node, parent.children[index] || null);
    });
    if (focused && !focused.isConnected) {
      const item = Array.from(parent.children).find((node) => node.dataset.key === focusedKey);
      const again = item && Array.from(item.querySelectorAll('[data-action]'))
        .find((control) => control.dataset.action === focused.dataset.action);
      if (again) again.focus();
    }
  }

  // ---- formatting ----

  function clock(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  function dateTime(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    return date.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + clock(iso);
  }

  function age(ms) {
    if (ms === null || ms === undefined) return '—';
    const s = Math.round(ms / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min';
    if (s < 86400) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' d';
  }

  function bytes(n) {
    if (n === null || n === undefined) return '—';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1024 / 1024).toFixed(1) + ' MiB';
  }

  function badge(kind, text, title) {
    return el('span', { class: 'badge ' + kind, title }, text);
  }

  // ---- the API ----

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) throw new Unauthorized();
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (notJson) {
      data = null;
    }
    if (!response.ok) throw new ApiError(response.status, (data && data.error) || response.statusText);
    return data;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value) q.set(name, value);
    return q.toString();
  }

  // ---- token ----

  /** A token in the address (#token=…) is taken once and removed, so it is not left in history or bookmarks. */
  function takeToken() {
    const parts = location.hash.replace(/^#/, '').split('&');
    const part = parts.find((p) => p.startsWith('token='));
    if (part) {
      const token = decoded(part.slice('token='.length));
      const rest = parts.filter((p) => p !== part).join('&');
      history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
      if (token) {
        sessionStorage.setItem(TOKEN_KEY, token);
        return token;
      }
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function decoded(text) {
    try {
      return decodeURIComponent(text);
    } catch (malformed) {
      return text;
    }
  }

  function askForToken(reason) {
    state.asking = true;
    clearTimeout(state.timer);
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    $('#login-reason').textContent = reason;
    $('#login').hidden = false;
    $('#dashboard').hidden = true;
    $('#forget').hidden = true;
    setStatus('bad', 'Token needed');
    $('#token-input').focus();
  }

  function useToken(token) {
    state.token = token || null;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    state.asking = false;
    $('#login').hidden = true;
    $('#dashboard').hidden = false;
    $('#forget').hidden = !token;
    poll();
  }

  // ---- polling ----

  async function poll() {
    if (state.asking) return;
    if (state.polling) {
      state.pollAgain = true;
      return;
    }
    state.polling = true;
    clearTimeout(state.timer);
    const results = await Promise.allSettled([
      loadMessages(), loadSync(), loadBackends(), loadActivity(), state.selected ? loadDetail(state.selected) : null,
    ]);
    state.polling = false;
    if (state.asking) return;
    const failure = results.find((r) => r.status === 'rejected');
    if (failure && failure.reason instanceof Unauthorized) {
      askForToken(state.token ? 'The token was refused. Enter the admin token again.'
        : 'This Hookcast asks for its admin token.');
      return;
    }
    if (failure) {
      const e = failure.reason;
      setStatus('bad', e instanceof ApiError ? 'API answered ' + e.status + ': ' + e.message : 'API unreachable, retrying');
    } else {
      setStatus('ok', 'Live · updated ' + clock(new Date().toISOString()));
    }
    if (state.pollAgain) {
      state.pollAgain = false;
      poll();
    } else {
      state.timer = setTimeout(poll, POLL_MS);
    }
  }

  function setStatus(kind, text) {
    const status = $('#status');
    status.className = 'status ' + kind;
    status.textContent = text;
  }

  let flashTimer = null;

  function flash(text, kind) {
    const node = $('#flash');
    node.className = 'flash ' + (kind || 'ok');
    node.textContent = text;
    node.hidden = false;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => { node.hidden = true; }, 6000);
  }

  // ---- messages ----

  async function loadMessages() {
    const view = state.view;
    const f = state.filters;
    const search = f.search.trim();
    const list = query({
      route: f.route.trim(), backend: f.backend, status: f.status, sender: search, limit: PAGE_SIZE,
      cursor: search ? null : state.cursors[state.cursors.length - 1],
    });
    const [page, byId] = await Promise.all([
      api('GET', '/api/messages?' + list),
      search ? api('GET', '/api/messages/' + encodeURIComponent(search)).catch(notFound) : null,
    ]);
    // The operator turned the page or changed the filters meanwhile: this answer is for the page left, whose rows and
    // cursor would show under the new page's label.
    if (view !== state.view) return;
    let messages = page.messages;
    if (byId) messages = [summaryOf(byId)].concat(messages.filter((m) => m.id !== byId.id));
    state.nextCursor = search ? null : page.nextCursor;
    renderMessages(messages);
  }

  /** A search term that is no message id is fine: it may be a sender id. */
  function notFound(e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) return null;
    throw e;
  }

  function summaryOf(detail) {
    return {
      id: detail.id, route: detail.route, method: detail.method, path: detail.path, receivedAt: detail.receivedAt,
      size: detail.size, senderId: detail.senderId,
      deliveries: detail.deliveries.map((d) => {
        const last = d.attemptHistory[d.attemptHistory.length - 1];
        return {
          backend: d.backend, status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt,
          lastStatus: last ? last.status : null, lastError: last ? last.error : null,
          orderKey: d.orderKey, waitingFor: d.waitingFor,
        };
      }),
    };
  }

  function renderMessages(messages) {
    for (const m of messages) rememberRoute(m.route);
    const body = $('#messages tbody');
    if (messages.length === 0) {
      reconcile(body, [{ empty: true }], () => 'empty', () => el('tr', { class: 'empty' },
        el('td', { colspan: 6 }, 'No messages match.')));
    } else {
      reconcile(body, messages, (m) => 'm:' + m.id, messageRow);
    }
    markSelected();
    $('#older').disabled = !state.nextCursor;
    $('#newer').disabled = state.cursors.length <= 1;
    $('#page').textContent = state.filters.search.trim() ? 'Search results' : 'Page ' + state.cursors.length;
  }

  function messageRow(m) {
    return el('tr', { 'data-message-id': m.id, tabindex: 0, onclick: () => select(m.id) },
      el('td', { title: m.receivedAt }, dateTime(m.receivedAt)),
      el('td', {}, m.route),
      el('td', { class: 'request' }, el('code', {}, m.method + ' ' + m.path)),
      el('td', { class: 'num' }, bytes(m.size)),
      el('td', { class: 'sender' }, m.senderId || '—'),
      el('td', {}, m.deliveries.map((d) => badge('status-' + d.status, d.backend + ' ' + d.status
        + (d.attempts > 1 ? ' ×' + d.attempts : ''), deliveryTitle(d)))));
  }

  function deliveryTitle(d) {
    const parts = [d.attempts + ' attempt' + (d.attempts === 1 ? '' : 's')];
    if (d.lastStatus) parts.push('last answer ' + d.lastStatus);
    if (d.lastError) parts.push(d.lastError);
    if (d.nextAttemptAt) parts.push('next ' + dateTime(d.nextAttemptAt));
    if (d.waitingFor) parts.push('waiting for message ' + d.waitingFor + ' (key ' + d.orderKey + ')');
    return parts.join(' · ');
  }

  function markSelected() {
    for (const row of document.querySelectorAll('#messages tr[data-message-id]')) {
      row.classList.toggle('selected', row.dataset.messageId === state.selected);
    }
  }

  function rememberRoute(route) {
    if (!route || state.routes.has(route)) return;
    state.routes.add(route);
    $('#route-options').append(el('option', { value: route }));
  }

  // ---- sync webhooks ----

  async function loadSync() {
    const data = await api('GET', '/api/sync?' + query({
      route: state.filters.route.trim(), backend: state.filters.backend, limit: PAGE_SIZE,
    }));
    const body = $('#sync tbody');
    for (const w of data.webhooks) rememberRoute(w.route);
    if (data.webhooks.length === 0) {
      reconcile(body, [{ empty: true }], () => 'empty', () => el('tr', { class: 'empty' },
        el('td', { colspan: 6 }, 'No sync webhooks on this node yet.')));
      return;
    }
    reconcile(body, data.webhooks, (w) => 's:' + w.id, (w) => el('tr', { 'data-sync-id': w.id },
      el('td', { title: w.receivedAt + ' · request ' + w.id + (w.traceId ? ' · trace ' + w.traceId : '') }, dateTime(w.receivedAt)),
      el('td', {}, w.route),
      el('td', { class: 'request' }, el('code', {}, w.method + ' ' + w.path)),
      el('td', { class: 'num' }, bytes(w.size)),
      el('td', {}, badge(w.status < 400 ? 'status-delivered' : 'status-dead', String(w.status))),
      el('td', {}, w.deliveries.map((d) => badge('outcome-' + d.outcome,
        d.backend + ' ' + (d.status === null ? d.outcome : d.status) + ' ' + d.durationMs + ' ms',
        [d.outcome, d.attempts + ' attempt(s)', d.error, d.node && 'node ' + d.node].filter(Boolean).join(' · '))))));
  }

  // ---- backends ----

  async function loadBackends() {
    const data = await api('GET', '/api/backends');
    const select = $('#filter-backend');
    const names = data.backends.map((b) => b.name);
    const shown = Array.from(select.options).slice(1).map((o) => o.value);
    if (names.join('\n') !== shown.join('\n')) {
      const chosen = select.value;
      select.replaceChildren(el('option', { value: '' }, 'any'), ...names.map((n) => el('option', { value: n }, n)));
      select.value = names.includes(chosen) ? chosen : '';
      // The backend filtered on left the list (its last waiting delivery cancelled, say): a filter kept on it would
      // list its messages alone under a select that says "any".
      if (select.value !== chosen) filtersChanged();
    }
    const cards = data.backends.map((b) => Object.assign({}, b, { armed: state.armed.has(b.name) }));
    reconcile($('#backends'), cards, (b) => 'b:' + b.name, backendCard);
  }

  function backendCard(b) {
    const open = b.circuit.filter((c) => c !== 'closed');
    const rate = b.lastHour.successRate;
    // A backend that pushes back is slowing its deliveries down: worth a look, not an alarm.
    const pushedBack = b.rate && (b.rate.current < b.rate.perSecond || b.rate.pausedUntil);
    const health = open.length > 0 || (rate !== null && rate < 0.9) ? 'bad'
      : b.pending > 0 || (rate !== null && rate < 1) || pushedBack ? 'warn' : 'ok';
    return el('article', { class: 'card ' + health, 'data-backend': b.name },
      el('h3', {}, b.name, ' ', el('small', {}, b.configured === false ? 'no longer configured' : b.mode.join(' + '))),
      el('dl', {},
        el('dt', {}, 'Circuit'),
        el('dd', {}, b.circuit.length === 0 ? '—' : b.circuit.map((c) => badge('circuit-' + c.replace(/[^a-z_-]/gi, ''), c))),
        el('dt', {}, 'Pending'),
        el('dd', {}, String(b.pending)),
        el('dt', {}, 'Oldest pending'),
        el('dd', {}, age(b.oldestPendingAgeMs)),
        el('dt', {}, 'Last hour'),
        el('dd', { title: b.lastHour.delivered + ' delivered, ' + b.lastHour.failed + ' failed' },
          rate === null ? 'no attempts' : (rate * 100).toFixed(rate === 1 ? 0 : 1) + ' % ok',
          rate === null ? null : el('small', {}, ' ' + b.lastHour.delivered + '/' + (b.lastHour.delivered + b.lastHour.failed))),
        b.rate ? [el('dt', {}, 'Rate'), el('dd', { class: 'rate', title: 'async deliveries per second from this node' },
          perSecond(b.rate.current) + (b.rate.current < b.rate.perSecond ? ' of ' + perSecond(b.rate.perSecond) : ''))] : null),
      pushedBack ? el('p', { class: 'rate-reason' }, [b.rate.reason !== 'configured' ? b.rate.reason : null,
        b.rate.pausedUntil ? '(paused until ' + clock(b.rate.pausedUntil) + ')' : null].filter(Boolean).join(' ')) : null,
      b.mode.includes('async')
        ? el('button', {
          type: 'button', class: b.armed ? 'danger' : '', 'data-action': 'bulk-retry', 'data-backend': b.name,
          onclick: () => bulkRetry(b.name),
        }, b.armed ? 'Click again: retry all dead' : 'Retry all dead')
        : null);
  }

  /** 25/s, 27.5/s: the API gives one decimal, shown only when there is one. */
  function perSecond(n) {
    return (Number.isInteger(n) ? String(n) : n.toFixed(1)) + '/s';
  }

  /** A bulk retry can send thousands of webhooks: the first click arms the button, the second sends. */
  async function bulkRetry(backend) {
    if (!state.armed.has(backend)) {
      state.armed.add(backend);
      setTimeout(() => { state.armed.delete(backend); poll(); }, 4000);
      poll();
      return;
    }
    state.armed.delete(backend);
    await act(() => api('POST', '/api/deliveries/retry', { backend, status: 'dead' }),
      (r) => 'Queued ' + r.queued + ' dead deliveries to ' + backend);
  }

  // ---- activity chart ----

  async function loadActivity() {
    const data = await api('GET', '/api/activity?minutes=60');
    renderChart(data.minutes);
  }

  function renderChart(minutes) {
    const chart = $('#chart');
    const width = 600;
    const height = 140;
    const top = 14;
    const bottom = 18;
    const slots = 60;
    const byMinute = new Map(minutes.map((m) => [Date.parse(m.minute), m]));
    const latest = Math.max(Math.floor(Date.now() / 60000) * 60000, ...byMinute.keys());
    const series = [];
    for (let i = slots - 1; i >= 0; i--) {
      const at = latest - i * 60000;
      const m = byMinute.get(at);
      series.push({ at, delivered: m ? m.delivered : 0, failed: m ? m.failed : 0 });
    }
    const max = Math.max(1, ...series.map((s) => s.delivered + s.failed));
    const scale = (height - top - bottom) / max;
    const step = width / slots;
    const base = height - bottom;
    const bars = series.map((s, i) => {
      const x = i * step + 1;
      const w = step - 2;
      const ok = s.delivered * scale;
      const bad = s.failed * scale;
      return svg('g', {},
        svg('title', {}, clock(new Date(s.at).toISOString()) + ': ' + s.delivered + ' delivered, ' + s.failed + ' failed'),
        svg('rect', { x: x, y: 0, width: w, height: base, class: 'hit' }),
        s.delivered ? svg('rect', { x: x, y: base - ok, width: w, height: ok, class: 'ok' }) : null,
        s.failed ? svg('rect', { x: x, y: base - ok - bad, width: w, height: bad, class: 'bad' }) : null);
    });
    chart.replaceChildren(
      svg('line', { x1: 0, x2: width, y1: top, y2: top, class: 'grid' }),
      svg('text', { x: 2, y: top - 3, class: 'axis' }, max + ' / min'),
      svg('line', { x1: 0, x2: width, y1: base, y2: base, class: 'base' }),
      ...bars,
      svg('text', { x: 2, y: height - 4, class: 'axis' }, clock(new Date(series[0].at).toISOString())),
      svg('text', { x: width - 2, y: height - 4, class: 'axis end' }, 'now'));
    $('#chart-delivered').textContent = String(series.reduce((sum, s) => sum + s.delivered, 0));
    $('#chart-failed').textContent = String(series.reduce((sum, s) => sum + s.failed, 0));
  }

  // ---- detail ----

  function select(id) {
    state.selected = id;
    markSelected();
    const detail = $('#detail');
    state.detailData = null;
    detail.replaceChildren(el('p', { class: 'placeholder' }, 'Loading ' + id + '…'));
    loadDetail(id).catch((e) => flash(e.message || 'Could not load the message', 'bad'));
  }

  async function loadDetail(id) {
    let message;
    try {
      message = await api('GET', '/api/messages/' + encodeURIComponent(id));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      message = null;
    }
    if (state.selected !== id) return;
    const detail = $('#detail');
    const data = JSON.stringify(message);
    if (state.detailData === data) return;
    const open = new Set(Array.from(detail.querySelectorAll('details[open]')).map((d) => d.dataset.part));
    state.detailData = data;
    detail.replaceChildren(...(message ? renderDetail(message, open).flat() : [
      closeButton(), el('p', { class: 'placeholder' }, 'No message ' + id + ' (gone, or on another store).')]));
  }

  function closeButton() {
    return el('button', {
      type: 'button', class: 'quiet close', title: 'Close', onclick: () => {
        state.selected = null;
        markSelected();
        state.detailData = null;
        $('#detail').replaceChildren(el('p', { class: 'placeholder' }, 'Select a message to see every attempt.'));
      },
    }, '×');
  }

  function renderDetail(m, open) {
    return [
      closeButton(),
      el('h2', {}, 'Message'),
      el('p', { class: 'id' }, el('code', {}, m.id)),
      el('dl', { class: 'meta' },
        el('dt', {}, 'Route'), el('dd', {}, m.route),
        el('dt', {}, 'Request'), el('dd', {}, el('code', {}, m.method + ' ' + m.path)),
        el('dt', {}, 'Received'), el('dd', { title: m.receivedAt }, dateTime(m.receivedAt)),
        el('dt', {}, 'Size'), el('dd', {}, bytes(m.size)),
        el('dt', {}, 'Sender id'), el('dd', {}, m.senderId || '—')),
      el('div', { class: 'actions' },
        el('button', {
          type: 'button', 'data-action': 'retry-message', disabled: acting,
          onclick: () => act(() => api('POST', '/api/messages/' + encodeURIComponent(m.id) + '/retry'),
            (r) => 'Queued ' + r.queued + ' deliveries of the message'),
        }, 'Retry every backend')),
      m.deliveries.map((d) => deliverySection(m.id, d)),
      el('details', { 'data-part': 'headers', open: open.has('headers') },
        el('summary', {}, 'Headers (' + m.headers.length + ')'),
        el('table', { class: 'headers' }, el('tbody', {},
          m.headers.map(([name, value]) => el('tr', {}, el('th', {}, name), el('td', {}, value)))))),
      el('details', { 'data-part': 'body', open: open.has('body') },
        el('summary', {}, 'Body (' + bytes(m.size) + (m.bodyEncoding === 'base64' ? ', binary as base64' : '')
          + (m.bodyTruncated ? ', first 64 KiB' : '') + ')'),
        el('pre', { class: 'body' }, m.body)),
    ];
  }

  function deliverySection(id, d) {
    const path = '/api/messages/' + encodeURIComponent(id);
    const backend = encodeURIComponent(d.backend);
    return el('section', { class: 'delivery', 'data-backend': d.backend },
      el('header', {},
        el('h3', {}, d.backend),
        badge('status-' + d.status, d.status),
        el('span', { class: 'muted' }, d.attempts + ' attempt' + (d.attempts === 1 ? '' : 's')
          + (d.nextAttemptAt && d.status === 'pending' ? ' · next ' + dateTime(d.nextAttemptAt) : '')),
        el('span', { class: 'spacer' }),
        d.status === 'pending' ? el('button', {
          type: 'button', class: 'quiet', 'data-action': 'cancel-delivery', 'data-backend': d.backend, disabled: acting,
          onclick: () => act(() => api('POST', path + '/cancel?backend=' + backend),
            (r) => 'Cancelled ' + r.cancelled + ' pending delivery to ' + d.backend),
        }, 'Cancel') : null,
        el('button', {
          type: 'button', 'data-action': 'retry-delivery', 'data-backend': d.backend, disabled: acting,
          onclick: () => act(() => api('POST', path + '/retry?backend=' + backend),
            (r) => 'Queued ' + r.queued + ' delivery to ' + d.backend),
        }, 'Retry')),
      d.waitingFor ? el('p', { class: 'waiting', 'data-waiting-for': d.waitingFor }, 'Waiting for its key ',
        el('code', {}, d.orderKey), ': message ',
        el('a', { href: '#', onclick: (e) => { e.preventDefault(); select(d.waitingFor); } }, d.waitingFor),
        ' is delivered to ' + d.backend + ' first.') : null,
      d.attemptHistory.length === 0
        ? el('p', { class: 'muted' }, 'No attempt yet.')
        : el('ol', { class: 'timeline' }, d.attemptHistory.map(attemptItem)));
  }

  function attemptItem(a) {
    return el('li', {
      class: 'attempt outcome-' + a.outcome, 'data-attempt': a.attempt, 'data-manual': String(a.manual),
    },
      el('div', { class: 'line' },
        el('strong', {}, '#' + a.attempt),
        el('span', { title: a.startedAt }, dateTime(a.startedAt)),
        badge('outcome-' + a.outcome, a.status === null || a.status === undefined ? a.outcome : a.status + ' ' + a.outcome),
        el('span', {}, a.durationMs + ' ms'),
        badge(a.manual ? 'manual' : 'auto', a.manual ? 'manual' : 'auto'),
        a.node ? el('span', { class: 'muted node', title: 'made by node ' + a.node }, a.node) : null,
        a.traceId ? el('code', { class: 'muted trace', title: 'the OpenTelemetry trace of this attempt' }, 'trace ' + a.traceId) : null),
      a.error ? el('p', { class: 'error' }, a.error) : null,
      a.responseHead ? el('pre', { class: 'response' }, a.responseHead) : null);
  }

  /**
   * Whether an operator's action is under way. Its buttons take no press meanwhile: a retry queues a delivery whatever
   * its status, so a double-click would send the webhook twice.
   */
  let acting = false;

  function actionsDisabled(disabled) {
    for (const button of document.querySelectorAll('#detail button[data-action]')) button.disabled = disabled;
  }

  /** Runs an operator's action, says what it did, and refreshes at once instead of at the next tick. */
  async function act(call, describe) {
    if (acting) return;
    acting = true;
    actionsDisabled(true);
    try {
      flash(describe(await call()));
    } catch (e) {
      if (e instanceof Unauthorized) {
        askForToken('The token was refused. Enter the admin token again.');
        return;
      }
      flash(e instanceof ApiError ? e.message : 'The API did not answer', 'bad');
    } finally {
      acting = false;
      actionsDisabled(false);
    }
    poll();
  }

  // ---- wiring ----

  function filtersChanged() {
    state.filters = {
      route: $('#filter-route').value, backend: $('#filter-backend').value, status: $('#filter-status').value,
      search: $('#search').value,
    };
    state.cursors = [null];
    askForPage();
  }

  /**
   * Asks for the page the cursors and filters now name. Until it is in, Older has no cursor: the one it had is that
   * of the page asked for, and pushing it again would show the same rows under the next page's number.
   */
  function askForPage() {
    state.view += 1;
    state.nextCursor = null;
    $('#older').disabled = true;
    poll();
  }

  let typing = null;

  function typed() {
    clearTimeout(typing);
    typing = setTimeout(filtersChanged, 300);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('#filter-backend').addEventListener('change', filtersChanged);
    $('#filter-status').addEventListener('change', filtersChanged);
    $('#filter-route').addEventListener('input', typed);
    $('#search').addEventListener('input', typed);
    $('#filters').addEventListener('submit', (e) => { e.preventDefault(); filtersChanged(); });
    $('#older').addEventListener('click', () => {
      if (!state.nextCursor) return;
      state.cursors.push(state.nextCursor);
      askForPage();
    });
    $('#newer').addEventListener('click', () => {
      if (state.cursors.length > 1) state.cursors.pop();
      askForPage();
    });
    $('#messages tbody').addEventListener('keydown', (e) => {
      const row = e.target.closest('tr[data-message-id]');
      if (row && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        select(row.dataset.messageId);
      }
    });
    $('#token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const token = $('#token-input').value.trim();
      $('#token-input').value = '';
      if (token) useToken(token);
    });
    $('#forget').addEventListener('click', () => askForToken('Token forgotten. Enter the admin token to go on.'));
    useToken(takeToken());
  });
})();
