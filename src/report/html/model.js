// model.js: the report document -> one record per credential, with everything the views
// filter, sort and search on computed once at load (a bitmap per filter value, one lowercase
// search string per credential), so filtering 10,000 credentials is one pass over flat arrays.
// Reads the document defensively: fields added after schema 1 (identity, strength, a
// location's class and part, summary.partial) are used when present and never required.

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const ENV_ORDER = ['production', 'staging', 'development', 'test', 'ci'];
const FILTERS = ['severity', 'application', 'environment', 'status', 'context'];

/** A location is live unless it is a git blob HEAD's tree does not hold (as in blast.rs). */
function isLiveLocation(l) {
  return l.source !== 'git' || l.in_head === true;
}

/** The location as `root/path:line` (root alone when path is empty; `./` dropped). */
function locationPath(l) {
  const root = str(l.root);
  const path = str(l.path);
  let p = !path ? root : root === '.' || root === '' ? path : root.replace(/\/+$/, '') + '/' + path;
  if (p.startsWith('./')) p = p.slice(2);
  return l.line ? p + ':' + l.line : p;
}

/** identity (any JSON value) -> [[key, value]] pairs for display. */
function identityPairs(id) {
  if (id === undefined || id === null || id === '') return [];
  if (typeof id !== 'object' || Array.isArray(id)) return [['', typeof id === 'object' ? JSON.stringify(id) : str(id)]];
  return Object.keys(id).map((k) => [k, typeof id[k] === 'object' && id[k] !== null ? JSON.stringify(id[k]) : str(id[k])]);
}

/** Applications of a finding: blast_radius.applications, or derived from its locations. */
function applicationsOf(f, locs) {
  const br = obj(f.blast_radius) || {};
  const given = arr(br.applications).filter(obj);
  if (given.length) {
    return given.map((a) => ({
      name: str(a.name) || '(unnamed)',
      owners: unique(arr(a.owners)),
      environments: unique(arr(a.environments)),
      live: a.live !== false,
    }));
  }
  const byName = new Map();
  for (const l of locs) {
    const name = str(l.application) || str(l.root) || '(unnamed)';
    const a = byName.get(name) || {name, owners: [], environments: [], live: false};
    a.owners = unique(a.owners.concat(arr(l.owners)));
    if (l.environment) a.environments = unique(a.environments.concat([l.environment]));
    a.live = a.live || isLiveLocation(l);
    byName.set(name, a);
  }
  return [...byName.values()];
}

/** One finding -> the record the views use. */
function buildRecord(f, i) {
  const locs = arr(f.locations).filter(obj);
  const br = obj(f.blast_radius) || {};
  const rule = obj(f.rule) || {};
  const apps = applicationsOf(f, locs);
  const envs = unique(arr(br.environments).concat(locs.map((l) => l.environment), apps.flatMap((a) => a.environments)));
  const owners = unique(apps.flatMap((a) => a.owners).concat(locs.flatMap((l) => arr(l.owners))));
  const live = typeof f.live === 'boolean' ? f.live : typeof br.live === 'boolean' ? br.live : locs.some(isLiveLocation);
  const sources = arr(br.sources).length
    ? arr(br.sources)
    : unique(locs.map((l) => (l.source === 'git' ? 'git-history' : l.source)));
  const classes = unique(locs.map((l) => l.class));
  const dates = locs.map((l) => str(l.date)).filter(Boolean).sort();
  const first = obj(br.first_seen) ? str(br.first_seen.date) : dates[0] || '';
  const last = obj(br.last_seen) ? str(br.last_seen.date) : dates[dates.length - 1] || '';
  const identity = identityPairs(f.identity);
  const severity = str(f.severity) || 'info';
  const rank = SEVERITIES.indexOf(severity);
  const hay = [rule.id, rule.name, f.secret, f.fingerprint, severity, f.strength, f.lifetime]
    .concat(identity.map((p) => p[0] + ' ' + p[1]), apps.map((a) => a.name), envs, owners, arr(f.other_rules));
  for (const l of locs) hay.push(locationPath(l), l.context, l.class, l.commit, l.author, l.email);
  return {
    i,
    f,
    locs,
    rule: str(rule.id),
    ruleName: str(rule.name),
    severity,
    sevRank: rank < 0 ? SEVERITIES.length : rank,
    risk: Number(br.risk) || 0,
    apps,
    envs,
    owners,
    live,
    contexts: classes.map((c) => 'class:' + c).concat(sources.map((s) => 'source:' + s)),
    first,
    last,
    identity,
    hay: hay.filter((x) => x !== undefined && x !== null && x !== '').join('\n').toLowerCase(),
  };
}

/** The values a record has for one filter. */
function valuesOf(r, filter) {
  switch (filter) {
    case 'severity': return [r.severity];
    case 'application': return r.apps.map((a) => a.name);
    case 'environment': return r.envs.length ? r.envs : ['(none)'];
    case 'status': return [r.live ? 'live' : 'history-only'];
    case 'context': return r.contexts;
    default: return [];
  }
}

/** Order filter values for a select: severities and environments by weight, others by count. */
function orderValues(filter, counts) {
  const keys = [...counts.keys()];
  const weight = (list) => (v) => (list.indexOf(v) < 0 ? list.length : list.indexOf(v));
  if (filter === 'severity') return keys.sort((a, b) => weight(SEVERITIES)(a) - weight(SEVERITIES)(b));
  if (filter === 'environment') return keys.sort((a, b) => weight(ENV_ORDER)(a) - weight(ENV_ORDER)(b) || a.localeCompare(b));
  if (filter === 'status') return keys.sort();
  if (filter === 'context') return keys.sort((a, b) => a.localeCompare(b));
  return keys.sort((a, b) => counts.get(b) - counts.get(a) || a.localeCompare(b));
}

/** Parse the embedded document and index it. */
function buildModel(doc) {
  const findings = arr(doc.findings).filter(obj);
  const records = findings.map(buildRecord);
  const n = records.length;
  const index = {};
  const options = {};
  for (const filter of FILTERS) {
    const bitmaps = new Map();
    const counts = new Map();
    records.forEach((r, i) => {
      for (const v of valuesOf(r, filter)) {
        let bits = bitmaps.get(v);
        if (!bits) bitmaps.set(v, (bits = new Uint8Array(n)));
        if (!bits[i]) counts.set(v, (counts.get(v) || 0) + 1);
        bits[i] = 1;
      }
    });
    index[filter] = bitmaps;
    options[filter] = orderValues(filter, counts).map((v) => ({value: v, count: counts.get(v)}));
  }
  return {doc, records, index, options, totalLocations: records.reduce((s, r) => s + r.locs.length, 0)};
}

/** Indices of the records passing `state` ({search, severity, ...}), in `order`. */
function filterRecords(model, state, order) {
  const maps = FILTERS.filter((k) => state[k]).map((k) => model.index[k].get(state[k]) || new Uint8Array(0));
  const terms = str(state.search).toLowerCase().split(/\s+/).filter(Boolean);
  const out = [];
  const recs = model.records;
  outer: for (const i of order) {
    for (const m of maps) if (!m[i]) continue outer;
    if (terms.length) {
      const hay = recs[i].hay;
      for (const t of terms) if (hay.indexOf(t) < 0) continue outer;
    }
    out.push(i);
  }
  return out;
}

/** Record indices sorted by one column key, ties in document (risk) order. */
function sortOrder(model, key, descending) {
  const recs = model.records;
  const keyOf = SORT_KEYS[key] || SORT_KEYS.risk;
  const keys = recs.map(keyOf);
  const idx = recs.map((r) => r.i);
  const dir = descending ? -1 : 1;
  idx.sort((a, b) => {
    const x = keys[a];
    const y = keys[b];
    const c = x < y ? -1 : x > y ? 1 : 0;
    return c * dir || a - b;
  });
  return idx;
}

/** Sort keys; larger means worse/more where that has a meaning. */
const SORT_KEYS = {
  // The report's own order (docs/correlation.md, "Ranking"): first is worst.
  rank: (r) => -r.i,
  risk: (r) => r.risk,
  severity: (r) => SEVERITIES.length - r.sevRank,
  rule: (r) => r.rule,
  apps: (r) => r.apps.length,
  envs: (r) => r.envs.length,
  status: (r) => (r.live ? 1 : 0),
  owners: (r) => r.owners.length,
  first: (r) => r.first,
  last: (r) => r.last,
  locations: (r) => r.locs.length,
};
