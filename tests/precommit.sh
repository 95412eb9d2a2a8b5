#!/usr/bin/env bash
# The pre-commit framework flow, end to end, with the real `pre-commit` (from PyPI, in a
# throwaway venv) against this repository's .pre-commit-hooks.yaml:
#
#   1. a staged secret            -> the hook fails, naming the file, line and rule
#   2. the secret removed         -> the hook passes
#   3. a staged `sprawl:allow` line -> the hook passes
#
# `pre-commit try-repo` builds sprawl from this checkout (uncommitted changes included) with
# `cargo install`, so the first run needs PyPI and crates.io and takes a few minutes. It is not
# part of `cargo test`; run it by hand or in CI: `bash tests/precommit.sh`.
# The temporary repository carries its own `.sprawl.toml` with a `tst_` test rule, so the test
# does not depend on the built-in rule pack.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
pre_commit="$work/venv/bin/pre-commit"
export PRE_COMMIT_HOME="$work/pre-commit-cache"
# try-repo clones this checkout afresh on every run and pre-commit then runs `cargo install`
# in the clone; one shared target directory makes the second and third builds incremental.
export CARGO_TARGET_DIR="$work/cargo-target"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A fresh repository with fixed identity and dates.
repo="$work/repo"
git init -q "$repo"
cd "$repo"
git config user.name "sprawl test"
git config user.email "test@example.invalid"
git config commit.gpgsign false
export GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"
cat > .sprawl.toml <<'TOML'
[[rule]]
id = "test.token"
name = "Test token"
severity = "high"
keywords = ["tst_"]
pattern = '''\b(?P<secret>tst_[A-Za-z0-9]{20})\b'''
remediation = "Revoke the test token."
TOML
echo "# demo" > README.md
git add .sprawl.toml README.md
git commit -q -m "initial"

run_hook() {
  # try-repo runs the hook on the staged files only (no --all-files).
  set +e
  "$pre_commit" try-repo "$here" sprawl --color never > "$work/out.txt" 2>&1
  status=$?
  set -e
  cat "$work/out.txt"
  return 0
}

# 1. A staged secret blocks the commit with a readable message.
printf 'DEBUG=1\nTOKEN=tst_iKE9Ii14QitQCsqfNISB\n' > app.env
git add app.env
run_hook
[ "$status" -ne 0 ] || fail "a staged secret passed the hook"
grep -q "sprawl (secrets in staged changes)\.*Failed" "$work/out.txt" || fail "no Failed line"
grep -q "Test token" "$work/out.txt" || fail "the rule is not named"
grep -q "app.env:2:7" "$work/out.txt" || fail "the place (app.env:2:7) is not named"
grep -q "tst_iKE9Ii14QitQCsqfNISB" "$work/out.txt" && fail "the secret value was printed"
echo "ok 1: staged secret blocked"

# 2. After removing it, the commit passes.
# shellcheck disable=SC2016 # a literal ${TOKEN} reference, as a config file would hold
printf 'DEBUG=1\nTOKEN=${TOKEN}\n' > app.env
git add app.env
run_hook
[ "$status" -eq 0 ] || fail "the hook still fails after the secret was removed"
grep -q "sprawl (secrets in staged changes)\.*Passed" "$work/out.txt" || fail "no Passed line"
git commit -q -m "config without secret"
echo "ok 2: removed secret passes"

# 3. A staged line marked sprawl:allow passes.
printf 'FIXTURE=tst_mGS4LgIeMdWRDwhduGKZ  # sprawl:allow (fake value for tests)\n' > fixture.env
git add fixture.env
run_hook
[ "$status" -eq 0 ] || fail "a sprawl:allow line was blocked"
echo "ok 3: sprawl:allow line passes"

echo "3 passed, 0 failed"
