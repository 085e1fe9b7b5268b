#!/usr/bin/env bash
# Installs with apt-get whatever libfetch's build, tests and demo need and is missing.
# Debian 12 (bookworm), run as root. Idempotent: does nothing when everything is present.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config         # build
  libuv1-dev                                # the event loop
  android-libboringssl-dev                  # TLS and crypto (kept apart from OpenSSL)
  node-llhttp                               # HTTP/1 parser sources, compiled by third_party/llhttp
  libgtest-dev googletest                   # tests
  libbenchmark-dev                          # micro-benchmarks (bench/)
  libcurl4-openssl-dev                      # libcurl side by side (tests/compat, bench/)
  zlib1g-dev libbrotli-dev libzstd-dev      # content decoding (gzip/deflate, br, zstd)
  nginx-light                               # interop tests against a real server
  clang libclang-rt-14-dev                  # the libFuzzer targets (tools/run-fuzz.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Packages must not start services (nginx's default site listens on every interface): tests
# start their own servers on 127.0.0.1. policy-rc.d exit 101 tells invoke-rc.d "not allowed".
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  made_policy=1
fi
trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
