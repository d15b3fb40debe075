#!/usr/bin/env bash
# README command 2: install what is missing and run the whole test suite:
# format, clippy (server and WASM), the release build, native tests on SQLite
# and PostgreSQL, browser tests in headless Chromium, and the page weight.
source "$(dirname "$0")/setup.sh" --browser
cd "$SAO_ROOT"
started=$(date +%s)

# Both engines, or fail now (before the long build); see the script.
source "$SAO_ROOT/scripts/postgres.sh"

say "cargo fmt --check"
cargo fmt --all -- --check

say "rule data: re-derive the 26 scorecards from the decision's text"
python3 tests/rules/transcribe.py --check --source "$SAO_ROOT/app/rules/source/qd-26-2026-QD-TTg.txt"

say "dependencies: cargo deny --offline check bans licenses sources (deny.toml; advisories need GitHub)"
deny_log="$CARGO_TARGET_DIR/deny.log"
if ! cargo deny --offline check bans licenses sources > "$deny_log" 2>&1; then
  grep -E '^(error|warning)\[' -A6 "$deny_log" | head -80
  say "FAILED: cargo deny (the whole report is in $deny_log)"
  exit 1
fi
deny_line="cargo deny: licenses and sources ok, $(grep -c '^warning\[duplicate' "$deny_log" || true) crates in more than one version"
say "$deny_line"

say "clippy, server side (ssr)"
cargo clippy --workspace --all-targets -- -D warnings
say "clippy, browser side (hydrate, wasm32)"
cargo clippy -p sao-frontend --features hydrate --target wasm32-unknown-unknown -- -D warnings

build_release

say "native = WASM: the same corpus through both builds, compared byte for byte"
corpus="$CARGO_TARGET_DIR/corpus-native.txt"
cargo run -q -p sao-scoring --example corpus > "$corpus"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner SAO_CORPUS_NATIVE="$corpus" \
  cargo test -p sao-scoring --target wasm32-unknown-unknown --test wasm_corpus 2>&1 | tee "$CARGO_TARGET_DIR/corpus-wasm.log"
grep -q "test result: ok. 1 passed" "$CARGO_TARGET_DIR/corpus-wasm.log"
corpus_line="native = WASM: $(wc -l < "$corpus") councils, $(wc -c < "$corpus") bytes identical"
say "$corpus_line"


say "fuzz: the parsers of hostile input, 60 s over five targets (tests/examples/fuzz.rs)"
fuzz_log="$CARGO_TARGET_DIR/fuzz.log"
if ! cargo run -q -p sao-tests --example fuzz -- --seconds 60 2>&1 | tee "$fuzz_log"; then
  say "FAILED: the fuzzer found a crash (its input is in target/fuzz-crashes/)"
  exit 1
fi

export SAO_RELEASE_BIN="$CARGO_TARGET_DIR/release/sao"
export SAO_SITE_ROOT="$LEPTOS_SITE_ROOT"
export SAO_REQUIRE_RELEASE=1
say "native tests (cargo test --workspace: ssr only, never with hydrate)"
log="$(mktemp)"
set +e
# A hung test must not eat CI's 90 minutes: the whole native run gets 30.
timeout 1800 cargo test --workspace --lib --bins --tests -- --nocapture 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
set -e

echo
say "summary"
grep -E '^(PAGE|NETWORK) WEIGHT:' "$log" || true
grep -E '^FUZZ ' "$fuzz_log" || true
grep -E '^(malformed sweep|backup) on ' "$log" || true
grep -E '^screenshot |^sign-up/log-in ' "$log" || true
grep -E '^authorization matrix on |^throttle on ' "$log" || true
say "$corpus_line"
say "$deny_line"
say "$postgres_line"
say "took $(( $(date +%s) - started )) s"
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$test_status"
