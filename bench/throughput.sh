#!/usr/bin/env bash
# Throughput benchmark: sprawl vs Kingfisher vs an rg floor on a large real-code tree.
#
# usage: bench/throughput.sh [TREE] [RUNS]
#   TREE  directory to scan (default /work/bench-data/rails-tree)
#   RUNS  timed runs per tool, interleaved (default 3)
# env:
#   MIRROR=GIT_DIR       build TREE from a rails/rails mirror when TREE does not exist
#   SKIP_SPRAWL=1        do not build or run sprawl (exercise the peers only)
#   BENCH_DATA=DIR       where the peers' venv lives (default /work/bench-data)
#   KINGFISHER_VERSION   kingfisher-bin version to install (default 2.14.0)
#   THREADS              worker threads for every tool (default 2)
#   PACK40=1             also run sprawl with only 40 built-in rules (aws, github, slack, stripe,
#                        google, generic, npm, openai files) to measure what the full pack costs
#   BASE=BINARY          also run an older sprawl build ("sprawl-base", e.g. main before an
#                        issue's work) in the same interleaved runs, so a regression limit such
#                        as "ratio to Kingfisher must not drop more than 5%" is judged in one run
#   CARGO_TARGET_DIR     honoured when locating target/release/sprawl
#
# Installs its own peers (ripgrep, GNU time, a venv with kingfisher-bin) when missing.
# Nothing here is needed by CI.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TREE=${1:-/work/bench-data/rails-tree}
RUNS=${2:-3}
SKIP_SPRAWL=${SKIP_SPRAWL:-0}
BENCH_DATA=${BENCH_DATA:-/work/bench-data}
VENV=$BENCH_DATA/venv
KINGFISHER_VERSION=${KINGFISHER_VERSION:-2.14.0}
THREADS=${THREADS:-2}
STARTUP_RUNS=5
PATTERN='AKIA[0-9A-Z]{16}'

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

# ---------------------------------------------------------------- peers
APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "need $* but apt-get is not available"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ "$APT_UPDATED" -eq 0 ]; then
    $sudo apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ensure_peers() {
  command -v rg >/dev/null 2>&1 || { log "installing ripgrep"; apt_install ripgrep; }
  [ -x /usr/bin/time ] || { log "installing GNU time"; apt_install time; }
  command -v python3 >/dev/null 2>&1 || { log "installing python3"; apt_install python3 python3-venv; }
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating venv $VENV"
    mkdir -p "$BENCH_DATA"
    python3 -m venv "$VENV" || { apt_install python3-venv; python3 -m venv "$VENV"; }
  fi
  if ! "$VENV/bin/python" -c 'import kingfisher' >/dev/null 2>&1; then
    log "installing kingfisher-bin==$KINGFISHER_VERSION into $VENV"
    "$VENV/bin/pip" install -q "kingfisher-bin==$KINGFISHER_VERSION"
  fi
  # The real binary, not the Python console-script wrapper (whose interpreter start-up would
  # be charged to Kingfisher).
  KF=$("$VENV/bin/python" -c 'import kingfisher; print(kingfisher.get_binary_path())')
  [ -x "$KF" ] || die "kingfisher binary not found at $KF"
}

ensure_tree() {
  [ -d "$TREE" ] && return 0
  [ -n "${MIRROR:-}" ] || die "$TREE does not exist; set MIRROR=<rails/rails git dir> to build it"
  local mk=$ROOT/../shared/bench/make_perf_tree.sh
  [ -f "$mk" ] || die "$mk not found"
  log "building $TREE from $MIRROR"
  bash "$mk" "$MIRROR" "$TREE" >&2
}

ensure_peers
ensure_tree
TREE=$(cd "$TREE" && pwd)

if [ "$SKIP_SPRAWL" != 1 ]; then
  log "building sprawl (cargo build --release)"
  (cd "$ROOT" && cargo build --release --locked --quiet)
  SPRAWL=${CARGO_TARGET_DIR:-$ROOT/target}/release/sprawl
  [ -x "$SPRAWL" ] || die "$SPRAWL not built"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sprawl-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ONE=$WORK/one-file
mkdir -p "$ONE"
printf 'config.api_host = "example.com"\nconfig.timeout = 30\n' >"$ONE/settings.rb"

# ---------------------------------------------------------------- tools
TOOLS=()
[ "$SKIP_SPRAWL" = 1 ] || TOOLS+=(sprawl)
PACK40=${PACK40:-0}
if [ "$PACK40" = 1 ] && [ "$SKIP_SPRAWL" != 1 ]; then
  mkdir -p "$WORK/rules40"
  # The first 40 rules of these files, in this order (cut at a `[[rule]]` boundary), so the
  # subset stays 40 rules when a file gains one.
  for f in aws github slack stripe google generic npm openai; do
    cat "$ROOT/rules/$f.toml"; echo
  done | awk '/^\[\[rule\]\]$/ { n++ } n <= 40 { print }' > "$WORK/rules40/subset.toml"
  N40=$(grep -c '^\[\[rule\]\]' "$WORK/rules40/subset.toml")
  [ "$N40" = 40 ] || die "the 40-rule subset has $N40 rules; update the file list"
  TOOLS+=(sprawl-40)
fi
BASE=${BASE:-}
if [ -n "$BASE" ]; then
  [ -x "$BASE" ] || die "BASE=$BASE is not an executable"
  # Builds before the blob cache have no --no-cache (and no cache to skip).
  BASE_FLAGS=()
  "$BASE" scan --help 2>/dev/null | grep -q -- '--no-cache' && BASE_FLAGS=(--no-cache)
  TOOLS+=(sprawl-base)
fi
TOOLS+=(kingfisher rg)

tool_cmd() { # tool dir -> sets CMD array
  case $1 in
    sprawl) CMD=("$SPRAWL" scan --no-cache --threads "$THREADS" --format json --output "$WORK/sprawl.json" --no-ignore --quiet "$2") ;;
    sprawl-40) CMD=("$SPRAWL" scan --no-cache --threads "$THREADS" --format json --output "$WORK/sprawl-40.json" --no-ignore --quiet
                    --no-builtin-rules --rules "$WORK/rules40" "$2") ;;
    sprawl-base) CMD=("$BASE" scan "${BASE_FLAGS[@]}" --threads "$THREADS" --format json --output "$WORK/sprawl-base.json"
                      --no-ignore --quiet "$2") ;;
    kingfisher) CMD=("$KF" scan --jobs "$THREADS" --no-validate --no-update-check --quiet
                     --format json --output "$WORK/kingfisher.json" "$2") ;;
    rg) CMD=(rg -j "$THREADS" -c --no-ignore --hidden "$PATTERN" "$2") ;;
  esac
}
# Exit codes that mean "ran fine" (findings or not).
ok_codes() {
  case $1 in
    sprawl|sprawl-40|sprawl-base) echo "0 1" ;; # 1 = findings
    kingfisher) echo "0 200 205" ;; # 200 = findings, 205 = validated findings
    rg) echo "0 1" ;;              # 1 = no match
  esac
}

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

# run_once TOOL DIR -> sets RUN_WALL (seconds) and RUN_RSS (KB); exits on a failing tool.
run_once() {
  local tool=$1 dir=$2 rc t0 t1
  tool_cmd "$tool" "$dir"
  t0=$(now_us)
  set +e
  /usr/bin/time -f '%M' -o "$WORK/time.out" "${CMD[@]}" >"$WORK/$tool.stdout" 2>"$WORK/$tool.stderr"
  rc=$?
  set -e
  t1=$(now_us)
  if ! [[ " $(ok_codes "$tool") " == *" $rc "* ]]; then
    log "error: $tool exited $rc: ${CMD[*]}"
    tail -n 20 "$WORK/$tool.stderr" >&2
    exit 2
  fi
  RUN_WALL=$(awk -v d=$((t1 - t0)) 'BEGIN{printf "%.6f", d/1e6}')
  # GNU time prints "Command exited with non-zero status N" before the format line.
  RUN_RSS=$(tail -n 1 "$WORK/time.out")
}

git_rev() {
  local rev
  rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || { echo "not a git checkout"; return; }
  git -C "$ROOT" diff --quiet HEAD 2>/dev/null || rev+="+dirty"
  echo "$rev"
}

median() { sort -g | awk '{a[NR]=$1} END{if(NR==0){print "nan"} else if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }

# ---------------------------------------------------------------- report header
FILES=$(find "$TREE" -type f | wc -l)
BYTES=$(find "$TREE" -type f -printf '%s\n' | awk '{s+=$1} END{printf "%d", s}')
MB=$(awk -v b="$BYTES" 'BEGIN{printf "%.1f", b/1048576}')

echo "# sprawl throughput benchmark"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "- tree: $TREE — $FILES files, $BYTES bytes ($MB MiB, sum of file sizes; MB below = MiB)"
echo "- runs: $RUNS per tool, interleaved, warm page cache; start-up: median of $STARTUP_RUNS on a one-file directory"
[ "$SKIP_SPRAWL" = 1 ] && echo "- sprawl: SKIPPED (SKIP_SPRAWL=1)" \
  || echo "- sprawl: $("$SPRAWL" --version 2>/dev/null || echo '?') ($SPRAWL), source $(git_rev)"
echo "- kingfisher: $("$KF" --version) ($KF)"
[ -z "$BASE" ] || echo "- sprawl-base: $BASE"
echo "- rg: $(rg --version | sed -n 1p)"
echo
echo "Commands (TREE = $TREE):"
echo
echo '```'
for t in "${TOOLS[@]}"; do
  tool_cmd "$t" "$TREE"
  printf '%s\n' "$(printf '%q ' "${CMD[@]}")"
done
echo '```'
echo

# ---------------------------------------------------------------- warm-up
log "warm-up: reading the tree into the page cache"
find "$TREE" -type f -print0 | xargs -0 cat >/dev/null
rg -j "$THREADS" -c --no-ignore --hidden "$PATTERN" "$TREE" >/dev/null || true
for t in "${TOOLS[@]}"; do
  run_once "$t" "$ONE" # also builds Kingfisher's compiled-rule cache
done

# ---------------------------------------------------------------- timed runs
declare -A WALLS RSSES
for i in $(seq 1 "$RUNS"); do
  for t in "${TOOLS[@]}"; do
    log "run $i/$RUNS: $t"
    run_once "$t" "$TREE"
    WALLS[$t]+="$RUN_WALL "
    RSSES[$t]+="$RUN_RSS "
    log "  ${RUN_WALL}s, $((RUN_RSS / 1024)) MB peak RSS"
  done
done
# Keep the last full-tree outputs for the sanity lines (start-up runs overwrite them).
mkdir -p "$WORK/full"
for f in sprawl.json kingfisher.json rg.stdout; do
  [ ! -f "$WORK/$f" ] || cp "$WORK/$f" "$WORK/full/$f"
done

declare -A SUP
for i in $(seq 1 "$STARTUP_RUNS"); do
  for t in "${TOOLS[@]}"; do
    run_once "$t" "$ONE"
    SUP[$t]+="$RUN_WALL "
  done
done

# ---------------------------------------------------------------- results
declare -A MED MBS
echo "| tool | median wall (s) | MB/s | peak RSS (MB, max) | start-up (ms, median) | runs (s) |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
for t in "${TOOLS[@]}"; do
  MED[$t]=$(tr ' ' '\n' <<<"${WALLS[$t]}" | grep . | median)
  MBS[$t]=$(awk -v mb="$MB" -v w="${MED[$t]}" 'BEGIN{printf "%.1f", mb/w}')
  rss=$(tr ' ' '\n' <<<"${RSSES[$t]}" | grep . | sort -g | tail -n 1)
  sup=$(tr ' ' '\n' <<<"${SUP[$t]}" | grep . | median)
  runs=$(tr ' ' '\n' <<<"${WALLS[$t]}" | grep . | awk '{printf "%s%.2f", (NR>1?" ":""), $1}')
  printf '| %s | %.2f | %s | %.0f | %.1f | %s |\n' "$t" "${MED[$t]}" "${MBS[$t]}" \
    "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$(awk -v s="$sup" 'BEGIN{print s*1000}')" "$runs"
done
echo
if [ "$SKIP_SPRAWL" = 1 ]; then
  echo "Ratios: n/a (sprawl skipped)"
else
  echo "| ratio | value |"
  echo "| --- | ---: |"
  echo "| sprawl / kingfisher throughput | $(awk -v a="${MED[kingfisher]}" -v b="${MED[sprawl]}" 'BEGIN{printf "%.2fx", a/b}') |"
  echo "| rg / sprawl throughput | $(awk -v a="${MED[sprawl]}" -v b="${MED[rg]}" 'BEGIN{printf "%.2fx", a/b}') |"
  if [ -n "$BASE" ]; then
    echo "| sprawl-base / kingfisher throughput | $(awk -v a="${MED[kingfisher]}" -v b="${MED[sprawl-base]}" 'BEGIN{printf "%.2fx", a/b}') |"
    echo "| sprawl / sprawl-base throughput (above 1 = faster than the base) | $(awk -v a="${MED[sprawl-base]}" -v b="${MED[sprawl]}" 'BEGIN{printf "%.3fx", a/b}') |"
  fi
  if [ "$PACK40" = 1 ]; then
    echo "| sprawl 40 rules / sprawl full pack ($("$SPRAWL" rules list 2>/dev/null | grep -cv "^[0-9]* rules$") rules) throughput | $(awk -v a="${MED[sprawl]}" -v b="${MED[sprawl-40]}" 'BEGIN{printf "%.2fx", a/b}') |"
    echo "| sprawl-40 / kingfisher throughput | $(awk -v a="${MED[kingfisher]}" -v b="${MED[sprawl-40]}" 'BEGIN{printf "%.2fx", a/b}') |"
  fi
fi
echo

# Sanity: what each tool reported on its last full-tree run.
echo "Last full-tree run:"
if [ "$SKIP_SPRAWL" != 1 ]; then
  python3 - "$WORK/full/sprawl.json" <<'PY' || echo "- sprawl: (could not read report)"
import json, sys
s = json.load(open(sys.argv[1])).get("summary", {})
print(f"- sprawl: {s.get('findings')} findings, {s.get('files_scanned')} files / {s.get('bytes_scanned')} bytes scanned, skipped {s.get('skipped')}")
PY
fi
python3 - "$WORK/full/kingfisher.json" <<'PY' || echo "- kingfisher: (could not read report)"
import json, sys
d = json.load(open(sys.argv[1]))
st = {}
for r in d.get("audit", {}).get("repositories", []):
    for k, v in (r.get("stats") or {}).items():
        st[k] = st.get(k, 0) + v
print(f"- kingfisher: {len(d.get('findings', []))} findings, {st.get('blobs_scanned')} blobs / {st.get('bytes_scanned')} bytes scanned")
PY
echo "- rg: $(awk -F: '{s+=$NF} END{print s+0}' "$WORK/full/rg.stdout") lines matching $PATTERN in $(grep -c . "$WORK/full/rg.stdout" || true) files"
