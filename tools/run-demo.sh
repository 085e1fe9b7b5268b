#!/usr/bin/env bash
# The README's first command: install what is missing, build libfetch and the fetch CLI (release
# preset), then
#   1. download 16 files in parallel from the bundled test server with `fetch -Z` (progress bars
#      when stderr is a terminal, a summary, every byte checked) — tools/fetch/demo.sh;
#   2. run examples/connect_only_echo, a libcurl-style CONNECT_ONLY program, against the bundled
#      echo server.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target connect_only_echo fetch-test-server fetch_cli

FETCH_DEMO_BUILD_DIR=build/release tools/fetch/demo.sh

bin=build/release
out=$(mktemp)
"$bin/tests/server/fetch-test-server" --echo --max-seconds 60 >"$out" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q '^PORT ' "$out" && break; sleep 0.1; done
port=$(awk '/^PORT /{print $2}' "$out")
[ -n "$port" ] || { echo "echo server did not start" >&2; exit 1; }

echo "== echo server on 127.0.0.1:$port"
"$bin/examples/connect_only_echo" "http://127.0.0.1:$port" "hello from libfetch"
"$bin/examples/connect_only_echo" "http://localhost:$port" "resolved, happy eyeballs, connected"
echo "== a closed port gives FETCHE_COULDNT_CONNECT (7):"
"$bin/examples/connect_only_echo" "http://127.0.0.1:1" || echo "exit code $?"
