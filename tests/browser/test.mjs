// test.mjs: the HTML report in a real browser (Debian's Chromium). Builds reports with the real
// binary (`sprawl scan -f html`, `sprawl merge -f html`), opens them from file:// and checks
// through the DOM: counts, every filter value, search, keyboard, the blast-radius picture (and a
// screenshot of it that must not be blank), the summary, fields newer than the build, that the
// page requests nothing but itself and logs no error, and load/filter times of a generated
// report with 10,000 findings and 100,000 locations.
//
// usage: node test.mjs   (env: SPRAWL_BIN, CHROMIUM, SPRAWL_SCREENSHOT=path for the docs image)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildTree, largeReport, pageData, spliceData } from './fixture.mjs';
import { clean, expected, expectedOptions, inventory, launch, open, options, timeFilter } from './page.mjs';
import { pixelStats } from './png.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.SPRAWL_BIN || join(ROOT, 'target/release/sprawl');
const FILTERS = ['severity', 'application', 'environment', 'status', 'context'];
const work = mkdtempSync(join(tmpdir(), 'sprawl-html-'));
let context;
let small; // {html, json, doc} of the fixture scan

function sprawl(args) {
  const r = spawnSync(BIN, args, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.ok(r.status === 0 || r.status === 1, `sprawl ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r;
}

before(async () => {
  buildTree(ROOT, work);
  // Run in the work directory so the repository's root reads `shop`, as a user would scan it.
  const args = ['scan', 'shop', join(ROOT, 'fixtures/config'), '--no-config', '-q',
    '--rules', join(ROOT, 'fixtures/rules/test.toml')];
  const html = join(work, 'small.html');
  const json = join(work, 'small.json');
  sprawl([...args, '-f', 'html', '-o', html]);
  sprawl([...args, '-f', 'json', '-o', json]);
  small = { html, json, doc: pageData(readFileSync(html, 'utf8')) };
  context = await launch();
});

after(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

test('the page embeds the --format json document, redacted, in a 0600 file', () => {
  assert.equal(statSync(small.html).mode & 0o777, 0o600);
  const fromJson = JSON.parse(readFileSync(small.json, 'utf8'));
  assert.deepEqual(small.doc.findings, fromJson.findings);
  assert.ok(small.doc.findings.length >= 10, 'the fixture has findings');
  assert.ok(small.doc.findings.every((f) => /\u2026\(\d+ chars\)$/.test(f.secret)), 'secrets are redacted');
  assert.ok(small.doc.findings.some((f) => !f.live), 'the fixture has a history-only credential');
});

test('inventory: counts, every filter value, search, clear, keyboard', async () => {
  const p = await open(context, small.html, { width: 1280, height: 1600 }); // room for every row
  const { page } = p;
  const doc = small.doc;
  const n = doc.findings.length;
  let inv = await inventory(page);
  assert.equal(inv.total, n);
  assert.equal(inv.visible, n);
  assert.equal(inv.rows, n, 'every row of a small report is in the DOM');
  assert.match(inv.text, new RegExp(`^${n} credentials · ${doc.summary.locations} locations`));
  for (const filter of FILTERS) {
    const values = await options(page, 'f-' + filter);
    assert.deepEqual([...values].sort(), expectedOptions(doc, filter), `${filter} options`);
    for (const value of values) {
      const want = expected(doc, filter, value);
      const got = await timeFilter(page, 'f-' + filter, value);
      assert.equal(got.visible, want, `${filter} = ${value}`);
      assert.equal((await inventory(page)).rows, want, `${filter} = ${value}: rows in the DOM`);
      if (filter === 'severity') {
        const shown = await page.$$eval('#inv-scroll .row .c-severity .badge:first-child', (b) => b.map((x) => x.textContent));
        assert.ok(shown.every((s) => s === value), `rows shown for severity ${value}: ${shown}`);
      }
    }
    await timeFilter(page, 'f-' + filter, '');
    assert.equal((await inventory(page)).visible, n);
  }
  // Filters combine.
  await timeFilter(page, 'f-severity', 'high');
  await timeFilter(page, 'f-status', 'history-only');
  const both = doc.findings.filter((f) => f.severity === 'high' && !f.live).length;
  assert.equal((await inventory(page)).visible, both);
  await page.click('#f-reset');
  assert.equal((await inventory(page)).visible, n, 'Clear resets every filter');
  assert.equal(await page.$eval('#f-severity', (s) => s.value), '');

  // Search: a fingerprint prefix, a path fragment, nothing.
  const third = doc.findings[2];
  assert.equal((await timeFilter(page, 'f-search', third.fingerprint.slice(0, 12))).visible, 1);
  assert.equal(await page.$eval('#inv-scroll .row', (r) => r.dataset.index), '2');
  const billing = doc.findings.filter((f) => f.locations.some((l) => l.path.includes('services/billing'))).length;
  assert.ok(billing > 0);
  assert.equal((await timeFilter(page, 'f-search', 'services/billing')).visible, billing);
  const none = await timeFilter(page, 'f-search', 'no-such-credential-anywhere');
  assert.equal(none.visible, 0);
  assert.match((await inventory(page)).text, /no credential matches/);
  await page.click('#f-reset');

  // A file name holding markup is text, never markup.
  assert.equal((await timeFilter(page, 'f-search', 'onerror')).visible, 1);
  assert.equal(await page.locator('img').count(), 0);
  await page.click('#f-reset');

  // Keyboard: focus the first row, arrow down, Enter opens that credential's radius.
  await page.focus('#inv-scroll .row[data-pos="0"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#tab-radius', 'aria-selected'), 'true');
  assert.match(await page.textContent('#radius-pos'), /^credential 2 of /);
  // Tabs switch with the arrow keys.
  await page.focus('#tab-radius');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-summary', 'aria-selected'), 'true');
  clean(p);
  await page.close();
});

test('blast radius: applications, live and history-only copies, plan; screenshot not blank', async () => {
  const p = await open(context, small.html);
  const { page } = p;
  const doc = small.doc;
  // The credential in the most applications (the token shared by billing, web and history).
  const i = doc.findings.reduce((best, f, k) =>
    (f.blast_radius.applications.length > doc.findings[best].blast_radius.applications.length ? k : best), 0);
  const f = doc.findings[i];
  const history = f.locations.filter((l) => l.source === 'git' && !l.in_head).length;
  assert.ok(f.blast_radius.applications.length >= 2 && history >= 1, 'the fixture spreads one token');
  await page.fill('#f-search', f.fingerprint);
  await page.click('#inv-scroll .row');
  await page.waitForSelector('#radius-svg');
  assert.equal(await page.locator('#radius-svg .box.app').count(), f.blast_radius.applications.length);
  assert.equal(await page.locator('#radius-svg .box.loc.live').count(), f.locations.length - history);
  assert.equal(await page.locator('#radius-svg .box.loc.history').count(), history);
  assert.equal(await page.locator('#radius-svg .edge.to-loc.history').count(), history);
  const historyApps = f.blast_radius.applications.filter((a) => !a.live).length;
  assert.equal(await page.locator('#radius-svg .box.app.history').count(), historyApps);
  assert.equal(await page.locator('#radius-svg .edge.to-app.history').count(), historyApps);
  assert.equal(await page.locator('#radius-svg .hist-col').count(), 1);
  const apps = await page.$$eval('#radius-svg .box.app title', (t) => t.map((x) => x.textContent));
  for (const a of f.blast_radius.applications) {
    const tip = apps.find((t) => t.split('\n')[0] === a.name);
    assert.ok(tip, `application ${a.name} drawn`);
    for (const o of a.owners) assert.ok(tip.includes(o), `owner ${o} on ${a.name}`);
  }
  assert.equal(await page.locator('.plan > li').count(), f.plan.length);
  assert.equal(await page.locator('.loc-table tbody tr').count(), f.locations.length);
  assert.match(await page.textContent('#view-radius .note'), /not a query of its permissions/);

  const shot = await page.locator('#radius-svg').screenshot();
  const stats = pixelStats(shot);
  assert.ok(stats.colours >= 16 && stats.inked >= 0.05, `radius screenshot looks blank: ${JSON.stringify(stats)}`);
  const full = join(work, 'radius.png');
  await page.screenshot({ path: full });
  if (process.env.SPRAWL_SCREENSHOT) copyFileSync(full, process.env.SPRAWL_SCREENSHOT);
  console.log(`# radius screenshot: ${stats.width}x${stats.height}, ${stats.colours} colours, ${(stats.inked * 100).toFixed(1)}% inked`);

  // Summary: the sprawl chart counts every credential; a severity bar filters the inventory.
  await page.click('#tab-summary');
  const apps1 = await page.$$eval('#chart-apps .bar-row', (r) => r.map((x) => Number(x.dataset.count)));
  assert.equal(apps1.reduce((a, b) => a + b, 0), doc.findings.length);
  assert.equal(apps1[0], doc.findings.filter((x) => x.blast_radius.applications.length <= 1).length);
  const life = await page.$eval('#chart-lifetime .bar-row[data-label="static"]', (r) => Number(r.dataset.count));
  assert.equal(life, doc.findings.filter((x) => x.lifetime === 'static').length);
  await page.click('#chart-severity .bar-row[data-label="high"]'); // replaces the search above
  assert.equal(await page.getAttribute('#tab-inventory', 'aria-selected'), 'true');
  assert.equal((await inventory(page)).visible, expected(doc, 'severity', 'high'));
  assert.equal(await page.inputValue('#f-search'), '');
  clean(p);
  await page.close();
});

test('optional and future fields are shown when present, absent ones break nothing', async () => {
  const doc = structuredClone(small.doc);
  doc.summary.partial = true;
  doc.findings[0].identity = { kind: 'aws', access_key_id: 'AKIA-FAKE-ID', account: 123456789012 };
  doc.findings[0].strength = 'weak';
  doc.findings[0].rule_severity = 'critical';
  doc.findings.forEach((f) => f.locations.forEach((l, k) => Object.assign(l, { class: k % 2 ? 'test' : 'config', part: 'secret' })));
  const bare = doc.findings[doc.findings.length - 1];
  delete bare.blast_radius;
  delete bare.plan;
  delete bare.live;
  const file = join(work, 'newer.html');
  writeFileSync(file, spliceData(readFileSync(small.html, 'utf8'), doc));
  const p = await open(context, file);
  const { page } = p;
  assert.match(await page.textContent('#banner'), /Partial scan/);
  const first = page.locator('#inv-scroll .row[data-pos="0"]');
  assert.match(await first.locator('.c-identity').textContent(), /kind: aws · access_key_id: AKIA-FAKE-ID · account: 123456789012/);
  assert.equal(await first.locator('.badge.weak').count(), 1);
  const tests = doc.findings.filter((f) => f.locations.some((l) => l.class === 'test')).length;
  assert.equal((await timeFilter(page, 'f-context', 'class:test')).visible, tests);
  await page.click('#f-reset');
  await first.click();
  assert.match(await page.textContent('.facts'), /access_key_id: AKIA-FAKE-ID/);
  assert.match(await page.textContent('.facts'), /lowered from critical/);
  assert.match(await page.textContent('.loc-table tbody'), /config, secret/);
  await page.click('#tab-inventory');
  await page.fill('#f-search', bare.fingerprint);
  await page.click('#inv-scroll .row');
  assert.equal(await page.locator('#radius-svg .box.app').count(), new Set(bare.locations.map((l) => l.application)).size);
  assert.match(await page.textContent('#view-radius'), /No plan in this report/);
  clean(p);
  await page.close();
});

test('sprawl merge --format html writes the same inventory', async () => {
  const merged = join(work, 'merged.html');
  sprawl(['merge', small.json, '-f', 'html', '-o', merged]);
  assert.equal(statSync(merged).mode & 0o777, 0o600);
  const p = await open(context, merged);
  assert.equal((await inventory(p.page)).total, small.doc.findings.length);
  clean(p);
  await p.page.close();
});

test('a clean scan gives a page that says so, in every view', async () => {
  mkdirSync(join(work, 'clean'));
  writeFileSync(join(work, 'clean/README.md'), 'nothing to see\n');
  const html = join(work, 'clean.html');
  assert.equal(sprawl(['scan', 'clean', '--no-config', '-q', '-f', 'html', '-o', html]).status, 0);
  const p = await open(context, html);
  assert.equal(await p.page.textContent('#inv-count'), 'No secrets found.');
  for (const tab of ['radius', 'summary', 'issues', 'help']) await p.page.click('#tab-' + tab);
  await p.page.click('#tab-radius');
  assert.match(await p.page.textContent('#view-radius'), /found none/);
  clean(p);
  await p.page.close();
});

test('the Content-Security-Policy blocks any load the page might attempt', async () => {
  const p = await open(context, small.html);
  const blocked = await p.page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const img = new Image();
    img.src = 'https://example.invalid/pixel.png';
    const fetched = await fetch('https://example.invalid/').then(() => 'fetched', () => 'refused');
    await new Promise((r) => setTimeout(r, 100));
    return { violations: violations.sort(), fetched };
  });
  assert.deepEqual(blocked, { violations: ['connect-src', 'img-src'], fetched: 'refused' });
  // The image is seen as an attempt (so the other tests would catch one) and refused by the CSP.
  const others = p.seen.requests.filter((u) => u !== p.url);
  assert.deepEqual(others, ['https://example.invalid/pixel.png']);
  assert.deepEqual(p.seen.failed, [['https://example.invalid/pixel.png', 'csp']]);
  await p.page.close();
});

test('large report: 10,000 findings / 100,000 locations load and filter without freezing', async () => {
  const json = join(work, 'large.json');
  const html = join(work, 'large.html');
  writeFileSync(json, JSON.stringify(largeReport(10000, 100000)));
  const t0 = Date.now();
  sprawl(['merge', json, '-f', 'html', '-o', html]);
  const mergeMs = Date.now() - t0;
  const doc = pageData(readFileSync(html, 'utf8'));
  assert.equal(doc.findings.length, 10000);
  assert.equal(doc.summary.locations, 100000);
  const p = await open(context, html);
  const { page } = p;
  const inv = await inventory(page);
  assert.equal(inv.total, 10000);
  assert.match(inv.text, /^10,000 credentials · 100,000 locations/);
  assert.ok(inv.rows < 60, `virtualised: ${inv.rows} rows in the DOM`);
  const times = [];
  for (const filter of FILTERS) {
    // The value keeping closest to half the rows: a filter that changes the most.
    const value = (await options(page, 'f-' + filter))
      .map((v) => [v, Math.abs(expected(doc, filter, v) - 5000)]).sort((a, b) => a[1] - b[1])[0][0];
    const got = await timeFilter(page, 'f-' + filter, value);
    assert.equal(got.visible, expected(doc, filter, value), `${filter} = ${value}`);
    times.push({ what: `${filter} = ${value}`, ...got });
    times.push({ what: `${filter} cleared`, ...(await timeFilter(page, 'f-' + filter, '')) });
  }
  const term = doc.findings[5000].fingerprint.slice(0, 10);
  const found = await timeFilter(page, 'f-search', term);
  assert.equal(found.visible, 1);
  times.push({ what: 'search (fingerprint prefix)', ...found });
  const path = await timeFilter(page, 'f-search', 'repo-7/services/svc-3');
  const want = doc.findings.filter((f) => f.locations.some((l) => l.path.includes('repo-7/services/svc-3'))).length;
  assert.equal(path.visible, want);
  times.push({ what: 'search (path fragment)', ...path });
  await page.click('#f-reset');
  await page.$eval('#inv-scroll', (s) => (s.scrollTop = s.scrollHeight));
  await page.waitForSelector('#inv-scroll .row[data-pos="9999"]');
  // The credential with the most locations, drawn.
  const big = doc.findings.reduce((b, f, k) => (f.locations.length > doc.findings[b].locations.length ? k : b), 0);
  await page.fill('#f-search', doc.findings[big].fingerprint);
  const r0 = Date.now();
  await page.click('#inv-scroll .row');
  await page.waitForSelector('#radius-svg');
  const radiusMs = Date.now() - r0;
  clean(p);
  await page.close();
  const worst = Math.max(...times.map((t) => t.painted));
  console.log(`# large report: ${(statSync(html).size / 1e6).toFixed(1)} MB page, merge ${mergeMs} ms`);
  const m = p.marks;
  console.log(`# load: ready ${m.ready.toFixed(0)} ms after navigation start (${p.wallMs} ms wall, goto to ready): ` +
    `page received ${m.received.toFixed(0)}, JSON parsed ${m.parsed.toFixed(0)}, indexed ${m.indexed.toFixed(0)}`);
  for (const t of times) console.log(`# ${t.what}: ${t.visible} rows, handler ${t.sync.toFixed(1)} ms, painted ${t.painted.toFixed(1)} ms`);
  console.log(`# radius of the credential with ${doc.findings[big].locations.length} locations: ${radiusMs} ms`);
  // Generous bounds: CI shares two cores; the figures above go to bench/RESULTS.md.
  assert.ok(p.wallMs < 60000, `load took ${p.wallMs} ms`);
  assert.ok(worst < 3000, `a filter took ${worst} ms`);
});
