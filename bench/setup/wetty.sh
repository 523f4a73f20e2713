#!/usr/bin/env bash
# Installs wetty (the Node peer of bench/terminal.bench.ts) and socket.io-client from the npm registry into
# bench/.build/wetty (git-ignored; PORTHOLE_WETTY_DIR overrides it), then builds wetty's native node-pty, whose
# install script npm 11 does not run by itself. Nothing installed here is committed; the bench finds wetty there.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${PORTHOLE_WETTY_DIR:-$ROOT/bench/.build/wetty}"
VERSION="${WETTY_VERSION:-3.2.0}"

if [ -f "$OUT/node_modules/wetty/build/main.js" ] && [ -f "$OUT/node_modules/node-pty/build/Release/pty.node" ]; then
  echo "wetty already installed: $OUT"
  exit 0
fi
mkdir -p "$OUT"
npm install --prefix "$OUT" --no-audit --no-fund --no-save "wetty@$VERSION" socket.io-client@4
(cd "$OUT" && npm rebuild node-pty --ignore-scripts=false)
test -f "$OUT/node_modules/node-pty/build/Release/pty.node" || {
  echo "node-pty did not build (needs python3, make and g++)" >&2
  exit 1
}
echo "installed wetty $VERSION: $OUT"
