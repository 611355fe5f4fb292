# Sourced by build-linux.sh and build-macos.sh after they set ROOT, VENV and SPEC.
# Prepares the build venv (created on first run) from the lock: every dependency at the version
# and hash of requirements/dev.txt (pip does nothing, offline too, when the venv already has
# them), then the project editable, built by the locked setuptools; renders the icons if needed
# and runs PyInstaller on SPEC. Sets BUILD_SECONDS.

PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ] && [ ! -x "$VENV/Scripts/python.exe" ]; then
    echo "== creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
[ -x "$VENV/Scripts/python.exe" ] && VPY="$VENV/Scripts/python.exe"  # Windows (Git Bash)
echo "== installing the locked dependencies (requirements/dev.txt) and the project into $VENV"
"$VPY" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
"$VPY" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .

echo "== icons"
"$VPY" packaging/make_icons.py --if-needed

echo "== pyinstaller"
start=$(date +%s)
"$VPY" -m PyInstaller --noconfirm --clean \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    "$SPEC"
BUILD_SECONDS=$(( $(date +%s) - start ))
