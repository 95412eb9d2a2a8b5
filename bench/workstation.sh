#!/usr/bin/env bash
# Workstation scan benchmark: `sprawl scan --workstation` on a generated home of 100,000 files
# (projects, documents, app configs and every credential file of the documented table, with
# 50,000-line bash and zsh histories), plus skipped caches on top (~/.cache, ~/.rustup,
# ~/.cargo/registry, node_modules, ~/.kube/cache, gcloud logs, a browser profile).
#
# usage: bench/workstation.sh [RUNS]
#   RUNS   timed runs of each command (default 5); the median is reported
# env:
#   FILES=N            files outside the skipped caches (default 100000)
#   CACHE_FILES=N      files inside them (default 60000)
#   THREADS=N          sprawl --threads (default 2)
#   KEEP=DIR           build the home in DIR and keep it (default: a temp dir, removed)
#   CARGO_TARGET_DIR   as for cargo
#
# Times two commands, whole-process wall time (rule compilation included):
#   1. sprawl scan --workstation --home HOME                (the machine alone)
#   2. sprawl scan --workstation --home HOME HOME/src       (and the projects on it)
# Every secret in the home is generated here at run time (Python `secrets`), so this script
# holds no token-shaped string for sprawl's self-scan. Nothing here is needed by CI.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
FILES=${FILES:-100000}
CACHE_FILES=${CACHE_FILES:-60000}
THREADS=${THREADS:-2}

log() { printf '%s\n' "$*" >&2; }
command -v python3 >/dev/null 2>&1 || { log "error: need python3"; exit 2; }

log "building sprawl (cargo build --release)"
(cd "$ROOT" && cargo build --release --locked --quiet)
SPRAWL=${CARGO_TARGET_DIR:-$ROOT/target}/release/sprawl

if [ -n "${KEEP:-}" ]; then
  WORK=$KEEP
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/sprawl-workstation.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
HOME_DIR=$WORK/home

if [ ! -d "$HOME_DIR" ]; then
  log "generating $HOME_DIR: $FILES files + $CACHE_FILES in skipped caches"
  python3 - "$HOME_DIR" "$FILES" "$CACHE_FILES" <<'PY'
import os, secrets, string, sys

home, files, cache_files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
alnum = string.ascii_letters + string.digits
def rnd(n, chars=alnum):
    return "".join(secrets.choice(chars) for _ in range(n))
def put(rel, text):
    p = os.path.join(home, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)

count = 0
def filler(rel):
    global count
    put(rel, "line of ordinary text %s\n" % rnd(12) * 8)
    count += 1

# Credential files of the documented table (fake values, generated now).
creds = {
    ".aws/credentials": "[default]\naws_access_key_id = AKIA%s\naws_secret_access_key = %s\n" % (rnd(16, string.ascii_uppercase + "234567"), rnd(40)),
    ".aws/config": "[profile dev]\nsso_session = acme\nregion = eu-west-1\n",
    ".aws/sso/cache/%s.json" % rnd(8).lower(): '{"accessToken": "aoa%s", "expiresAt": "2030-01-01T00:00:00Z"}' % rnd(60),
    ".docker/config.json": '{"auths": {"ghcr.io": {}}, "credsStore": "secretservice"}',
    ".kube/config": "apiVersion: v1\nkind: Config\nusers:\n- name: dev\n  user:\n    token: %s\n" % rnd(48),
    ".npmrc": "//registry.npmjs.org/:_authToken=%s\n" % rnd(36),
    ".config/gh/hosts.yml": "github.com:\n    oauth_token: %s\n    user: dev\n" % rnd(40),
    ".config/hcloud/cli.toml": '[[contexts]]\nname = "dev"\ntoken = "%s"\n' % rnd(64),
    ".git-credentials": "https://dev:%s@git.acme.test\n" % rnd(24),
    ".config/gcloud/application_default_credentials.json": '{"type": "authorized_user", "refresh_token": "1//0g%s"}' % rnd(60),
    ".ssh/config": "Host *\n  IdentityFile ~/.ssh/id_ed25519\n",
    ".env": "API_TOKEN=%s\n" % rnd(32),
}
for rel, text in creds.items():
    put(rel, text)
    count += 1
# Histories: 50,000 lines each, a few with secrets.
for rel, fmt in ((".bash_history", "%s\n"), (".zsh_history", ": 1700000000:0;%s\n")):
    lines = []
    for i in range(50000):
        if i % 10000 == 7:
            lines.append(fmt % ("export SERVICE_TOKEN=" + rnd(32)))
        else:
            lines.append(fmt % ("git commit -m 'change %d' && ls -la src/%s" % (i, rnd(6))))
    put(rel, "".join(lines))
    count += 1
# Other app configs under .config and .local/share (listed nowhere: never read).
n = 0
while count < files * 0.2:
    filler(".config/app%d/settings-%d.conf" % (n % 200, n)); n += 1
while count < files * 0.3:
    filler(".local/share/app%d/data-%d.txt" % (n % 100, n)); n += 1
while count < files * 0.4:
    filler("Documents/folder%d/note-%d.md" % (n % 300, n)); n += 1
# Projects: git-ignored node_modules in each (counted with the caches below).
p = 0
while count < files:
    proj = "src/project%d" % (p % 50)
    if p < 50:
        put(proj + "/.gitignore", "node_modules/\n"); count += 1
    filler("%s/lib/mod%d/file-%d.py" % (proj, p % 40, p)); p += 1
# Skipped caches on top.
cache_dirs = [".cache/pip/wheels", ".rustup/toolchains/stable/lib", ".cargo/registry/src/index",
              ".kube/cache/discovery", ".config/gcloud/logs/2026.01.01",
              ".mozilla/firefox/abc.default/storage", "src/project0/node_modules/pkg"]
for i in range(cache_files):
    d = cache_dirs[i % len(cache_dirs)]
    put("%s/sub%d/f%d.txt" % (d, i % 100, i), "cached %s\n" % rnd(16))
print(count, file=sys.stderr)
PY
fi

skipped='-path */.cache -o -path */.rustup -o -path */.cargo/registry -o -path */node_modules -o -path */.kube/cache -o -path */gcloud/logs -o -path */.mozilla'
# shellcheck disable=SC2086
home_files=$(find "$HOME_DIR" \( $skipped \) -prune -o -type f -print | wc -l)
all_files=$(find "$HOME_DIR" -type f | wc -l)
log "home: $home_files files outside the skipped caches, $((all_files - home_files)) inside them"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() {
  local label=$1; shift
  local times=()
  "$@" >/dev/null 2>&1 || true   # warm-up (page cache, rule compilation in the kernel cache)
  for _ in $(seq "$RUNS"); do
    local t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    local t1=$EPOCHREALTIME
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')")
  done
  printf '| %s | %s | %s |\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}"
}

# What a report says: files read, blobs scanned, credentials (on the machine, static, in repos).
summary() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s, w = d["summary"], d["summary"]["workstation"]
print("%d credential files read, %d blobs scanned (%d bytes), %d findings; %d credentials on "
      "the machine, %d static, %d also in repositories" % (w["files_read"], s["files_scanned"],
      s["bytes_scanned"], s["findings"], w["credentials"], w["static_credentials"],
      w["in_repositories"]))
PY
}

REPORT=$WORK/report.json
machine=("$SPRAWL" scan --workstation --home "$HOME_DIR" --threads "$THREADS" -q --format json -o "$REPORT")
with_src=("${machine[@]}" "$HOME_DIR/src")
log "commands:"
log "  ${machine[*]}"
log "  ${with_src[*]}"
echo "| command | median wall (s) | runs (s) |"
echo "| --- | ---: | --- |"
time_cmd "--workstation" env -i "${machine[@]}"
"${machine[@]}" || true
machine_summary=$(summary "$REPORT")
time_cmd "--workstation HOME/src" env -i "${with_src[@]}"
"${with_src[@]}" || true
src_summary=$(summary "$REPORT")
echo
echo "- --workstation: $machine_summary"
echo "- --workstation HOME/src: $src_summary"
echo "- home: $home_files files outside the skipped caches, $((all_files - home_files)) inside them; $(nproc) cores"
