#!/usr/bin/env bash
# Build Vidu Studio for macOS with PyInstaller: dist/Vidu Studio.app (and dist/vidu-desktop/)
#
#   packaging/build-macos.sh
#   VIDU_BUILD_VENV=.venv packaging/build-macos.sh   # reuse an existing venv
#
# Builds for the architecture of the Python that runs it (arm64 or x86_64). The app is neither
# signed nor notarised: see packaging/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VIDU_BUILD_VENV:-$ROOT/build/venv-macos}"
SPEC=packaging/vidu-desktop.spec
# shellcheck source=build-common.sh
source "$ROOT/packaging/build-common.sh"

APP="$ROOT/dist/Vidu Studio.app"
echo "== built $APP in $BUILD_SECONDS s"
echo "   size: $(du -sh "$APP" | cut -f1)"
echo "   run:  open \"$APP\"   or   \"$APP/Contents/MacOS/vidu-desktop\""
echo "   smoke: \"$APP/Contents/MacOS/vidu-smoke-play\" --bundle CLIP.mp4"
