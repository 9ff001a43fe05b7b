# Builds the Windows program folder and installer on a Windows 10/11 x64 machine with
# Python 3.11+ (python.org, "Add to PATH") and Inno Setup 6 (jrsoftware.org) installed.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
#
# Output: build\dist\qmclient\ (the program), dist\qmclient-<version>-windows-x64-setup.exe
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
    --distpath build\dist --workpath build\pyi packaging\qmclient.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

Write-Host "[bundle] self-test"
$env:QT_QPA_PLATFORM = "offscreen"
& build\dist\qmclient\qmclient-cli.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle's self-test failed" }
Remove-Item Env:\QT_QPA_PLATFORM

Write-Host "[bundle] installer"
$iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
          "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { throw "Inno Setup 6 (ISCC.exe) not found" }
& $iscc "/DAppVersion=$version" packaging\windows\qmclient.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "[bundle] dist\qmclient-$version-windows-x64-setup.exe"
