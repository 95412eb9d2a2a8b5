#!/usr/bin/env bash
# Git history benchmark: sprawl vs Kingfisher on the full history of a real repository, with
# `git cat-file --batch-all-objects --batch` (one thread) as the floor of what reading costs.
#
# usage: bench/history.sh [GIT_DIR] [RUNS]
#   GIT_DIR  a repository or bare mirror (default /work/.mirror/curl+curl/repo, which the
#            `fetch` tool of the build environment creates from github:curl/curl)
#   RUNS     timed runs per tool, interleaved (default 3)
# env:
#   THREADS              worker threads for sprawl and Kingfisher (default 2)
#   SPRAWL_ARGS          extra sprawl arguments, e.g. "--no-builtin-rules --rules DIR"
#   BENCH_DATA=DIR       where the peers' venv lives (default /work/bench-data)
#   KINGFISHER_VERSION   kingfisher-bin version to install (default 2.14.0)
#   SKIP_FLOOR=1         do not time git cat-file
#   CARGO_TARGET_DIR     honoured when locating target/release/sprawl
#
# Also times sprawl with no rules at all (reading only), so the difference to the full run is
# the cost of matching and provenance. Installs Kingfisher into a venv when missing (like
# bench/throughput.sh). Nothing here is needed by CI.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPO=${1:-/work/.mirror/curl+curl/repo}
RUNS=${2:-3}
THREADS=${THREADS:-2}
SPRAWL_ARGS=${SPRAWL_ARGS:-}
BENCH_DATA=${BENCH_DATA:-/work/bench-data}
VENV=$BENCH_DATA/venv
KINGFISHER_VERSION=${KINGFISHER_VERSION:-2.14.0}
SKIP_FLOOR=${SKIP_FLOOR:-0}

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

ensure_peers() {
  [ -x /usr/bin/time ] || die "need GNU time (/usr/bin/time): apt-get install time"
  command -v python3 >/dev/null 2>&1 || die "need python3"
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating venv $VENV"
    mkdir -p "$BENCH_DATA"
    python3 -m venv "$VENV"
  fi
  if ! "$VENV/bin/python" -c 'import kingfisher' >/dev/null 2>&1; then
    log "installing kingfisher-bin==$KINGFISHER_VERSION into $VENV"
    "$VENV/bin/pip" install -q "kingfisher-bin==$KINGFISHER_VERSION"
  fi
  # The real binary, not the Python wrapper (whose start-up would be charged to Kingfisher).
  KF=$("$VENV/bin/python" -c 'import kingfisher; print(kingfisher.get_binary_path())')
  [ -x "$KF" ] || die "kingfisher binary not found at $KF"
}

[ -d "$REPO" ] || die "$REPO does not exist (fetch github:curl/curl, or pass a repository)"
ensure_peers
log "building sprawl (cargo build --release)"
(cd "$ROOT" && cargo build --release --locked --quiet)
SPRAWL=${CARGO_TARGET_DIR:-$ROOT/target}/release/sprawl
[ -x "$SPRAWL" ] || die "$SPRAWL not built"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sprawl-history.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

TOOLS=(sprawl sprawl-read kingfisher)
[ "$SKIP_FLOOR" = 1 ] || TOOLS+=(cat-file)

tool_cmd() { # tool -> CMD array
  case $1 in
    # shellcheck disable=SC2206 # SPRAWL_ARGS is split on purpose
    sprawl) CMD=("$SPRAWL" scan --no-cache --threads "$THREADS" --history-only --quiet --format json
                 --output "$WORK/sprawl.json" --no-config $SPRAWL_ARGS "$REPO") ;;
    sprawl-read) CMD=("$SPRAWL" scan --no-cache --threads "$THREADS" --history-only --quiet --format json
                      --output "$WORK/sprawl-read.json" --no-config --no-builtin-rules "$REPO") ;;
    kingfisher) CMD=("$KF" scan "$REPO" --git-history full --jobs "$THREADS" --no-validate
                     --no-update-check --quiet --format json --output "$WORK/kingfisher.json") ;;
    cat-file) CMD=(git -C "$REPO" cat-file --batch-all-objects --batch) ;;
  esac
}
ok_codes() {
  case $1 in
    sprawl|sprawl-read) echo "0 1" ;;  # 1 = findings
    kingfisher) echo "0 200 205" ;;     # 200 = findings, 205 = validated findings
    cat-file) echo "0" ;;
  esac
}

# run_once TOOL -> RUN_WALL (s), RUN_RSS (KB)
run_once() {
  local tool=$1 rc
  tool_cmd "$tool"
  set +e
  /usr/bin/time -f '%e %M' -o "$WORK/time.out" "${CMD[@]}" >/dev/null 2>"$WORK/$tool.stderr"
  rc=$?
  set -e
  if ! [[ " $(ok_codes "$tool") " == *" $rc "* ]]; then
    log "error: $tool exited $rc: ${CMD[*]}"
    tail -n 20 "$WORK/$tool.stderr" >&2
    exit 2
  fi
  read -r RUN_WALL RUN_RSS < <(tail -n 1 "$WORK/time.out")
}

median() { sort -g | awk '{a[NR]=$1} END{if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }

COMMITS=$(git -C "$REPO" rev-list --all --count)
read -r OBJECTS BLOBS < <(git -C "$REPO" cat-file --batch-all-objects --batch-check='%(objecttype)' |
  awk '{n++} $1=="blob"{b++} END{print n, b}')
PACK=$(du -sh "$REPO/objects" | cut -f1)

echo "# sprawl git-history benchmark"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- repository: $REPO — $COMMITS commits reachable from refs, $OBJECTS objects, $BLOBS blobs, objects/ $PACK"
echo "- sprawl: $("$SPRAWL" --version) ($SPRAWL), source $(git -C "$ROOT" rev-parse --short HEAD)"
echo "- kingfisher: $("$KF" --version)"
echo "- runs: $RUNS per tool, interleaved, warm page cache; threads: $THREADS (cat-file: 1)"
echo
echo '```'
for t in "${TOOLS[@]}"; do
  tool_cmd "$t"
  printf '%s\n' "$(printf '%q ' "${CMD[@]}")"
done
echo '```'
echo

log "warm-up: reading the packs into the page cache"
cat "$REPO"/objects/pack/*.pack >/dev/null 2>&1 || true

declare -A WALLS RSSES
for i in $(seq 1 "$RUNS"); do
  for t in "${TOOLS[@]}"; do
    log "run $i/$RUNS: $t"
    run_once "$t"
    WALLS[$t]+="$RUN_WALL "
    RSSES[$t]+="$RUN_RSS "
    log "  ${RUN_WALL}s, $((RUN_RSS / 1024)) MB peak RSS"
  done
done

declare -A MED MEDRSS
echo "| tool | median wall (s) | median peak RSS (MB) | runs (s) |"
echo "| --- | ---: | ---: | --- |"
for t in "${TOOLS[@]}"; do
  MED[$t]=$(tr ' ' '\n' <<<"${WALLS[$t]}" | grep . | median)
  MEDRSS[$t]=$(tr ' ' '\n' <<<"${RSSES[$t]}" | grep . | median)
  printf '| %s | %.2f | %.0f | %s |\n' "$t" "${MED[$t]}" \
    "$(awk -v k="${MEDRSS[$t]}" 'BEGIN{print k/1024}')" "${WALLS[$t]% }"
done
echo
echo "| ratio | value |"
echo "| --- | ---: |"
echo "| sprawl / kingfisher wall | $(awk -v a="${MED[sprawl]}" -v b="${MED[kingfisher]}" 'BEGIN{printf "%.2f", a/b}') |"
echo "| sprawl / kingfisher peak RSS | $(awk -v a="${MEDRSS[sprawl]}" -v b="${MEDRSS[kingfisher]}" 'BEGIN{printf "%.2f", a/b}') |"
echo "| sprawl reading only / full sprawl wall | $(awk -v a="${MED[sprawl-read]}" -v b="${MED[sprawl]}" 'BEGIN{printf "%.2f", a/b}') |"
[ "$SKIP_FLOOR" = 1 ] ||
  echo "| sprawl / cat-file floor wall | $(awk -v a="${MED[sprawl]}" -v b="${MED[cat-file]}" 'BEGIN{printf "%.2f", a/b}') |"
echo

echo "Last run:"
python3 - "$WORK/sprawl.json" "$WORK/sprawl-read.json" "$WORK/kingfisher.json" <<'PY'
import json, sys
for name, path in (("sprawl", sys.argv[1]), ("sprawl-read", sys.argv[2])):
    s = json.load(open(path))["summary"]
    print(f"- {name}: {s['findings']} findings ({s['locations']} locations); "
          f"{s['commits_scanned']} commits, {s['blobs_scanned']} unique blobs / "
          f"{s['history_bytes']} bytes scanned; skipped {s['skipped']}")
d = json.load(open(sys.argv[3]))
st = {}
for r in d.get("audit", {}).get("repositories", []):
    for k, v in (r.get("stats") or {}).items():
        st[k] = st.get(k, 0) + v
print(f"- kingfisher: {len(d.get('findings', []))} findings; "
      f"{st.get('blobs_scanned')} blobs / {st.get('bytes_scanned')} bytes scanned")
PY
