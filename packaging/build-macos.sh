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
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if [ -n "${VIDU_BUILD_REINSTALL:-}" ] || ! "$VENV/bin/python" -c "import PyInstaller, vidu_desktop" 2>/dev/null; then
    echo "== installing the project with the [package] extra into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[package]"
else
    echo "== $VENV already has PyInstaller and vidu_desktop (VIDU_BUILD_REINSTALL=1 to reinstall)"
fi

echo "== icons"
"$VENV/bin/python" packaging/make_icons.py --if-needed

echo "== pyinstaller"
start=$(date +%s)
"$VENV/bin/python" -m PyInstaller --noconfirm --clean \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    packaging/vidu-desktop.spec
end=$(date +%s)

APP="$ROOT/dist/Vidu Studio.app"
echo "== built $APP in $((end - start)) s"
echo "   size: $(du -sh "$APP" | cut -f1)"
echo "   run:  open \"$APP\"   or   \"$APP/Contents/MacOS/vidu-desktop\""
echo "   smoke: \"$APP/Contents/MacOS/vidu-smoke-play\" --bundle CLIP.mp4"
