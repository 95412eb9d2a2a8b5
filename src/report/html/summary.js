// summary.js: the summary view. Bar charts of credentials by number of applications (the
// sprawl), by age (first seen in git history, relative to today), by lifetime (static keys
// against short-lived ones), by severity and by status, and the most sprawled credentials.
// Bars whose value is an inventory filter set that filter when chosen.

const DAY_MS = 86400000;
const APP_BUCKETS = [['1 application', 1, 1], ['2', 2, 2], ['3', 3, 3], ['4\u20135', 4, 5], ['6\u201310', 6, 10], ['11 or more', 11, Infinity]];
const AGE_BUCKETS = [['under 30 days', 0, 30], ['30\u201390 days', 30, 90], ['90 days\u20131 year', 90, 365], ['1\u20132 years', 365, 730], ['over 2 years', 730, Infinity]];

function countBy(records, keyOf, keys) {
  const counts = new Map(keys.map((k) => [k, 0]));
  for (const r of records) {
    const k = keyOf(r);
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  return [...counts.entries()];
}

function appBucket(r) {
  const n = Math.max(1, r.apps.length);
  const b = APP_BUCKETS.find(([, lo, hi]) => n >= lo && n <= hi);
  return b ? b[0] : APP_BUCKETS[APP_BUCKETS.length - 1][0];
}

function ageBucket(r, now) {
  const t = Date.parse(r.first);
  if (!r.first || Number.isNaN(t)) return 'no history date';
  const days = (now - t) / DAY_MS;
  const b = AGE_BUCKETS.find(([, lo, hi]) => days >= lo && days < hi);
  return b ? b[0] : AGE_BUCKETS[0][0];
}

/** One chart: rows of label, bar and count. onPick(label) makes rows buttons. */
function barChart(id, title, note, entries, onPick) {
  const max = Math.max(1, ...entries.map((e) => e[1]));
  const total = entries.reduce((s, e) => s + e[1], 0);
  const list = el('div', {class: 'bars', role: 'list'});
  for (const [label, n] of entries) {
    const bar = el('span', {class: 'bar'});
    bar.style.width = (n / max) * 100 + '%';
    const pct = total ? Math.round((n / total) * 100) + '%' : '';
    const inner = [el('span', {class: 'bar-label', text: label}), el('span', {class: 'bar-track'}, bar), el('span', {class: 'bar-n', text: num(n) + (pct ? ' \u00b7 ' + pct : '')})];
    const row = onPick && n
      ? el('button', {type: 'button', class: 'bar-row', role: 'listitem', title: 'Show these in the inventory', onclick: () => onPick(label)}, inner)
      : el('div', {class: 'bar-row', role: 'listitem'}, inner);
    row.dataset.label = label;
    row.dataset.count = String(n);
    list.appendChild(row);
  }
  return el('section', {class: 'chart', id}, el('h3', {text: title}), note ? el('p', {class: 'muted', text: note}) : null, list);
}

/** Draw the summary view into its section. */
function renderSummary(model, inventory, openRadius, showTab) {
  const view = clear(document.getElementById('view-summary'));
  const recs = model.records;
  const now = Date.now();
  const s = obj(model.doc.summary) || {};
  const filterTo = (key, value) => {
    inventory.filterBy(key, value);
    showTab('inventory');
  };
  view.appendChild(el('h2', {text: 'Summary'}));
  view.appendChild(el('p', {class: 'totals'},
    plural(recs.length, 'credential') + ' in ' + plural(model.totalLocations, 'location') + ' \u00b7 ' +
    plural(Number(s.files_scanned) || 0, 'file') + ' scanned' +
    (s.repositories ? ' \u00b7 ' + plural(s.repositories, 'repository').replace('repositorys', 'repositories') + ', ' + plural(s.commits_scanned || 0, 'commit') : '')));
  const grid = el('div', {class: 'charts'});
  grid.append(
    barChart('chart-apps', 'Sprawl: credentials by number of applications', 'A credential in many applications needs every one of them changed when it is rotated.',
      countBy(recs, appBucket, APP_BUCKETS.map((b) => b[0]))),
    barChart('chart-age', 'Age: first seen in git history', 'From the earliest commit that introduced a copy; credentials found only in files have no date.',
      countBy(recs, (r) => ageBucket(r, now), AGE_BUCKETS.map((b) => b[0]).concat(['no history date']))),
    barChart('chart-lifetime', 'Lifetime', 'Static keys live until someone revokes them; short-lived tokens expire by themselves.',
      countBy(recs, (r) => str(r.f.lifetime) || 'unknown', ['static', 'short-lived', 'unknown'])),
    barChart('chart-severity', 'Severity', null, countBy(recs, (r) => r.severity, SEVERITIES),
      (label) => filterTo('severity', label)),
    barChart('chart-status', 'Status', 'Live: present now in a file, a staged entry or HEAD. History only: in past commits.',
      countBy(recs, (r) => (r.live ? 'live' : 'history-only'), ['live', 'history-only']), (label) => filterTo('status', label)));
  view.appendChild(grid);

  const top = recs.filter((r) => r.apps.length > 1)
    .sort((a, b) => b.apps.length - a.apps.length || b.locs.length - a.locs.length || a.i - b.i).slice(0, 10);
  view.appendChild(el('h3', {text: 'Most sprawled credentials'}));
  if (!top.length) {
    view.appendChild(el('p', {class: 'muted', text: 'No credential is in more than one application.'}));
    return;
  }
  view.appendChild(el('ol', {class: 'top'}, top.map((r) => el('li', null,
    el('button', {type: 'button', class: 'link', onclick: () => openRadius(r.i)}, (r.ruleName || r.rule) + ' ' + str(r.f.secret)),
    ' \u2014 ' + plural(r.apps.length, 'application') + ', ' + plural(r.locs.length, 'location') + ': ' + listShort(r.apps.map((a) => a.name), 4)))));
}
