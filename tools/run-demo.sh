#!/usr/bin/env bash
# The README's first command: install what is missing, build libfetch (release preset), start
# the bundled echo server on a free loopback port and run examples/connect_only_echo against it:
# a libcurl-style CONNECT_ONLY program that sends a line and reads the echo back.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target connect_only_echo fetch-test-server

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
