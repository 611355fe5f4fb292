# Sourced by build-linux.sh and build-macos.sh after they set ROOT, VENV and SPEC.
# Prepares the build venv (created on first run; the project installed editable with the
# [package] extra, skipped when the venv already has PyInstaller and vidu_desktop, e.g. offline;
# VIDU_BUILD_REINSTALL=1 forces it), renders the icons if needed and runs PyInstaller on SPEC.
# Sets BUILD_SECONDS.

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
    "$SPEC"
BUILD_SECONDS=$(( $(date +%s) - start ))
