#!/usr/bin/env bash
# The README's second command (and what .ci/run calls): install what is missing, build and run
# every test with the dev preset, then again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
jobs=$(nproc)

for preset in dev asan; do
  echo "== preset $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== preset $preset: ctest"
  ctest --preset "$preset" -j "$jobs"
done
