#!/usr/bin/env bash
# Blob cache benchmark (issue #18): first scan with an empty cache, rescan of the unchanged
# repository, rescan after one new commit, and an uncached scan after that commit to check that
# the cached report is identical.
#
# usage: bench/cache.sh [GIT_DIR]
#   GIT_DIR  a repository or bare mirror (default /work/.mirror/curl+curl/repo). It is never
#            modified: the script scans a mirror clone of it in a temporary directory and makes
#            the new commit there.
# env:
#   THREADS          worker threads (default 2)
#   SKIP_BUILD=1     use the existing release binary
#   KEEP=DIR         keep the work directory (clone, cache, reports) in DIR
#   CARGO_TARGET_DIR honoured when locating target/release/sprawl
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=${1:-/work/.mirror/curl+curl/repo}
THREADS=${THREADS:-2}

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

[ -d "$SRC" ] || die "$SRC does not exist (fetch github:curl/curl, or pass a repository)"
[ -x /usr/bin/time ] || die "need GNU time (/usr/bin/time): apt-get install time"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building sprawl (cargo build --release)"
  (cd "$ROOT" && cargo build --release --locked --quiet)
fi
SPRAWL=${CARGO_TARGET_DIR:-$ROOT/target}/release/sprawl
[ -x "$SPRAWL" ] || die "$SPRAWL not built"

if [ -n "${KEEP:-}" ]; then
  WORK=$KEEP; rm -rf "$WORK"; mkdir -p "$WORK"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/sprawl-cache.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
REPO=$WORK/repo.git
CACHE=$WORK/cache
log "cloning $SRC to $REPO (--mirror --no-hardlinks: the source stays untouched)"
git clone -q --mirror --no-hardlinks "$SRC" "$REPO"

# run NAME ARGS...: time one scan of $REPO, report to $WORK/NAME.json, stderr to NAME.err.
run() {
  local name=$1; shift
  local start end
  log "  $name: $SPRAWL scan --threads $THREADS --format json -v $* $REPO"
  start=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$WORK/$name.rss" "$SPRAWL" scan --threads "$THREADS" --format json \
    --output "$WORK/$name.json" -v "$@" "$REPO" 2>"$WORK/$name.err" || [ $? -le 1 ]
  end=$EPOCHREALTIME
  WALL[$name]=$(echo "$end - $start" | bc)
  RSS[$name]=$(( $(tail -1 "$WORK/$name.rss") / 1024 ))
}
declare -A WALL RSS

# The report without its wall time, for comparing runs.
strip() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["summary"].pop("elapsed_ms"); print(json.dumps(d, sort_keys=True))' "$1"; }

log "load before: $(uptime)"
run first --cache-dir "$CACHE"
run rescan --cache-dir "$CACHE"

log "one new commit on the default branch of the clone (a changed file and a new one)"
export GIT_DIR=$REPO GIT_INDEX_FILE=$WORK/index
BRANCH=$(git symbolic-ref HEAD)
git read-tree HEAD
CHANGED=$(git ls-files -- '*.c' | sed -n 1p)
NEWBLOB=$( (git cat-file blob "HEAD:$CHANGED"; echo "/* bench: one more line */") | git hash-object -w --stdin)
git update-index --cacheinfo "100644,$NEWBLOB,$CHANGED"
ADDED=$(printf 'bench file added by bench/cache.sh\n' | git hash-object -w --stdin)
git update-index --add --cacheinfo "100644,$ADDED,bench-cache-new.txt"
COMMIT=$(git -c user.name=bench -c user.email=bench@example.invalid commit-tree "$(git write-tree)" -p HEAD -m "bench: one new commit")
git update-ref "$BRANCH" "$COMMIT"
unset GIT_DIR GIT_INDEX_FILE

run after_commit --cache-dir "$CACHE"
run uncached --no-cache
log "load after: $(uptime)"

same() { [ "$(strip "$WORK/$1.json")" = "$(strip "$WORK/$2.json")" ] && echo identical || echo DIFFERENT; }
ratio() { echo "scale=3; ${WALL[$1]} / ${WALL[first]}" | bc; }
known() { grep -o '[0-9]* files and blobs known clean' "$WORK/$1.err" | cut -d' ' -f1 || true; }

echo
echo "| run | wall (s) | ratio to first | peak RSS (MB) | answered from the cache | report |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
echo "| first scan, empty cache | ${WALL[first]} | 1.000 | ${RSS[first]} | $(known first) | - |"
echo "| rescan, unchanged | ${WALL[rescan]} | $(ratio rescan) | ${RSS[rescan]} | $(known rescan) | $(same rescan first) to first |"
echo "| rescan after one new commit | ${WALL[after_commit]} | $(ratio after_commit) | ${RSS[after_commit]} | $(known after_commit) | $(same after_commit uncached) to uncached |"
echo "| uncached scan after the commit (--no-cache) | ${WALL[uncached]} | $(ratio uncached) | ${RSS[uncached]} | - | - |"
echo
echo "cache: $(du -sh "$CACHE" | cut -f1) in $CACHE"
"$SPRAWL" cache info --cache-dir "$CACHE"
