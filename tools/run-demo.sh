#!/usr/bin/env bash
# The README's first command: install what is missing, build libfetch and the fetch CLI (release
# preset), then
#   1. download 16 files in parallel from the bundled test server with `fetch -Z` (progress bars
#      when stderr is a terminal, a summary, every byte checked) — tools/fetch/demo.sh;
#   2. run examples/http_get_post, a libcurl-style program (GET through a redirect, then POST on
#      the same keep-alive connection), by fetch_easy_perform and by a multi handle;
#   3. run examples/connect_only_echo, a libcurl-style CONNECT_ONLY program, against the bundled
#      echo server.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target connect_only_echo http_get_post fetch-test-server \
  fetch_cli

FETCH_DEMO_BUILD_DIR=build/release tools/fetch/demo.sh

bin=build/release
site=$(mktemp -d)
head -c 100000 /dev/urandom >"$site/page.bin"
"$bin/tests/server/fetch-test-server" --http --files "$site" --max-seconds 60 >"$site/server.out" &
http_server=$!
trap 'kill $http_server 2>/dev/null; rm -rf "$site"' EXIT
for _ in $(seq 50); do grep -q '^PORT ' "$site/server.out" && break; sleep 0.1; done
http_port=$(awk '/^PORT /{print $2}' "$site/server.out")
[ -n "$http_port" ] || { echo "HTTP test server did not start" >&2; exit 1; }
echo "== examples/http_get_post: GET via a redirect, then POST, one keep-alive connection"
"$bin/examples/http_get_post" "http://127.0.0.1:$http_port" page.bin
echo "== the same through a multi handle (fetch_multi_perform + fetch_multi_poll)"
"$bin/examples/http_get_post" --multi "http://127.0.0.1:$http_port" page.bin
kill $http_server 2>/dev/null || true

out=$(mktemp)
"$bin/tests/server/fetch-test-server" --echo --max-seconds 60 >"$out" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$out"; rm -rf "$site"' EXIT
for _ in $(seq 50); do grep -q '^PORT ' "$out" && break; sleep 0.1; done
port=$(awk '/^PORT /{print $2}' "$out")
[ -n "$port" ] || { echo "echo server did not start" >&2; exit 1; }

echo "== echo server on 127.0.0.1:$port"
"$bin/examples/connect_only_echo" "http://127.0.0.1:$port" "hello from libfetch"
"$bin/examples/connect_only_echo" "http://localhost:$port" "resolved, happy eyeballs, connected"
echo "== a closed port gives FETCHE_COULDNT_CONNECT (7):"
"$bin/examples/connect_only_echo" "http://127.0.0.1:1" || echo "exit code $?"
