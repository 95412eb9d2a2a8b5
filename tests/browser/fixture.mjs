// fixture.mjs: what the browser test renders. A small git repository built from
// fixtures/tree/basic (several applications, CODEOWNERS, a file name holding markup, and a
// credential left only in history), a generated large report (10,000 findings, 100,000
// locations), and the splice that puts another JSON document into a page the binary wrote.
// Every secret here is fake: random `tst_` tokens made at run time (fixtures/rules/test.toml).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fake token for the test.token rule: `tst_` and 20 random alphanumerics. */
export function fakeToken() {
  return 'tst_' + [...randomBytes(20)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

function write(root, rel, text) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function git(cwd, args, date) {
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync('git', ['-c', 'user.name=Dana Dev', '-c', 'user.email=dana@example.invalid',
    '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, env, stdio: 'pipe' });
}

/** The repository `shop` under dir: returns its path. */
export function buildTree(repoRoot, dir) {
  const shop = join(dir, 'shop');
  cpSync(join(repoRoot, 'fixtures/tree/basic'), shop, { recursive: true });
  const shared = fakeToken();
  write(shop, 'services/billing/package.json', '{"name": "billing"}\n');
  write(shop, 'services/billing/.env.production', `BILLING_TOKEN=${shared}\n`);
  write(shop, 'services/web/package.json', '{"name": "web"}\n');
  write(shop, 'services/web/config/settings.staging.yml', `payments:\n  token: ${shared}\n`);
  write(shop, 'services/web/<img src=x onerror=alert(1)>.env', `WEB_TOKEN=${fakeToken()}\n`);
  write(shop, '.github/CODEOWNERS', '/services/billing/ @acme/billing\n/services/web/ @acme/web\n');
  git(shop, ['init', '-q'], '2023-03-01T10:00:00Z');
  git(shop, ['add', '-A'], '2023-03-01T10:00:00Z');
  git(shop, ['commit', '-q', '-m', 'initial'], '2023-03-01T10:00:00Z');
  // A copy of the shared token and a second token, committed and then deleted: history only.
  write(shop, 'deploy/prod/legacy.env', `LEGACY_TOKEN=${shared}\nOLD_TOKEN=${fakeToken()}\n`);
  git(shop, ['add', '-A'], '2024-01-10T09:30:00Z');
  git(shop, ['commit', '-q', '-m', 'deploy settings'], '2024-01-10T09:30:00Z');
  rmSync(join(shop, 'deploy'), { recursive: true });
  git(shop, ['add', '-A'], '2024-02-01T12:00:00Z');
  git(shop, ['commit', '-q', '-m', 'remove deploy settings'], '2024-02-01T12:00:00Z');
  return shop;
}

/** Escape a document as the binary does for the page's data element. */
function embed(doc) {
  return JSON.stringify(doc).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The page html with its embedded document replaced by doc (script, style and CSP kept). */
export function spliceData(html, doc) {
  const open = '<script type="application/json" id="sprawl-data">';
  const start = html.indexOf(open) + open.length;
  const end = html.indexOf('</script>', start);
  if (start < open.length || end < 0) throw new Error('no data element in the page');
  return html.slice(0, start) + embed(doc) + html.slice(end);
}

/** The document embedded in a page. */
export function pageData(html) {
  const m = html.match(/<script type="application\/json" id="sprawl-data">([^]*?)<\/script>/);
  if (!m) throw new Error('no data element in the page');
  return JSON.parse(m[1]);
}

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEV = ['critical', 'high', 'high', 'medium', 'medium', 'low', 'info'];
const ENVS = ['prod', 'staging', 'dev', 'test', 'app'];

/**
 * A report document (`sprawl merge` input) with `findings` findings and exactly `locations`
 * locations, spread over 40 rules, 60 repositories and 300 applications; about a third of
 * the locations are history blobs. Blast radius and plan are left to `sprawl merge`.
 */
export function largeReport(findings, locations) {
  const rand = rng(16);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const out = [];
  let left = locations;
  for (let i = 0; i < findings; i++) {
    const n = i === findings - 1 ? left : Math.max(1, Math.min(left - (findings - 1 - i), 1 + Math.floor(rand() * 19)));
    left -= n;
    const repo = Math.floor(rand() * 60);
    const locs = [];
    for (let k = 0; k < n; k++) {
      const r = k === 0 ? repo : Math.floor(rand() * 60);
      const svc = Math.floor(rand() * 5);
      const env = pick(ENVS);
      const file = k % 7 === 6 ? `test/${env}.env` : k % 11 === 10 ? 'docs/setup.md' : `config/${env}.env`;
      const loc = {
        root: 'org', path: `repo-${r}/services/svc-${svc}/${file}`, line: 1 + k, column: 7,
        source: 'file', context: `TOKEN_${k}`, application: `repo-${r}/services/svc-${svc}`,
        class: file.split('/')[0] === 'config' ? 'config' : file.split('/')[0],
        owners: [`@acme/team-${r % 12}`],
      };
      if (rand() < 0.33) {
        const day = 1 + Math.floor(rand() * 1400);
        Object.assign(loc, {
          source: 'git', commit: createHash('sha1').update(`c${i}.${k}`).digest('hex'),
          author: `Dev ${r % 30}`, email: `dev${r % 30}@example.invalid`,
          date: new Date(Date.UTC(2021, 0, day)).toISOString().replace('.000Z', 'Z'),
          blob: createHash('sha1').update(`b${i}.${k}`).digest('hex'), commit_count: 1 + (k % 4), in_head: rand() < 0.3,
        });
      }
      locs.push(loc);
    }
    locs.sort((a, b) => (a.root + a.path).localeCompare(b.root + b.path) || a.line - b.line);
    out.push({
      rule: { id: `gen.rule-${i % 40}`, name: `Generated rule ${i % 40}` }, severity: SEV[i % SEV.length],
      confidence: 'high', lifetime: ['static', 'static', 'short-lived', 'unknown'][i % 4],
      fingerprint: 'v2:' + createHash('sha256').update(`finding ${i}`).digest('hex'), secret: 'gen_\u2026(32 chars)',
      live: locs.some((l) => l.source !== 'git' || l.in_head), locations: locs, remediation: 'Rotate the generated token.',
    });
  }
  const summary = { files_scanned: 50000, bytes_scanned: 1 << 30, findings, locations, issues: 0, elapsed_ms: 1 };
  return { schema_version: 2, tool: { name: 'sprawl', version: 'generated' }, findings: out, issues: [], summary };
}
