#!/usr/bin/env bash
# Runs the frozen app's own self-test offscreen, on Linux, macOS or Windows (Git Bash): the
# bundle built by packaging/build-<system>, its sample pictures added, a sandbox generation,
# the clip played until a frame shows, self-test.png saved. Exit 0 when it all passed.
# (packaging/smoke-linux.sh runs this and more on Linux.)
#
#   packaging/self-test-bundle.sh [PATH-TO-vidu-desktop]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$(uname -s)" in
    Darwin) APP="$ROOT/dist/Vidu Studio.app/Contents/MacOS/vidu-desktop" ;;
    MINGW* | MSYS* | CYGWIN*) APP="$ROOT/dist/vidu-desktop/vidu-desktop.exe" ;;
    *) APP="$ROOT/dist/vidu-desktop/vidu-desktop" ;;
esac
APP="${1:-$APP}"
[ -x "$APP" ] || { echo "no frozen app at $APP: build it first (packaging/build-*)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen

rc=0
"$APP" --sandbox --self-test --profile-dir "$WORK/profile" || rc=$?
# the windowed Windows executable has no console: the report is in the log as well
grep -h -A8 -E "self-test (passed|FAILED)" "$WORK/profile/logs/app.log" 2>/dev/null \
    | grep -E "self-test (passed|FAILED)|^  [a-z0-9]" || true
if [ "$rc" -ne 0 ] || [ ! -s "$WORK/profile/self-test.png" ]; then
    echo "FAIL  the frozen self-test (exit $rc)"
    tail -30 "$WORK/profile/logs/app.log" 2>/dev/null || true
    exit 1
fi
echo "PASS  the frozen self-test ($APP)"
