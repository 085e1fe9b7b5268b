#!/usr/bin/env bash
# The fetch CLI demo: build libfetch and the fetch program (release preset), serve a directory of
# generated files from the bundled test server on a free loopback port, and download them all in
# parallel with progress bars (when stderr is a terminal) and a summary; then check every byte.
set -euo pipefail
cd "$(dirname "$0")/../.."

# FETCH_DEMO_BUILD_DIR=build/dev uses an existing build instead of building the release preset.
bin=${FETCH_DEMO_BUILD_DIR:-build/release}
if [ -z "${FETCH_DEMO_BUILD_DIR:-}" ]; then
  tools/install-deps.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target fetch_cli fetch-test-server
fi
work=$(mktemp -d)
mkdir -p "$work/files" "$work/downloads"
for i in $(seq 1 16); do
  head -c $((i * 1024 * 1024 + i * 1000)) /dev/urandom >"$work/files/file$i.bin"
done

"$bin/tests/server/fetch-test-server" --http --files "$work/files" --max-seconds 120 \
  >"$work/server.out" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q '^PORT ' "$work/server.out" && break; sleep 0.1; done
port=$(awk '/^PORT /{print $2}' "$work/server.out")
[ -n "$port" ] || { echo "test server did not start" >&2; exit 1; }

urls=()
for i in $(seq 1 16); do urls+=("http://127.0.0.1:$port/file$i.bin"); done
echo "== fetch -Z --parallel-max 6 --remote-name-all (16 files from 127.0.0.1:$port)"
(cd "$work/downloads" && "$OLDPWD/$bin/tools/fetch/fetch" -Z --parallel-max 6 \
  --remote-name-all "${urls[@]}")
for i in $(seq 1 16); do cmp -s "$work/files/file$i.bin" "$work/downloads/file$i.bin"; done
echo "== all 16 files byte-exact"
echo "== one more with -w:"
"$bin/tools/fetch/fetch" -s -o /dev/null \
  -w '%{http_code} %{size_download} bytes in %{time_total} s (%{speed_download} B/s)\n' \
  "http://127.0.0.1:$port/file16.bin"
echo "== a closed port gives FETCHE_COULDNT_CONNECT (7):"
"$bin/tools/fetch/fetch" "http://127.0.0.1:1/" || echo "exit code $?"
