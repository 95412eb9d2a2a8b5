// app.js: start-up. Reads the embedded document, builds the model, fills the header, the
// banners and the issues view, wires the tabs (arrow keys move between them), and marks the
// page ready (html[data-ready], performance mark 'sprawl-ready') for the browser test. A
// failure is shown on the page and logged as a console error, never swallowed.

const TABS = ['inventory', 'radius', 'summary', 'issues', 'help'];
const REDACTED = /\u2026\(\d+ chars\)$/;

function showError(message) {
  const banner = document.getElementById('banner');
  banner.hidden = false;
  banner.className = 'banner error';
  banner.textContent = 'This report could not be displayed: ' + message;
}

function headerLine(doc) {
  const tool = obj(doc.tool) || {};
  const s = obj(doc.summary) || {};
  const parts = [str(tool.name || 'sprawl') + ' ' + str(tool.version), 'schema ' + str(doc.schema_version)];
  parts.push(plural(Number(s.files_scanned) || 0, 'file') + ' scanned');
  if (s.commits_scanned) parts.push(plural(s.commits_scanned, 'commit'));
  if (s.issues) parts.push(plural(s.issues, 'issue'));
  if (s.elapsed_ms !== undefined) parts.push((Number(s.elapsed_ms) / 1000).toFixed(2) + ' s');
  return parts.join(' \u00b7 ');
}

function banners(model) {
  const doc = model.doc;
  const notes = [];
  const s = obj(doc.summary) || {};
  if (s.partial === true) notes.push('Partial scan: some inputs could not be scanned completely (see Issues), so this report may be missing credentials.');
  if (model.records.some((r) => r.f.secret && !REDACTED.test(str(r.f.secret)))) {
    notes.push('This report shows secret values (--show-secrets): treat the file as a credential store.');
  }
  const b = obj(doc.baseline);
  if (b) notes.push('Baseline ' + str(b.file) + ': ' + num(b.suppressed) + ' known credentials not shown, ' + num(arr(b.still_present).length) + ' still present, ' + num(arr(b.resolved).length) + ' resolved.');
  if (!notes.length) return;
  const banner = document.getElementById('banner');
  banner.hidden = false;
  notes.forEach((n) => banner.appendChild(el('p', {text: n})));
}

function renderIssues(doc) {
  const view = clear(document.getElementById('view-issues'));
  const issues = arr(doc.issues).filter(obj);
  view.appendChild(el('h2', {text: plural(issues.length, 'issue')}));
  if (!issues.length) {
    view.appendChild(el('p', {class: 'muted', text: 'Every input was read completely.'}));
  } else {
    const shown = issues.slice(0, 2000);
    view.appendChild(el('table', {class: 'loc-table'},
      el('thead', null, el('tr', null, ['Kind', 'Path', 'Reason'].map((h) => el('th', {scope: 'col', text: h})))),
      el('tbody', null, shown.map((i) => el('tr', null, el('td', {text: str(i.kind)}), el('td', {class: 'path', text: str(i.path)}), el('td', {text: str(i.reason)}))))));
    if (issues.length > shown.length) view.appendChild(el('p', {class: 'muted', text: '+' + num(issues.length - shown.length) + ' more'}));
  }
  const b = obj(doc.baseline);
  if (!b) return;
  view.appendChild(el('h2', {text: 'Baseline ' + str(b.file)}));
  const list = (title, items) => [el('h3', {text: title + ' (' + num(items.length) + ')'}),
    el('ul', null, items.slice(0, 500).map((e) => el('li', {text: str(e.rule) + ' in ' + str(e.application) + ' (key ' + str(e.key).slice(0, 12) + ')'})))];
  view.append(...list('Still present', arr(b.still_present).filter(obj)), ...list('Resolved', arr(b.resolved).filter(obj)));
}

function start() {
  const data = document.getElementById('sprawl-data');
  const doc = JSON.parse(data.textContent);
  performance.mark('sprawl-parsed');
  const model = buildModel(doc);
  performance.mark('sprawl-indexed');
  document.getElementById('meta').textContent = headerLine(doc);
  banners(model);

  let summaryDrawn = false;
  const tabs = TABS.map((t) => document.getElementById('tab-' + t));
  function showTab(name, focus) {
    TABS.forEach((t, k) => {
      const on = t === name;
      tabs[k].setAttribute('aria-selected', String(on));
      tabs[k].tabIndex = on ? 0 : -1;
      document.getElementById('view-' + t).hidden = !on;
    });
    if (focus) tabs[TABS.indexOf(name)].focus();
    if (name === 'summary' && !summaryDrawn) {
      summaryDrawn = true;
      renderSummary(model, inventory, openRadius, showTab);
    }
    if (name === 'radius' && radius.current() < 0) radius.show(inventory.visible()[0] ?? 0);
    if (name === 'inventory') inventory.refresh();
  }
  function openRadius(i) {
    radius.show(i);
    showTab('radius');
    window.scrollTo(0, 0);
  }
  const inventory = createInventory(model, openRadius);
  const radius = createRadius(model, () => inventory.visible());
  tabs.forEach((tab, k) => {
    tab.addEventListener('click', () => showTab(TABS[k]));
    tab.addEventListener('keydown', (e) => {
      const d = {ArrowRight: 1, ArrowLeft: -1}[e.key];
      if (d) showTab(TABS[(k + d + TABS.length) % TABS.length], true);
    });
  });
  document.getElementById('tab-issues').textContent = 'Issues (' + num(arr(doc.issues).length) + ')';
  renderIssues(doc);
  performance.mark('sprawl-ready');
  document.documentElement.dataset.ready = 'true';
}

try {
  start();
} catch (e) {
  showError(e && e.message ? e.message : String(e));
  console.error('sprawl report:', e);
}
