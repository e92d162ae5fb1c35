#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang-14 (ASan + UBSan, the whole
# library instrumented for coverage) and runs each for SECONDS over its
# committed corpus tests/fuzz/corpus-<target>/ (read only; new inputs go to
# a scratch folder; --merge adds the interesting ones to the corpus).
#   tests/fuzz/run.sh [SECONDS=20] [--merge]       (BUILD: build folder)
# Needs clang-14 and libclang-rt-14-dev (.ci/install-deps).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-20}
merge=${2:-}
build=${BUILD:-$src/_build-fuzz}
targets=(qr declaration mirror-csv portrait sim-json)

if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 meson setup "$build" "$src" -Dgui=false -Dfuzzing=true \
    -Dcamera=disabled -Dzxing=disabled -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi
ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz-}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export G_DEBUG=fatal-criticals
status=0
for t in "${targets[@]}"; do
  scratch=$(mktemp -d)
  corpus=$src/tests/fuzz/corpus-$t
  echo "== fuzz-$t for ${seconds}s over $(ls "$corpus" | wc -l) seeds"
  if ! "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/" \
       "$scratch" "$corpus" 2>"$scratch.log"; then
    status=1
    tail -60 "$scratch.log"
    echo "fuzz-$t FAILED: the input is in $build/crash-*"
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added|cov:" "$scratch.log" | tail -3
  fi
  if [ "$merge" = "--merge" ]; then
    "$build/tests/fuzz/fuzz-$t" -merge=1 "$corpus" "$scratch" 2>/dev/null
  fi
  rm -rf "$scratch" "$scratch.log"
done
exit $status
