#!/usr/bin/env bash
# Builds ttyd (the C peer of bench/terminal.bench.ts) from its public source into bench/.build/ttyd (git-ignored).
#
# Source: a git directory of tsl0922/ttyd (TTYD_GIT_DIR; default the local mirror, else a fresh clone of
# https://github.com/tsl0922/ttyd). One release tag (TTYD_TAG, default 1.7.7) is archived into a temp folder and
# built with cmake against Debian's libwebsockets-dev, libjson-c-dev and libuv1-dev (installed with apt-get when
# missing). Nothing fetched is ever committed; the bench finds the binary at bench/.build/ttyd/ttyd.
set -euo pipefail

TAG="${TTYD_TAG:-1.7.7}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/.build/ttyd"
GIT_DIR_IN="${TTYD_GIT_DIR:-/work/.mirror/tsl0922+ttyd/repo}"

if [ -x "$OUT/ttyd" ] && [ "$("$OUT/ttyd" --version 2>/dev/null | awk '{print $3}' | cut -d- -f1)" = "$TAG" ]; then
  echo "ttyd $TAG already built: $OUT/ttyd"
  exit 0
fi

missing=()
for pkg in libwebsockets-dev libjson-c-dev libuv1-dev cmake build-essential zlib1g-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ttyd-build-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if ! git --git-dir="$GIT_DIR_IN" rev-parse --verify -q "refs/tags/$TAG" >/dev/null 2>&1; then
  echo "no ttyd git dir with tag $TAG at $GIT_DIR_IN; cloning https://github.com/tsl0922/ttyd"
  git clone --bare --filter=blob:none https://github.com/tsl0922/ttyd "$WORK/ttyd.git"
  GIT_DIR_IN="$WORK/ttyd.git"
fi

mkdir -p "$WORK/src" "$WORK/build"
git --git-dir="$GIT_DIR_IN" archive "$TAG" | tar -x -C "$WORK/src"
cmake -S "$WORK/src" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release >"$WORK/cmake.log" 2>&1 || {
  cat "$WORK/cmake.log" >&2
  exit 1
}
cmake --build "$WORK/build" -j 2 >"$WORK/build.log" 2>&1 || {
  cat "$WORK/build.log" >&2
  exit 1
}
mkdir -p "$OUT"
install -m 0755 "$WORK/build/ttyd" "$OUT/ttyd"
echo "built $("$OUT/ttyd" --version): $OUT/ttyd"
