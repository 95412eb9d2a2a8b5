#!/usr/bin/env bash
# Pathological inputs (issue 18): hundreds of thousands of hits on one line and in one file.
# Every per-line and per-hit step must be linear or n log n, so these finish in seconds.
#
# usage: bench/pathological.sh [SIZES]
#   SIZES  hit counts to try, space-separated (default "100000 500000 1000000")
# env:
#   CASES="line line-distinct perline password comment"   which inputs (default: all)
#   TIMEOUT=300         seconds before a run is stopped and reported as a timeout
#   THREADS=2           worker threads for both tools
#   SKIP_KINGFISHER=1   time sprawl only
#   SPRAWL=PATH         this sprawl binary instead of a fresh release build
#   BENCH_DATA, KINGFISHER_VERSION, CARGO_TARGET_DIR   as in bench/history.sh
#
# Inputs (fake values made here, deterministic; one file each, in a directory of its own):
#   line            one line of N AWS access key ids from a pool of 1,000, space-separated: a
#                   CloudTrail export (500,000 ids = 10.5 MB)
#   line-distinct   one line of N distinct key ids (N findings)
#   perline         N distinct key ids, one per line
#   password        one line of N `db_password="<24 random chars>"` (generic.password)
#   comment         the same behind `# ` (a comment line: generic.password skips it, 0 findings)
#
# Each tool runs once per input (whole process, report to a file); the table gives wall
# seconds, peak RSS (GNU time) and what was reported. Kingfisher reports no bare key id (it
# wants the secret key beside it), so its figures are time on the same bytes, not the same
# findings. Nothing here is needed by CI.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${1:-"100000 500000 1000000"}
CASES=${CASES:-"line line-distinct perline password comment"}
TIMEOUT=${TIMEOUT:-300}
THREADS=${THREADS:-2}
SKIP_KINGFISHER=${SKIP_KINGFISHER:-0}
BENCH_DATA=${BENCH_DATA:-/work/bench-data}
VENV=$BENCH_DATA/venv
KINGFISHER_VERSION=${KINGFISHER_VERSION:-2.14.0}

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

command -v python3 >/dev/null 2>&1 || die "need python3"
[ -x /usr/bin/time ] || die "need GNU time (apt-get install time)"
KF=
if [ "$SKIP_KINGFISHER" != 1 ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$BENCH_DATA"
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/python" -c 'import kingfisher' >/dev/null 2>&1 ||
    "$VENV/bin/pip" install -q "kingfisher-bin==$KINGFISHER_VERSION"
  KF=$("$VENV/bin/python" -c 'import kingfisher; print(kingfisher.get_binary_path())')
fi

if [ -z "${SPRAWL:-}" ]; then
  log "building sprawl (cargo build --release)"
  (cd "$ROOT" && cargo build --release --locked --quiet)
  SPRAWL=${CARGO_TARGET_DIR:-$ROOT/target}/release/sprawl
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sprawl-patho.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# make CASE N DIR: write the input file into DIR.
make_input() {
  python3 - "$1" "$2" "$3" <<'PY'
import random, sys
case, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = random.Random(18)
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def key_id():
    return "AKIA" + "".join(r.choice(B32) for _ in range(16))
def ids(k):
    pool = [key_id() for _ in range(k)]
    return [pool[i % k] for i in range(n)]
name = "keys.txt"
if case == "line":
    text = " ".join(ids(1000)) + "\n"
elif case == "line-distinct":
    text = " ".join(ids(n)) + "\n"
elif case == "perline":
    text = "\n".join(ids(n)) + "\n"
else:
    name = "settings.py"
    values = ('db_password="%s"' % "".join(r.choice(B62) for _ in range(24)) for _ in range(n))
    text = ("# " if case == "comment" else "") + " ".join(values) + "\n"
with open(f"{out}/{name}", "w") as f:
    f.write(text)
PY
}

# run TOOL DIR: sets WALL (s or "timeout"), RSS (MB) and WHAT (what was reported).
run() {
  local tool=$1 dir=$2 out=$WORK/out.json err=$WORK/time.txt rc=0 t0 t1
  rm -f "$out"
  if [ "$tool" = sprawl ]; then
    CMD=("$SPRAWL" scan --threads "$THREADS" --no-ignore --quiet --format json --output "$out" "$dir")
  else
    CMD=("$KF" scan --jobs "$THREADS" --no-validate --no-update-check --quiet --format json
         --output "$out" "$dir")
  fi
  t0=${EPOCHREALTIME/[.,]/}
  timeout "$TIMEOUT" /usr/bin/time -f '%M' -o "$err" "${CMD[@]}" >/dev/null 2>"$WORK/stderr" || rc=$?
  t1=${EPOCHREALTIME/[.,]/}
  if [ "$rc" = 124 ]; then
    WALL="timeout (${TIMEOUT} s)"; RSS="-"; WHAT="-"
    return
  fi
  WALL=$(awk -v d=$((t1 - t0)) 'BEGIN{printf "%.2f", d/1e6}')
  RSS=$(awk '{m=$1} END{printf "%.0f", m/1024}' "$err")
  # Both reports end with their summary: read only that much (the reports are large).
  if [ "$tool" = sprawl ]; then
    WHAT=$(tail -c 3000 "$out" | grep -o '"findings": *[0-9][0-9]*\|"locations": *[0-9][0-9]*' |
      tr -d ' "' | paste -sd' ' -)
  else
    WHAT=$(tail -c 3000 "$out" | grep -o '"findings": *[0-9][0-9]*' | head -n 1 | tr -d ' "')
  fi
  WHAT="${WHAT:-?} (exit $rc)"
}

echo "# Pathological inputs"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); host: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- sprawl: $("$SPRAWL" --version), source $(git -C "$ROOT" rev-parse --short HEAD)"
[ -n "$KF" ] && echo "- kingfisher: $("$KF" --version)"
echo "- commands: \`sprawl scan --threads $THREADS --no-ignore --quiet --format json --output F DIR\`;"
echo "  \`kingfisher scan --jobs $THREADS --no-validate --no-update-check --quiet --format json --output F DIR\`"
echo
echo "| input | hits | MB | sprawl s | sprawl RSS MB | sprawl reported | kingfisher s | kingfisher RSS MB | kingfisher reported | sprawl / kingfisher wall |"
echo "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |"
for n in $SIZES; do
  for c in $CASES; do
    dir=$WORK/$c-$n
    mkdir -p "$dir"
    make_input "$c" "$n" "$dir"
    mb=$(du -b "$dir" | awk '{printf "%.1f", $1/1048576}')
    run sprawl "$dir"
    s_wall=$WALL s_rss=$RSS s_what=$WHAT
    k_wall="-" k_rss="-" k_what="-" ratio="-"
    if [ -n "$KF" ]; then
      run kingfisher "$dir"
      k_wall=$WALL k_rss=$RSS k_what=$WHAT
      case "$s_wall$k_wall" in
        *timeout*) ;;
        *) ratio=$(awk -v a="$s_wall" -v b="$k_wall" 'BEGIN{printf "%.2f", a/b}') ;;
      esac
    fi
    echo "| $c | $n | $mb | $s_wall | $s_rss | $s_what | $k_wall | $k_rss | $k_what | $ratio |"
    rm -rf "$dir"
  done
done
