#!/usr/bin/env bash
# Smoke-test the frozen Linux build, offscreen. Builds it first when it is missing (or with
# --rebuild). Exit 0 when every check passes.
#
#   packaging/smoke-linux.sh [--rebuild]
#   VIDU_BUILD_VENV=.venv packaging/smoke-linux.sh
#
# Checks, all with QT_QPA_PLATFORM=offscreen:
#   1. vidu-desktop --help and vidu-cli --help exit 0
#   2. the Qt FFmpeg multimedia plugin is in the bundle
#   3. vidu-smoke-play --bundle CLIP: keyring backends, PyAV, uvicorn, resources, then plays an
#      MP4 (rendered beforehand by the project's renderer in the normal Python) with
#      QMediaPlayer until video frames arrive
#   4. vidu-desktop --sandbox starts: the window is shown and the in-process emulator listens
#      (uvicorn + PyAV frozen); then SIGTERM ends it
#   5. vidu-desktop --sandbox --self-test: the frozen app adds its bundled sample pictures,
#      generates in the sandbox, plays the clip until a frame shows and saves self-test.png
#   6. vidu-cli --sandbox board: a 2-shot board generated, its takes picked and exported as
#      one MP4, an OpenTimelineIO timeline (the adapter manifest frozen) and a PDF sheet
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VIDU_BUILD_VENV:-$ROOT/build/venv-linux}"
OUT="$ROOT/dist/vidu-desktop"
export QT_QPA_PLATFORM=offscreen

if [ "${1:-}" = "--rebuild" ] || [ ! -x "$OUT/vidu-smoke-play" ]; then
    VIDU_BUILD_VENV="$VENV" "$ROOT/packaging/build-linux.sh"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail=0
check() {  # check NAME COMMAND...
    local name="$1"; shift
    if "$@" >"$WORK/out.txt" 2>&1; then
        echo "PASS  $name"
    else
        echo "FAIL  $name (exit $?)"; sed 's/^/      /' "$WORK/out.txt" | tail -20; fail=1
    fi
}

check "vidu-desktop --help" "$OUT/vidu-desktop" --help
check "vidu-cli --help" "$OUT/vidu-cli" --help
check "FFmpeg multimedia plugin bundled" \
    bash -c "ls '$OUT'/_internal/PySide6/Qt/plugins/multimedia/*ffmpegmediaplugin*"

echo "      rendering a test clip with vidu_desktop.emulator.media (normal Python)"
"$VENV/bin/python" - "$WORK/clips" >"$WORK/clip.txt" <<'PY'
import io, sys
from pathlib import Path
from PIL import Image
from vidu_desktop.emulator.media import RenderSpec, render
buf = io.BytesIO()
Image.new("RGB", (320, 240), (90, 70, 220)).save(buf, "PNG")
spec = RenderSpec(images=(buf.getvalue(),), width=320, height=240, duration_s=1.0)
print(render(spec, Path(sys.argv[1])).video_path)
PY
CLIP="$(cat "$WORK/clip.txt")"
check "vidu-smoke-play --bundle plays $(basename "$CLIP")" \
    timeout 60 "$OUT/vidu-smoke-play" --bundle --frames 5 "$CLIP"
grep -E "^(OK|keyring|av )" "$WORK/out.txt" | sed 's/^/      /' || true

# 4. the real app, sandbox mode, its own profile folder
PROFILE="$WORK/profile"
"$OUT/vidu-desktop" --sandbox --profile-dir "$PROFILE" >"$WORK/app.txt" 2>&1 &
APP_PID=$!
started=0
for _ in $(seq 1 60); do
    if grep -q "window shown" "$PROFILE/logs/app.log" 2>/dev/null \
            && grep -q "sandbox emulator on" "$PROFILE/logs/app.log" 2>/dev/null; then
        started=1; break
    fi
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.5
done
if [ "$started" = 1 ]; then
    kill -TERM "$APP_PID"
    rc=0; wait "$APP_PID" || rc=$?
    # 0: closed as the user would; 143: SIGTERM's default action (the unfrozen app does the same)
    if [ "$rc" = 0 ] || [ "$rc" = 143 ]; then
        echo "PASS  vidu-desktop --sandbox starts (window shown, emulator up); exit $rc on SIGTERM"
    else
        echo "FAIL  vidu-desktop --sandbox exited $rc on SIGTERM"; tail -20 "$WORK/app.txt"; fail=1
    fi
else
    kill -KILL "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    echo "FAIL  vidu-desktop --sandbox did not start within 30 s"
    tail -20 "$WORK/app.txt"; tail -20 "$PROFILE/logs/app.log" 2>/dev/null || true; fail=1
fi

# 5. the frozen self-test: the whole chain, window to played clip
SELF="$WORK/self-test-profile"
check "vidu-desktop --sandbox --self-test (generate, download, play, screenshot)" \
    timeout 300 "$OUT/vidu-desktop" --sandbox --profile-dir "$SELF" --self-test
sed -n '/^self-test /,$p' "$WORK/out.txt" | grep -E "^(self-test |  [a-z0-9])" | sed 's/^/      /' || true
check "self-test.png saved" test -s "$SELF/self-test.png"

# 6. the storyboard from the frozen command line: PyAV, OpenTimelineIO and Pillow's PDF
BOARD="$WORK/board-profile"
CLI=("$OUT/vidu-cli" --sandbox --profile-dir "$BOARD")
SAMPLE="$ROOT/resources/samples/character-robot.jpg"
board_walk() {
    "${CLI[@]}" board new Smoke --provider vidu --model viduq1 &&
    "${CLI[@]}" board add-shot Smoke --prompt "the robot waves" --ref "$SAMPLE" &&
    "${CLI[@]}" board add-shot Smoke --prompt "the robot walks away" --ref "$SAMPLE" &&
    timeout 300 "${CLI[@]}" board generate Smoke --yes &&
    "${CLI[@]}" board pick Smoke 1 1 && "${CLI[@]}" board pick Smoke 2 1 &&
    "${CLI[@]}" board export Smoke --out "$WORK/film" --timeline otio --sheet pdf &&
    test -s "$WORK/film/Smoke.mp4" && test -s "$WORK/film/Smoke.otio" &&
    test -s "$WORK/film/Smoke.pdf" && grep -q '"OTIO_SCHEMA"' "$WORK/film/Smoke.otio"
}
check "vidu-cli --sandbox board: generate, pick, export (MP4, OTIO, PDF)" board_walk

echo "      bundle: $OUT ($(du -sh "$OUT" | cut -f1))"
exit "$fail"
