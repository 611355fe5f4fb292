# Build Vidu Studio for Windows with PyInstaller (onedir): dist\vidu-desktop\
#
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
#   $env:VIDU_BUILD_VENV = ".venv"; .\packaging\build-windows.ps1   # reuse an existing venv
#
# Needs Python >= 3.12 on PATH as `py -3.12` or `python`. The executables are not signed.
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root
$Venv = if ($env:VIDU_BUILD_VENV) { $env:VIDU_BUILD_VENV } else { Join-Path $Root "build\venv-windows" }
$Py = Join-Path $Venv "Scripts\python.exe"

if (-not (Test-Path $Py)) {
    Write-Host "== creating $Venv"
    if (Get-Command py -ErrorAction SilentlyContinue) { py -3.12 -m venv $Venv } else { python -m venv $Venv }
    if ($LASTEXITCODE -ne 0) { throw "venv creation failed" }
}
Write-Host "== installing the locked dependencies (requirements\dev.txt) and the project into $Venv"
& $Py -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements\dev.txt
if ($LASTEXITCODE -ne 0) { throw "pip install of the lock failed" }
& $Py -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
if ($LASTEXITCODE -ne 0) { throw "pip install of the project failed" }

Write-Host "== icons"
& $Py packaging\make_icons.py --if-needed
if ($LASTEXITCODE -ne 0) { throw "make_icons failed" }

Write-Host "== pyinstaller"
$Watch = [Diagnostics.Stopwatch]::StartNew()
& $Py -m PyInstaller --noconfirm --clean `
    --distpath (Join-Path $Root "dist") --workpath (Join-Path $Root "build\pyinstaller") `
    packaging\vidu-desktop.spec
if ($LASTEXITCODE -ne 0) { throw "pyinstaller failed" }
$Watch.Stop()

$Out = Join-Path $Root "dist\vidu-desktop"
$Bytes = (Get-ChildItem $Out -Recurse -File | Measure-Object -Property Length -Sum).Sum
Write-Host ("== built {0} in {1:N0} s" -f $Out, $Watch.Elapsed.TotalSeconds)
Write-Host ("   size: {0:N0} MB" -f ($Bytes / 1MB))
Write-Host "   run:  $Out\vidu-desktop.exe    smoke: $Out\vidu-smoke-play.exe --bundle CLIP.mp4"
