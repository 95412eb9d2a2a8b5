#!/usr/bin/env bash
# Peak-RSS benchmark: does sprawl's memory stay flat as inputs grow? Generates (a) a tree of
# 100,000 small files, (b) a ~2 GB tree of larger files, (c) a repository with 10,000 commits,
# scans each with the release build (2 threads) and prints wall time and peak RSS, plus the
# same for a tree 10x smaller than (a) to show the scaling. usage: bench/memory.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/sprawl-memory}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
S=${CARGO_TARGET_DIR:-$PWD/target}/release/sprawl
mkdir -p "$W"
python3 - "$W" <<'PY'
import os, random, string, sys
w = sys.argv[1]; random.seed(3)
A = string.ascii_letters + string.digits
def tok(): return "tst_" + "".join(random.choice(A) for _ in range(20))
def tree(name, files, size):
    root = os.path.join(w, name)
    if os.path.exists(root): return
    line = "const x = 'lorem ipsum dolor sit amet, consectetur adipiscing elit';\n"
    body = line * max(1, size // len(line))
    for i in range(files):
        d = os.path.join(root, f"d{i % 100}", f"e{i // 100 % 100}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"f{i}.js"), "w") as f:
            f.write(body)
            if i % 1000 == 0: f.write(f"token = '{tok()}'\n")
tree("small-10k", 10_000, 200)
tree("small-100k", 100_000, 200)
tree("big-2g", 2_000, 1_000_000)
PY
if [ ! -d "$W/repo-10k" ]; then
  mkdir -p "$W/repo-10k" && git -C "$W/repo-10k" init -q
  python3 - "$W/repo-10k" <<'PY'
import subprocess, sys
repo = sys.argv[1]
# fast-import: 10,000 commits, each changing one of 200 files; a token every 500 commits.
lines = []
for n in range(1, 10_001):
    path = f"src/m{n % 200}.txt"
    content = f"line {n}\n" + (f"token = 'tst_{n:020d}'\n".replace("0", "Q") if n % 500 == 0 else "")
    data = content.encode()
    lines.append(b"commit refs/heads/main\n")
    lines.append(f"committer Dev <dev@example.org> {1_700_000_000 + n} +0000\n".encode())
    lines.append(b"data 4\nc%03d\n" % (n % 1000) if False else f"data {len(str(n))}\n{n}\n".encode())
    lines.append(f"M 100644 inline {path}\n".encode())
    lines.append(f"data {len(data)}\n".encode() + data + b"\n")
subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input=b"".join(lines), check=True)
subprocess.run(["git", "-C", repo, "checkout", "-q", "main"], check=True)
PY
fi
R="--no-builtin-rules --rules $PWD/fixtures/rules/test.toml"
echo "# sprawl peak-RSS benchmark ($(nproc) cores), release build, --threads 2"
echo "| input | files / commits | size | wall (s) | peak RSS (MB) |"
echo "| --- | ---: | ---: | ---: | ---: |"
run() {
  local label=$1 count=$2 path=$3; shift 3
  /usr/bin/time -f '%e %M' -o "$W/time" "$S" scan --threads 2 -q --format json -o "$W/out.json" "$@" "$path" || true
  read -r wall rss < <(tail -n 1 "$W/time")
  echo "| $label | $count | $(du -sh --apparent-size "$path" | cut -f1) | $wall | $((rss / 1024)) |"
}
run "10k small files" 10000 "$W/small-10k" $R
run "100k small files" 100000 "$W/small-100k" $R
run "2 GB tree (2,000 x 1 MB)" 2000 "$W/big-2g" $R
run "10,000-commit repository (history)" 10000 "$W/repo-10k" $R --history-only
run "built-in rules, 100k small files" 100000 "$W/small-100k"
run "built-in rules, 2 GB tree" 2000 "$W/big-2g"
run "built-in rules, 10,000-commit repository" 10000 "$W/repo-10k" --history-only
