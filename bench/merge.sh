#!/usr/bin/env bash
# Merge benchmark: generate N JSONL reports totalling L locations (credentials shared across
# reports, as a CI matrix over many repositories would produce), then time `sprawl merge` and
# record its peak RSS. usage: bench/merge.sh [REPORTS] [LOCATIONS]   (default 1000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
L=${2:-1000000}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sprawl-merge.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
SPRAWL=${CARGO_TARGET_DIR:-$PWD/target}/release/sprawl
python3 - "$WORK" "$N" "$L" <<'PY'
import hashlib, json, os, random, sys
work, n, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
per = total // n
pool = 50_000  # distinct credentials across the organisation
os.makedirs(f"{work}/reports")
for r in range(n):
    with open(f"{work}/reports/repo-{r:04}.jsonl", "w") as out:
        left = per
        while left > 0:
            cred = random.randrange(pool)
            k = min(left, random.randint(1, 20))
            fp = hashlib.sha256(f"cred-{cred}".encode()).hexdigest()
            locs = [{"root": f"repo-{r:04}", "path": f"src/mod{cred % 97}/file{i}.env",
                     "line": i + 1, "column": 7, "source": "git",
                     "application": f"repo-{r:04}",
                     "commit": hashlib.sha1(f"{r}-{cred}-{i}".encode()).hexdigest(),
                     "author": "Dev", "email": "dev@example.org",
                     "date": "2025-01-01T00:00:00+00:00", "blob": "0" * 40,
                     "commit_count": 1, "in_head": i % 2 == 0} for i in range(k)]
            out.write(json.dumps({"rule": {"id": "test.token", "name": "Test token"},
                "severity": "high", "confidence": "high", "lifetime": "static",
                "fingerprint": fp, "secret": "tst_…(24 chars)", "live": True,
                "locations": locs, "remediation": "Revoke."}) + "\n")
            left -= k
PY
BYTES=$(du -sm "$WORK/reports" | cut -f1)
echo "# sprawl merge benchmark"
echo "- input: $N reports, $((N * (L / N))) locations, ${BYTES} MB of JSONL ($(nproc) cores)"
echo "- command: sprawl merge $WORK/reports/*.jsonl --format jsonl --output OUT"
set +e
/usr/bin/time -f '%e %M' -o "$WORK/time" "$SPRAWL" merge "$WORK"/reports/*.jsonl --format jsonl --output "$WORK/out.jsonl"
code=$?
set -e
read -r wall rss < <(tail -n 1 "$WORK/time")
echo "- exit code: $code (1 = findings)"
echo "- merged credentials: $(wc -l < "$WORK/out.jsonl")"
echo "- wall: ${wall} s, peak RSS: $((rss / 1024)) MB"
