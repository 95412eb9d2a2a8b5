#!/usr/bin/env bash
# Cost of version-2 fingerprints (Argon2id): per derivation, for N distinct secrets on all cores,
# and end to end: a scan of a tree holding N distinct generic passwords (one per file) compared
# with the same scan of the same tree with the secrets replaced by non-secrets.
#   bench/fingerprint.sh [N]        # default 10000
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
cargo build --release --locked --quiet --example fingerprint_cost
cargo build --release --locked --quiet
target=${CARGO_TARGET_DIR:-target}
"$target/release/examples/fingerprint_cost" "$N"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/secrets" "$work/clean"
# Distinct random 20-character passwords (fixed seed), one per file; the clean tree has a
# host name where the password was.
awk -v n="$N" -v dir="$work" 'BEGIN {
  srand(42); a = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
  for (i = 0; i < n; i++) {
    p = ""; for (k = 0; k < 20; k++) p = p substr(a, int(rand() * length(a)) + 1, 1)
    f = dir "/secrets/app" i ".env"; print "DB_PASSWORD=" p > f; close(f)
    f = dir "/clean/app" i ".env"; print "DB_HOST=db" i ".internal" > f; close(f)
  }
}'

for tree in clean secrets; do
  start=$EPOCHREALTIME
  "$target/release/sprawl" scan --no-config --quiet --format json --output "$work/$tree.json" \
    "$work/$tree" || true
  end=$EPOCHREALTIME
  findings=$(grep -c '"fingerprint"' "$work/$tree.json" || true)
  echo "scan of $N files ($tree): $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s, $findings findings"
done
