# Builds the Windows program folder and installer on a Windows 10/11 x64 machine with
# Python 3.11+ (python.org, "Add to PATH") and NSIS 3 (nsis.sourceforge.io) installed.
# CI cross-builds the same installer on Debian instead: packaging/windows/build.sh.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
#
# Output: build\windist\qmclient\ (the program), dist\qmclient-<version>-windows-x64-setup.exe
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

if (-not (Test-Path .venv\Scripts\python.exe)) { python -m venv .venv }
$py = ".venv\Scripts\python.exe"
& $py -m pip install -q --upgrade pip
& $py -m pip install -q -e ".[packaging]"
$version = & $py -c "import qmclient; print(qmclient.__version__)"

Write-Host "[bundle] translations"
Get-ChildItem resources\translations\*.ts | ForEach-Object {
    & .venv\Scripts\pyside6-lrelease.exe -silent $_.FullName -qm ($_.FullName -replace '\.ts$', '.qm')
}
Write-Host "[bundle] icon"
& $py packaging\render_icons.py --ico packaging\windows\qmclient.ico

Write-Host "[bundle] PyInstaller (one folder)"
& $py -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath build\windist --workpath build\winpyi packaging\qmclient.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

Write-Host "[bundle] self-test"
$env:QT_QPA_PLATFORM = "offscreen"
& build\windist\qmclient\qmclient-cli.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle's self-test failed" }
Remove-Item Env:\QT_QPA_PLATFORM

Write-Host "[bundle] installer"
$makensis = @("${env:ProgramFiles(x86)}\NSIS\makensis.exe", "$env:ProgramFiles\NSIS\makensis.exe") |
    Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $makensis) { throw "NSIS (makensis.exe) not found; install NSIS 3" }
New-Item -ItemType Directory -Force dist | Out-Null
& $makensis -INPUTCHARSET UTF8 "-DVERSION=$version" "-DSRCDIR=$PWD\build\windist\qmclient" `
    "-DOUTFILE=$PWD\dist\qmclient-$version-windows-x64-setup.exe" packaging\windows\qmclient.nsi
if ($LASTEXITCODE -ne 0) { throw "makensis failed" }
Write-Host "[bundle] dist\qmclient-$version-windows-x64-setup.exe"
