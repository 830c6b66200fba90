#!/usr/bin/env bash
# Builds every cargo-fuzz target in fuzz/ and runs each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; TARGETs default to all of
# `cargo fuzz list`. Exits non-zero when any target finds a crash, a
# timeout (an input taking over FUZZ_INPUT_TIMEOUT seconds, default 10) or
# an out-of-memory input; the input is saved under fuzz/artifacts/TARGET/.
#
# Runs on the stable toolchain: `-s none` leaves out -Zsanitizer (the only
# nightly flag cargo fuzz passes); coverage instrumentation and libFuzzer
# work on stable. Debug assertions and overflow checks are on. With a
# nightly toolchain, FUZZ_SANITIZER=address adds AddressSanitizer.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a C++ compiler for
# libFuzzer. Builds go to $CARGO_TARGET_DIR/fuzz when CARGO_TARGET_DIR is
# set, else fuzz/target. The corpus grows in fuzz/corpus/TARGET (not
# committed); fuzz/seeds/TARGET holds the hand-written seed inputs and
# fuzz/dicts/ libFuzzer dictionaries.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

seconds="${1:-60}"
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 64
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
  exit 1
fi

sanitizer="${FUZZ_SANITIZER:-none}"
input_timeout="${FUZZ_INPUT_TIMEOUT:-10}"
target_dir="${CARGO_TARGET_DIR:+$CARGO_TARGET_DIR/fuzz}"
target_dir="${target_dir:-$root/fuzz/target}"
flags=(-s "$sanitizer" --debug-assertions --target-dir "$target_dir")

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

# The GeoNames targets write their input files under TMPDIR; keep them in
# one directory that goes away with the run.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "== building ${#targets[@]} fuzz targets (sanitizer: $sanitizer)"
cargo fuzz build "${flags[@]}"

failed=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  seeds=()
  [ -d "fuzz/seeds/$target" ] && seeds=("fuzz/seeds/$target")
  # A dictionary per target family: resolve_default uses resolve.dict.
  dict=()
  for name in "$target" "${target%%_*}"; do
    if [ -f "fuzz/dicts/$name.dict" ]; then
      dict=(-dict="fuzz/dicts/$name.dict")
      break
    fi
  done
  echo "== $target: ${seconds}s"
  log="$scratch/$target.log"
  if TMPDIR="$scratch" cargo fuzz run "${flags[@]}" "$target" \
      "fuzz/corpus/$target" "${seeds[@]}" -- \
      -max_total_time="$seconds" -timeout="$input_timeout" -rss_limit_mb=4096 \
      -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
    runs="$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1)"
    echo "   ok: ${runs:-?} runs, ${cov:-cov: ?}, corpus $(find "fuzz/corpus/$target" -type f | wc -l) inputs"
  else
    failed+=("$target")
    echo "   FAILED; the end of its log:"
    grep -v '^#[0-9]' "$log" | tail -40 | sed 's/^/   | /'
    echo "   artifacts: $(ls "fuzz/artifacts/$target" | tr '\n' ' ')"
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "== failed: ${failed[*]}" >&2
  echo "   reproduce: cargo fuzz run ${flags[*]} TARGET fuzz/artifacts/TARGET/<file>" >&2
  echo "   then keep the input as fuzz/regressions/TARGET/<name>: cargo test replays it" >&2
  exit 1
fi
echo "== all ${#targets[@]} targets ran ${seconds}s without a crash"
