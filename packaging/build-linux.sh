#!/usr/bin/env bash
# Build Vidu Studio for Linux with PyInstaller (onedir): dist/vidu-desktop/
#
#   packaging/build-linux.sh            # build venv: build/venv-linux (created on first run)
#   VIDU_BUILD_VENV=.venv packaging/build-linux.sh   # reuse an existing venv (e.g. the dev one)
#
# The venv gets the locked dependencies (requirements/dev.txt, hash-checked: the build is made
# from the lock) and the project editable, so a dev venv stays a dev venv. The spec reads the
# sources and resources from the tree.
# Needs Python >= 3.12.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VIDU_BUILD_VENV:-$ROOT/build/venv-linux}"
SPEC=packaging/vidu-desktop.spec
# shellcheck source=build-common.sh
source "$ROOT/packaging/build-common.sh"

OUT="$ROOT/dist/vidu-desktop"
echo "== built $OUT in $BUILD_SECONDS s"
echo "   size: $(du -sh "$OUT" | cut -f1)"
echo "   run:  $OUT/vidu-desktop    (smoke test: packaging/smoke-linux.sh)"
