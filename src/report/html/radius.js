// radius.js: one credential's blast radius. An SVG reads left to right: the credential, the
// applications holding it (with their owners and environments), the live locations, and in a
// grey dashed column apart the copies only in git history. Each application's history copies
// sit on rows below its live ones, so their edges cross no box. The rotation plan stands
// beside the picture and every location is listed below it. Static: from the report alone.

const COL = {cred: {x: 8, w: 170}, app: {x: 214, w: 196}, live: {x: 446, w: 214}, hist: {x: 694, w: 214}};
const PIC_W = 916;
const HEAD_H = 34;
const ROW = 52;
const LOC_H = 44;
const MAX_APPS = 12;
const MAX_SIDE = 6;
const LOC_PAGE = 200;

/** Characters that fit in a box of width w: bold 12px for the first line, 11px after. */
function fits(w, first) {
  return Math.floor((w - 16) / (first ? 7.6 : 6.4));
}

/** The lines of text in a box; the first is bold. A path keeps its end, the rest their start. */
function boxText(x, y, w, lines, keepEnd) {
  const t = svgEl('text', {x: x + 8, y: y + 17});
  lines.forEach((line, k) => {
    const text = k === 0 && keepEnd ? cutStart(line, fits(w, true)) : cut(line, fits(w, k === 0));
    t.appendChild(svgEl('tspan', {x: x + 8, dy: k ? 15 : 0, class: k ? 'sub' : 'main', text}));
  });
  return t;
}

function box(x, y, w, h, cls, lines, tip) {
  return svgEl('g', {class: 'box ' + cls},
    svgEl('title', {text: tip || lines.join('\n')}),
    svgEl('rect', {x, y, width: w, height: h, rx: 6}),
    boxText(x, y, w, lines, cls.startsWith('loc')));
}

function edge(x1, y1, x2, y2, cls, bend) {
  const mid = x1 + (bend - x1) / 2;
  let d = 'M' + x1 + ',' + y1 + ' C' + mid + ',' + y1 + ' ' + mid + ',' + y2 + ' ' + bend + ',' + y2;
  if (bend < x2) d += ' L' + x2 + ',' + y2;
  return svgEl('path', {d, class: 'edge ' + cls});
}

function locationLines(l) {
  const tags = [l.class, l.part === 'id' ? 'key id' : ''].filter(Boolean).join(', ');
  const first = locationPath(l);
  if (l.source === 'git') {
    return [first, [str(l.commit).slice(0, 8), day(l.date), str(l.author)].filter(Boolean).join(' \u00b7 ') + (tags ? ' \u00b7 ' + tags : '')];
  }
  const where = [l.source, l.tool, l.context, tags].filter(Boolean).join(' \u00b7 ');
  return [first, where];
}

/** Rows of the picture, one band per application: [{app, live: [...], hist: [...], rows}]. */
function bands(r) {
  const byApp = new Map(r.apps.map((a) => [a.name, {app: a, live: [], hist: []}]));
  for (const l of r.locs) {
    const name = str(l.application) || str(l.root) || '(unnamed)';
    if (!byApp.has(name)) byApp.set(name, {app: {name, owners: unique(arr(l.owners)), environments: [], live: false}, live: [], hist: []});
    const b = byApp.get(name);
    (isLiveLocation(l) ? b.live : b.hist).push(l);
  }
  const all = [...byApp.values()];
  const shown = all.slice(0, MAX_APPS);
  for (const b of shown) {
    b.liveRows = Math.min(b.live.length, MAX_SIDE) + (b.live.length > MAX_SIDE ? 1 : 0);
    b.histRows = Math.min(b.hist.length, MAX_SIDE) + (b.hist.length > MAX_SIDE ? 1 : 0);
    b.rows = Math.max(1, b.liveRows + b.histRows);
  }
  return {shown, hidden: all.slice(MAX_APPS)};
}

/** The SVG picture of record r. */
function radiusPicture(r) {
  const {shown, hidden} = bands(r);
  const rows = shown.reduce((s, b) => s + b.rows, 0) + (hidden.length ? 1 : 0);
  const height = HEAD_H + Math.max(rows * ROW, 96) + 8;
  const svg = svgEl('svg', {id: 'radius-svg', width: PIC_W, height, viewBox: '0 0 ' + PIC_W + ' ' + height, role: 'img',
    'aria-label': 'Blast radius of ' + (r.ruleName || r.rule) + ': ' + plural(r.apps.length, 'application') + ', ' + plural(r.locs.length, 'location')});
  svg.appendChild(svgEl('rect', {class: 'hist-col', x: COL.hist.x - 8, y: 4, width: COL.hist.w + 16, height: height - 8, rx: 8}));
  const labels = [['cred', 'Credential'], ['app', 'Applications \u00b7 owners'], ['live', 'Live now'], ['hist', 'History only (not in HEAD)']];
  for (const [k, text] of labels) svg.appendChild(svgEl('text', {x: COL[k].x, y: 22, class: 'col-label', text}));

  const credH = 78;
  const credY = HEAD_H + Math.max(0, (rows * ROW - credH) / 2);
  const credMid = credY + credH / 2;
  const edges = svgEl('g', {class: 'edges'});
  const nodes = svgEl('g', {class: 'nodes'});
  svg.appendChild(edges);
  svg.appendChild(nodes);
  nodes.appendChild(box(COL.cred.x, credY, COL.cred.w, credH, 'cred sev-' + r.severity,
    [r.ruleName || r.rule, r.severity + (r.f.strength ? ' \u00b7 ' + r.f.strength : '') + ' \u00b7 ' + str(r.f.lifetime), str(r.f.secret), plural(r.apps.length, 'app') + ' \u00b7 ' + plural(r.locs.length, 'place')]));

  let y = HEAD_H;
  const credRight = COL.cred.x + COL.cred.w;
  const appRight = COL.app.x + COL.app.w;
  for (const b of shown) {
    const bandH = b.rows * ROW;
    const appLines = [b.app.name, 'owners: ' + (b.app.owners.length ? listShort(b.app.owners, 2) : 'none found')];
    if (b.app.environments.length) appLines.push('env: ' + b.app.environments.join(', '));
    const appH = appLines.length * 15 + 10;
    const appMid = y + bandH / 2;
    const appLive = b.live.length > 0;
    edges.appendChild(edge(credRight, credMid, COL.app.x, appMid, 'to-app ' + (appLive ? 'live' : 'history'), COL.app.x));
    nodes.appendChild(box(COL.app.x, appMid - appH / 2, COL.app.w, appH, appLive ? 'app' : 'app history',
      appLines, b.app.name + '\nowners: ' + (b.app.owners.join(', ') || 'none found') + (b.app.environments.length ? '\nenvironments: ' + b.app.environments.join(', ') : '')));
    const place = (list, col, firstRow, cls) => {
      list.slice(0, MAX_SIDE).forEach((l, k) => {
        const ly = y + (firstRow + k) * ROW + (ROW - LOC_H) / 2;
        edges.appendChild(edge(appRight, appMid, COL[col].x, ly + LOC_H / 2, 'to-loc ' + cls, COL.live.x - 14));
        nodes.appendChild(box(COL[col].x, ly, COL[col].w, LOC_H, 'loc ' + cls, locationLines(l)));
      });
      if (list.length > MAX_SIDE) {
        const ly = y + (firstRow + MAX_SIDE) * ROW + (ROW - LOC_H) / 2;
        nodes.appendChild(box(COL[col].x, ly, COL[col].w, LOC_H, 'more ' + cls, ['+' + num(list.length - MAX_SIDE) + ' more', 'listed below']));
      }
    };
    place(b.live, 'live', 0, 'live');
    place(b.hist, 'hist', b.liveRows, 'history');
    y += bandH;
  }
  if (!r.locs.some((l) => !isLiveLocation(l))) {
    svg.appendChild(svgEl('text', {x: COL.hist.x, y: HEAD_H + 20, class: 'empty', text: 'no copy only in history'}));
  }
  if (!r.locs.some(isLiveLocation)) {
    svg.appendChild(svgEl('text', {x: COL.live.x, y: height - 14, class: 'empty', text: 'no live copy: history only'}));
  }
  if (hidden.length) {
    const more = hidden.reduce((s, b) => s + b.live.length + b.hist.length, 0);
    nodes.appendChild(box(COL.app.x, y + (ROW - LOC_H) / 2, COL.app.w, LOC_H, 'more',
      ['+' + plural(hidden.length, 'application'), plural(more, 'location') + ', listed below'], hidden.map((b) => b.app.name).join('\n')));
  }
  return svg;
}

/** The rotation checklist. */
function planList(r) {
  const steps = arr(r.f.plan).filter(obj);
  if (!steps.length) return el('p', {class: 'muted', text: 'No plan in this report.'});
  return el('ol', {class: 'plan'}, steps.map((s) => el('li', null,
    el('strong', {text: str(s.action)}), ' ', str(s.detail),
    arr(s.targets).length ? el('ul', null, arr(s.targets).slice(0, 20).map((t) => el('li', {text: str(t)})),
      arr(s.targets).length > 20 ? el('li', {class: 'muted', text: '+' + num(arr(s.targets).length - 20) + ' more'}) : null) : null)));
}

/** Key facts of the credential. */
function factsList(r) {
  const f = r.f;
  const rows = [
    ['Rule', r.rule + (arr(f.other_rules).length ? ' (also: ' + arr(f.other_rules).join(', ') + ')' : '')],
    ['Severity', [badge(r.severity, 'sev-' + r.severity), f.rule_severity ? ' lowered from ' + str(f.rule_severity) + ' (no copy in config or source)' : '',
      f.strength ? ' \u00b7 strength: ' + str(f.strength) : '', f.confidence ? ' \u00b7 confidence: ' + str(f.confidence) : '']],
    ['Class', str(f.class) || unique(r.locs.map((l) => l.class)).join(', ') || 'not given'],
    ['Lifetime', str(f.lifetime)],
    ['Status', [statusBadge(r.live), r.live ? ' present now somewhere' : ' only in git history']],
    ['Risk', r.risk.toFixed(1)],
    ['Secret', el('code', {text: str(f.secret)})],
    ['Fingerprint', el('code', {class: 'fp', text: str(f.fingerprint)})],
  ];
  if (r.identity.length) rows.push(['Identity', el('ul', {class: 'kv'}, r.identity.map((p) => el('li', null, p[0] ? el('span', {class: 'k', text: p[0] + ': '}) : null, el('code', {text: p[1]}))))]);
  rows.push(['Environments', r.envs.join(', ') || 'none inferred']);
  if (r.first) rows.push(['First / last seen', day(r.first) + ' \u2192 ' + day(r.last)]);
  return el('dl', {class: 'facts'}, rows.map(([k, v]) => [el('dt', {text: k}), el('dd', null, v)]));
}

/** Every location, paged. */
function locationsTable(r) {
  const wrap = el('div', {class: 'locs'});
  const head = ['Status', 'Location', 'Source', 'Application', 'Environment', 'Context', 'Class', 'Commit', 'Date', 'Author'];
  const tbody = el('tbody');
  const table = el('table', {class: 'loc-table'}, el('thead', null, el('tr', null, head.map((h) => el('th', {scope: 'col', text: h})))), tbody);
  let shown = 0;
  const more = el('button', {type: 'button', class: 'more-btn'});
  const page = () => {
    for (const l of r.locs.slice(shown, shown + LOC_PAGE)) {
      tbody.appendChild(el('tr', {class: isLiveLocation(l) ? '' : 'is-history'},
        el('td', null, statusBadge(isLiveLocation(l))),
        el('td', {class: 'path', text: locationPath(l) + (l.column ? ':' + l.column : '')}),
        el('td', {text: str(l.source) + (arr(l.decoded).length ? ' (' + arr(l.decoded).join(' > ') + ')' : '')}),
        el('td', {text: str(l.application)}),
        el('td', {text: str(l.environment)}),
        el('td', {text: str(l.context)}),
        el('td', {text: [l.class, l.part].filter(Boolean).join(', ')}),
        el('td', {class: 'mono', text: str(l.commit).slice(0, 12)}),
        el('td', {text: day(l.date)}),
        el('td', {text: str(l.author)})));
    }
    shown = Math.min(r.locs.length, shown + LOC_PAGE);
    more.hidden = shown >= r.locs.length;
    more.textContent = 'Show ' + Math.min(LOC_PAGE, r.locs.length - shown) + ' more of ' + num(r.locs.length - shown);
  };
  more.addEventListener('click', page);
  page();
  wrap.append(el('h3', {text: plural(r.locs.length, 'location')}), table, more);
  return wrap;
}

/** The radius view: show(i) draws record i; prev/next walk the inventory's current rows. */
function createRadius(model, visible) {
  const view = document.getElementById('view-radius');
  let current = -1;
  function show(i) {
    const r = model.records[i];
    clear(view);
    if (!r) {
      view.appendChild(el('p', {class: 'muted', text: 'No credential to show: this scan found none.'}));
      return;
    }
    current = i;
    const rows = visible();
    const pos = rows.indexOf(i);
    const step = (d) => () => {
      const list = visible();
      const at = list.indexOf(current);
      const next = list[at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + d))];
      if (next !== undefined) show(next);
    };
    view.append(
      el('div', {class: 'radius-nav'},
        el('button', {type: 'button', id: 'radius-prev', onclick: step(-1), disabled: pos <= 0}, '\u25c0 Previous'),
        el('span', {id: 'radius-pos', text: pos < 0 ? 'not in the current filter' : 'credential ' + num(pos + 1) + ' of ' + num(rows.length) + ' in the inventory'}),
        el('button', {type: 'button', id: 'radius-next', onclick: step(1), disabled: pos < 0 || pos >= rows.length - 1}, 'Next \u25b6')),
      el('h2', {id: 'radius-title', text: r.ruleName || r.rule}),
      el('p', {class: 'note', text: 'Static blast radius: where this credential lives and who owns each place, from the scan alone \u2014 not a query of its permissions at the provider.'}),
      el('div', {class: 'radius-grid'},
        el('div', {class: 'picture'}, radiusPicture(r)),
        el('aside', {class: 'side'}, el('h3', {text: 'Rotation plan'}), planList(r), el('h3', {text: 'Credential'}), factsList(r))),
      locationsTable(r));
  }
  return {show, current: () => current};
}
