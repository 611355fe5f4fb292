#!/usr/bin/env bash
# Build Vidu Studio for Linux with PyInstaller (onedir): dist/vidu-desktop/
#
#   packaging/build-linux.sh            # build venv: build/venv-linux (created on first run)
#   VIDU_BUILD_VENV=.venv packaging/build-linux.sh   # reuse an existing venv (e.g. the dev one)
#
# The project is installed editable (-e) with the [package] extra, so a dev venv stays a dev venv
# (skipped when the venv already has PyInstaller and vidu_desktop, e.g. offline; set
# VIDU_BUILD_REINSTALL=1 to force it). The spec reads the sources from the tree either way.
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
