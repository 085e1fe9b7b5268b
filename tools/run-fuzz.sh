#!/usr/bin/env bash
# Builds the HTTP/1 response fuzzer with clang (libFuzzer + ASan + UBSan) and runs it for the
# given number of seconds (default 60) on a copy of the seed corpus. Prints libFuzzer's final
# stats line; exits non-zero on a crash, leak or disagreement between whole and split reads.
#   tools/run-fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

tools/install-deps.sh
if ! command -v clang++ >/dev/null || [ ! -d /usr/lib/llvm-14/lib/clang ]; then
  echo "run-fuzz: clang and libclang-rt-14-dev are needed (tools/install-deps.sh installs them)" >&2
  exit 1
fi

out=build/fuzz
mkdir -p "$out/obj"
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)
# llhttp's C sources from Debian's node-llhttp, compiled as C.
objs=()
for c in /usr/share/llhttp/*.c; do
  o="$out/obj/$(basename "$c" .c).o"
  clang -c "${flags[@]/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,}" -w \
    -I/usr/share/include/llhttp "$c" -o "$o"
  objs+=("$o")
done
clang++ -std=c++20 "${flags[@]}" -I. -Iapi/include -I/usr/share/include/llhttp \
  protocols/http1/fuzz/response_fuzzer.cc protocols/http1/*.cc "${objs[@]}" \
  $(pkg-config --libs zlib libbrotlidec libzstd) -o "$out/http1_response_fuzzer"

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp protocols/http1/fuzz/corpus/* "$corpus/"
"$out/http1_response_fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
  -rss_limit_mb=2048 "$corpus" 2>"$out/fuzz.log" || { tail -40 "$out/fuzz.log"; exit 1; }
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs" "$out/fuzz.log"
