#!/usr/bin/env bash
# Pre-commit latency benchmark: `sprawl scan --staged` on ~10 staged files in a repository of
# several thousand files, against `kingfisher scan --staged` (the peer with the same mode).
#
# usage: bench/staged.sh [SOURCE_REPO] [RUNS]
#   SOURCE_REPO  repository to clone a work tree from (default /work/.mirror/curl+curl/repo)
#   RUNS         runs per tool, interleaved (default 21); the median is reported
# env:
#   FILES=N              files to change and stage (default 10)
#   SPRAWL_ARGS          extra sprawl arguments, e.g. "--no-builtin-rules --rules DIR"
#   BENCH_DATA, KINGFISHER_VERSION, CARGO_TARGET_DIR   as in bench/history.sh
#
# Whole-process wall time (start-up, rule compilation, index, HEAD trees, staged blobs) is what
# a pre-commit hook costs, so that is what is timed. Also times sprawl with no rules, so the
# difference is what compiling the rules costs. Nothing here is needed by CI.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOURCE=${1:-/work/.mirror/curl+curl/repo}
RUNS=${2:-21}
FILES=${FILES:-10}
SPRAWL_ARGS=${SPRAWL_ARGS:-}
BENCH_DATA=${BENCH_DATA:-/work/bench-data}
VENV=$BENCH_DATA/venv
KINGFISHER_VERSION=${KINGFISHER_VERSION:-2.14.0}

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

[ -d "$SOURCE" ] || die "$SOURCE does not exist"
command -v python3 >/dev/null 2>&1 || die "need python3"
if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p "$BENCH_DATA"
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import kingfisher' >/dev/null 2>&1 ||
  "$VENV/bin/pip" install -q "kingfisher-bin==$KINGFISHER_VERSION"
KF=$("$VENV/bin/python" -c 'import kingfisher; print(kingfisher.get_binary_path())')

log "building sprawl (cargo build --release)"
(cd "$ROOT" && cargo build --release --locked --quiet)
SPRAWL=${CARGO_TARGET_DIR:-$ROOT/target}/release/sprawl

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sprawl-staged.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
WT=$WORK/wt
git clone -q "$SOURCE" "$WT"
TRACKED=$(git -C "$WT" ls-files | wc -l)
# Change FILES tracked text files: one neutral line and one fake test token each (assembled
# here so this script itself holds no token-shaped string for sprawl's self-scan).
FAKE="tst_u8jzPde0""IgxLd6GncfBA"
mapfile -t CHANGED < <(git -C "$WT" ls-files | grep -E '\.(c|h|py|md|txt)$' | head -n "$FILES")
for f in "${CHANGED[@]}"; do
  printf '\n/* staged change */\nstatic const char *t = "%s";\n' "$FAKE" >>"$WT/$f"
done
git -C "$WT" add -u
STAGED=$(git -C "$WT" diff --cached --name-only | wc -l)

tool_cmd() {
  case $1 in
    # shellcheck disable=SC2206 # SPRAWL_ARGS is split on purpose
    sprawl) CMD=("$SPRAWL" scan --staged --quiet --format json --output "$WORK/s.json" $SPRAWL_ARGS) ;;
    sprawl-norules) CMD=("$SPRAWL" scan --staged --quiet --format json --output "$WORK/s0.json"
                         --no-builtin-rules) ;;
    kingfisher) CMD=("$KF" scan . --staged --jobs 2 --no-validate --no-update-check --quiet
                     --format json --output "$WORK/k.json") ;;
  esac
}
TOOLS=(sprawl sprawl-norules kingfisher)

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
median() { sort -g | awk '{a[NR]=$1} END{if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }

declare -A MS
cd "$WT"
for t in "${TOOLS[@]}"; do tool_cmd "$t"; "${CMD[@]}" >/dev/null 2>&1 || true; done # warm-up
for i in $(seq 1 "$RUNS"); do
  for t in "${TOOLS[@]}"; do
    tool_cmd "$t"
    t0=$(now_us)
    "${CMD[@]}" >/dev/null 2>&1 || true # exit 1/200 = findings
    t1=$(now_us)
    MS[$t]+="$(awk -v d=$((t1 - t0)) 'BEGIN{printf "%.2f", d/1000}') "
  done
done

echo "# sprawl --staged latency"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- work tree: clone of $SOURCE, $TRACKED tracked files, $STAGED staged (a neutral line and a fake token appended to each)"
echo "- sprawl: $("$SPRAWL" --version), source $(git -C "$ROOT" rev-parse --short HEAD); kingfisher: $("$KF" --version)"
echo "- runs: $RUNS per tool, interleaved; whole-process wall time"
echo
echo '```'
for t in "${TOOLS[@]}"; do tool_cmd "$t"; printf '%s\n' "$(printf '%q ' "${CMD[@]}")"; done
echo '```'
echo
declare -A MED
echo "| tool | median (ms) | min (ms) | max (ms) |"
echo "| --- | ---: | ---: | ---: |"
for t in "${TOOLS[@]}"; do
  MED[$t]=$(tr ' ' '\n' <<<"${MS[$t]}" | grep . | median)
  lo=$(tr ' ' '\n' <<<"${MS[$t]}" | grep . | sort -g | head -n 1)
  hi=$(tr ' ' '\n' <<<"${MS[$t]}" | grep . | sort -g | tail -n 1)
  printf '| %s | %.1f | %.1f | %.1f |\n' "$t" "${MED[$t]}" "$lo" "$hi"
done
echo
echo "- sprawl / kingfisher: $(awk -v a="${MED[sprawl]}" -v b="${MED[kingfisher]}" 'BEGIN{printf "%.3f", a/b}')"
echo "- rule compilation and set-up (sprawl - sprawl-norules): $(awk -v a="${MED[sprawl]}" -v b="${MED[sprawl-norules]}" 'BEGIN{printf "%.1f ms", a-b}')"
python3 - "$WORK/s.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(f"- sprawl read {s['files_scanned']} staged files ({s['bytes_scanned']} bytes), {s['findings']} findings")
PY
