// page.mjs: the browser side of the test. Launches Debian's Chromium through playwright-core
// with a fresh profile and no network helpers, opens report pages recording every request,
// console error and page error, and reads the inventory's state. Also the expected results of
// each filter, computed from the JSON document independently of the page's own code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A browser context with a fresh user-data directory, 1280x800, light mode. Closing the
 * context also removes that directory. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'sprawl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 },
    colorScheme: 'light', offline: true,
  });
  const close = context.close.bind(context);
  context.close = async (...args) => {
    try {
      await close(...args);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  };
  return context;
}

/** Open a report; waits for the page to say it is ready. Returns the page and what it did. */
export async function open(context, file, viewport) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const url = pathToFileURL(file).href;
  const seen = { requests: [], failed: [], errors: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('requestfailed', (r) => seen.failed.push([r.url(), r.failure()?.errorText]));
  page.on('console', (m) => m.type() === 'error' && seen.errors.push('console: ' + m.text()));
  page.on('pageerror', (e) => seen.errors.push('page error: ' + e.message));
  // A page that breaks fails at once, not at the timeout: the first error ends the wait.
  let failed;
  const broken = new Promise((_, reject) => (failed = reject));
  page.on('pageerror', (e) => failed(new Error('page error while loading: ' + e.message)));
  page.on('console', (m) => m.type() === 'error' && failed(new Error('console error while loading: ' + m.text())));
  broken.catch(() => {});
  const t0 = Date.now();
  await Promise.race([broken, (async () => {
    await page.goto(url, { timeout: 120000 });
    await page.waitForSelector('html[data-ready="true"]', { timeout: 120000, state: 'attached' });
  })()]);
  const wallMs = Date.now() - t0;
  // Milliseconds after navigation start: file read and HTML parsed, JSON parsed, indexed, ready.
  const marks = await page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0].startTime;
    const nav = performance.getEntriesByType('navigation')[0];
    return { received: nav.responseEnd, parsed: at('sprawl-parsed'), indexed: at('sprawl-indexed'), ready: at('sprawl-ready') };
  });
  return { page, url, seen, wallMs, readyMs: marks.ready, marks };
}

/** The page loaded nothing but itself and logged no error. */
export function clean(p) {
  const others = p.seen.requests.filter((u) => u !== p.url);
  if (others.length) throw new Error('the page made requests: ' + others.join(', '));
  if (p.seen.errors.length) throw new Error('the page logged errors:\n' + p.seen.errors.join('\n'));
}

/** The inventory's count: {visible, total, text, rows (row elements in the DOM)}. */
export async function inventory(page) {
  return page.evaluate(() => {
    const c = document.getElementById('inv-count');
    return { visible: Number(c.dataset.visible), total: Number(c.dataset.total), text: c.textContent,
      rows: document.querySelectorAll('#inv-scroll .row').length };
  });
}

/**
 * Set a filter control (a select's value or the search box's text) as a user would, and time
 * it: `sync` is the event handler's run (filter and rows rebuilt), `painted` runs to the frame
 * after the next, when the result is on screen.
 */
export async function timeFilter(page, id, value) {
  return page.evaluate(async ([id, value]) => {
    const node = document.getElementById(id);
    const t0 = performance.now();
    node.value = value;
    node.dispatchEvent(new Event(node.tagName === 'INPUT' ? 'input' : 'change', { bubbles: true }));
    const sync = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const painted = performance.now() - t0;
    return { sync, painted, visible: Number(document.getElementById('inv-count').dataset.visible) };
  }, [id, value]);
}

/** Option values of a filter select (without the "any" entry). */
export async function options(page, id) {
  return page.$$eval(`#${id} option`, (os) => os.map((o) => o.value).filter(Boolean));
}

/** How many findings of doc each filter value should keep, from the document alone. */
export function expected(doc, filter, value) {
  const br = (f) => f.blast_radius || {};
  const test = {
    severity: (f) => f.severity === value,
    application: (f) => (br(f).applications || []).some((a) => a.name === value),
    environment: (f) => (value === '(none)' ? !(br(f).environments || []).length : (br(f).environments || []).includes(value)),
    status: (f) => (value === 'live' ? f.live : !f.live),
    context: (f) => (value.startsWith('class:')
      ? f.locations.some((l) => l.class === value.slice(6))
      : (br(f).sources || []).includes(value.slice(7))),
  }[filter];
  return doc.findings.filter(test).length;
}

/** The values each filter should offer, from the document alone. */
export function expectedOptions(doc, filter) {
  const values = new Set();
  for (const f of doc.findings) {
    const br = f.blast_radius || {};
    if (filter === 'severity') values.add(f.severity);
    if (filter === 'application') (br.applications || []).forEach((a) => values.add(a.name));
    if (filter === 'environment') (br.environments?.length ? br.environments : ['(none)']).forEach((e) => values.add(e));
    if (filter === 'status') values.add(f.live ? 'live' : 'history-only');
    if (filter === 'context') {
      f.locations.forEach((l) => l.class && values.add('class:' + l.class));
      (br.sources || []).forEach((s) => values.add('source:' + s));
    }
  }
  return [...values].sort();
}
