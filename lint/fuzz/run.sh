#!/usr/bin/env bash
# Fuzzes connlint with cargo-fuzz (nightly, one job).
#   lint/fuzz/run.sh [TARGET] [SECONDS]
# TARGET is lint_bytes (default) or lint_mutated_fixture. The seed corpus is
# the rule fixtures and seed scenarios; crash inputs land in
# lint/fuzz/artifacts/TARGET/ and become regression fixtures in
# testdata/fuzz-regressions/ (for lint_mutated_fixture, dump the mutated text
# with CONNLINT_FUZZ_DUMP=out.rs target/.../lint_mutated_fixture CRASH).
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${1:-lint_bytes}"
seconds="${2:-600}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
corpus="lint/fuzz/corpus/$target"
mkdir -p "$corpus"
if [ "$target" = lint_bytes ]; then
    # Seeds: every fixture, named by content so re-seeding adds no duplicates.
    find testdata/rules testdata/seeds \
        -name '*.rs' -print0 2>/dev/null |
        while IFS= read -r -d '' f; do cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"; done
fi
exec cargo +nightly fuzz run --fuzz-dir lint/fuzz "$target" "$corpus" -- \
    -dict=lint/fuzz/rust.dict -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536
