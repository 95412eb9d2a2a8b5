// inventory.js: the credentials table with its filters and search box. The table is
// virtualised: the scroll area is as tall as every matching row, but only the rows in view
// (plus a few either side) exist in the DOM, so 10,000 credentials scroll and filter without
// building 10,000 rows. Filtering runs on the indexes built by model.js.

const ROW_H = 32;
const OVERSCAN = 8;
const STATUS_LABEL = {live: 'live', 'history-only': 'history only'};

const COLUMNS = [
  {key: 'rank', label: '#', sort: 'rank', help: 'The report\'s ranking: code and configuration first, then severity, live before history-only, then risk', cell: (r) => String(r.i + 1)},
  {key: 'risk', label: 'Risk', sort: 'risk', cell: (r) => r.risk.toFixed(1)},
  {key: 'severity', label: 'Severity', sort: 'severity', cell: (r) => severityBadge(r), title: (r) => severityTitle(r)},
  {key: 'rule', label: 'Rule', sort: 'rule', cell: (r) => r.ruleName || r.rule, title: (r) => r.rule + (r.ruleName ? ' \u2014 ' + r.ruleName : '')},
  {key: 'identity', label: 'Identity', help: 'What the credential is for (account, key id), or its redacted value when the report does not say', cell: (r) => identityText(r) || str(r.f.secret)},
  {key: 'apps', label: 'Applications', sort: 'apps', cell: (r) => listShort(r.apps.map((a) => a.name), 2)},
  {key: 'envs', label: 'Environments', sort: 'envs', cell: (r) => r.envs.join(', ')},
  {key: 'status', label: 'Status', sort: 'status', cell: (r) => statusBadge(r.live)},
  {key: 'context', label: 'Context', cell: (r) => contextText(r)},
  {key: 'owners', label: 'Owners', sort: 'owners', cell: (r) => listShort(r.owners, 1)},
  {key: 'first', label: 'First seen', sort: 'first', cell: (r) => day(r.first)},
  {key: 'last', label: 'Last seen', sort: 'last', cell: (r) => day(r.last)},
  {key: 'locations', label: 'Places', sort: 'locations', cell: (r) => num(r.locs.length)},
];

function severityBadge(r) {
  const strength = str(r.f.strength);
  return [badge(r.severity, 'sev-' + r.severity), strength === 'weak' ? badge('weak', 'weak') : null];
}

/** The severity, and the rule's own when it was lowered (only in tests, docs, examples...). */
function severityTitle(r) {
  const rule = str(r.f.rule_severity);
  return r.severity + (rule ? ' (rule: ' + rule + '; lowered: no copy in config or source)' : '') + (r.f.strength ? ', ' + str(r.f.strength) + ' value' : '');
}

function statusBadge(live) {
  return live ? badge('live', 'live') : badge('history only', 'history');
}

function identityText(r) {
  return r.identity.map((p) => (p[0] ? p[0] + ': ' + p[1] : p[1])).join(' \u00b7 ');
}

/** Location contexts first (where in the file), then classes and kinds of place. */
function contextText(r) {
  const ctx = unique(r.locs.map((l) => l.context));
  const kinds = r.contexts.map((c) => c.replace(/^[a-z]+:/, ''));
  return unique(ctx.slice(0, 1).concat(kinds)).join(', ');
}

/** The inventory: owns the filter state, the current order and the visible rows. */
function createInventory(model, onOpen) {
  const state = {search: '', severity: '', application: '', environment: '', status: '', context: ''};
  const sort = {key: 'rank', descending: true};
  let order = sortOrder(model, sort.key, sort.descending);
  let visible = [];
  let shown = {first: -1, last: -1};
  const scroll = document.getElementById('inv-scroll');
  const spacer = document.getElementById('inv-spacer');
  const count = document.getElementById('inv-count');
  const table = document.getElementById('inv-table');

  buildHead();
  buildSelects();
  const search = document.getElementById('f-search');
  search.addEventListener('input', () => setFilter('search', search.value));
  document.getElementById('filters').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('filters').addEventListener('reset', (e) => {
    e.preventDefault();
    clearFilters();
    apply();
  });
  scroll.addEventListener('scroll', () => requestAnimationFrame(renderWindow), {passive: true});
  window.addEventListener('resize', () => renderWindow(true));
  scroll.addEventListener('keydown', onKey);
  apply();

  function buildSelects() {
    const labels = {severity: 'any severity', application: 'any application', environment: 'any environment', status: 'live or history', context: 'any context'};
    for (const k of FILTERS) {
      const select = document.getElementById('f-' + k);
      select.appendChild(el('option', {value: '', text: labels[k]}));
      for (const o of model.options[k]) {
        const text = (STATUS_LABEL[o.value] || o.value.replace(/^class:/, 'class: ').replace(/^source:/, 'source: ')) + ' (' + num(o.count) + ')';
        select.appendChild(el('option', {value: o.value, text}));
      }
      select.addEventListener('change', () => setFilter(k, select.value));
    }
  }

  function buildHead() {
    const head = document.getElementById('inv-head');
    for (const c of COLUMNS) {
      const cell = el('div', {class: 'cell c-' + c.key, role: 'columnheader', title: c.help || c.label});
      if (c.sort) {
        cell.appendChild(el('button', {type: 'button', class: 'sort', text: c.label, onclick: () => sortBy(c.sort)}));
        cell.dataset.sort = c.sort;
      } else {
        cell.textContent = c.label;
      }
      head.appendChild(cell);
    }
    markSort();
  }

  function markSort() {
    for (const cell of document.querySelectorAll('#inv-head [data-sort]')) {
      const on = cell.dataset.sort === sort.key;
      if (on) cell.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
      else cell.removeAttribute('aria-sort');
    }
  }

  function sortBy(key) {
    sort.descending = sort.key === key ? !sort.descending : key !== 'rule';
    sort.key = key;
    order = sortOrder(model, key, sort.descending);
    markSort();
    apply();
  }

  function clearFilters() {
    search.value = '';
    for (const k of FILTERS) document.getElementById('f-' + k).value = '';
    Object.keys(state).forEach((k) => (state[k] = ''));
  }

  function setFilter(key, value) {
    state[key] = value;
    apply();
  }

  /** Recompute the matching rows and redraw. */
  function apply() {
    const t0 = performance.now();
    visible = filterRecords(model, state, order);
    spacer.style.height = visible.length * ROW_H + 'px';
    table.setAttribute('aria-rowcount', String(visible.length + 1));
    let places = 0;
    for (const i of visible) places += model.records[i].locs.length;
    const total = model.records.length;
    count.textContent = visible.length === total
      ? plural(total, 'credential') + ' \u00b7 ' + plural(places, 'location')
      : num(visible.length) + ' of ' + plural(total, 'credential') + ' \u00b7 ' + plural(places, 'location');
    if (!total) count.textContent = 'No secrets found.';
    else if (!visible.length) count.textContent += ' \u2014 no credential matches these filters';
    count.dataset.visible = String(visible.length);
    count.dataset.total = String(total);
    scroll.scrollTop = 0;
    renderWindow(true);
    document.documentElement.dataset.filterMs = (performance.now() - t0).toFixed(1);
  }

  /** Draw the rows in view. */
  function renderWindow(force) {
    const height = scroll.clientHeight || 600;
    const first = Math.max(0, Math.floor(scroll.scrollTop / ROW_H) - OVERSCAN);
    const last = Math.min(visible.length, Math.ceil((scroll.scrollTop + height) / ROW_H) + OVERSCAN);
    if (force !== true && first === shown.first && last === shown.last) return;
    shown = {first, last};
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.pos : undefined;
    for (const row of [...scroll.querySelectorAll('.row')]) row.remove();
    const frag = document.createDocumentFragment();
    for (let pos = first; pos < last; pos++) frag.appendChild(buildRow(model.records[visible[pos]], pos));
    scroll.appendChild(frag);
    if (focused !== undefined) focusRow(Number(focused), false);
  }

  function buildRow(r, pos) {
    const row = el('div', {class: 'row' + (r.live ? '' : ' is-history'), role: 'row', tabindex: '0', 'aria-rowindex': pos + 2});
    row.dataset.pos = String(pos);
    row.dataset.index = String(r.i);
    row.style.top = pos * ROW_H + 'px';
    for (const c of COLUMNS) {
      const cell = el('div', {class: 'cell c-' + c.key, role: 'cell'}, c.cell(r));
      cell.title = c.title ? c.title(r) : cell.textContent;
      row.appendChild(cell);
    }
    row.addEventListener('click', () => onOpen(r.i));
    return row;
  }

  function focusRow(pos, scrollIntoView) {
    if (pos < 0 || pos >= visible.length) return;
    if (scrollIntoView) {
      const top = pos * ROW_H;
      if (top < scroll.scrollTop) scroll.scrollTop = top;
      else if (top + ROW_H > scroll.scrollTop + scroll.clientHeight) scroll.scrollTop = top + ROW_H - scroll.clientHeight;
      renderWindow();
    }
    const row = scroll.querySelector('.row[data-pos="' + pos + '"]');
    if (row) row.focus({preventScroll: true});
  }

  function onKey(e) {
    const pos = e.target && e.target.dataset ? Number(e.target.dataset.pos) : NaN;
    if (Number.isNaN(pos)) return;
    const page = Math.max(1, Math.floor(scroll.clientHeight / ROW_H) - 1);
    const moves = {ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page};
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(visible[pos]);
    } else if (moves[e.key]) {
      e.preventDefault();
      focusRow(Math.min(visible.length - 1, Math.max(0, pos + moves[e.key])), true);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusRow(e.key === 'Home' ? 0 : visible.length - 1, true);
    }
  }

  return {
    /** Record indices matching the current filters, in table order. */
    visible: () => visible,
    /** Show only the credentials with this filter value (the summary view's bars). */
    filterBy(key, value) {
      const select = document.getElementById('f-' + key);
      if (!select) return;
      clearFilters();
      select.value = value;
      setFilter(key, select.value);
    },
    refresh: () => renderWindow(true),
  };
}
