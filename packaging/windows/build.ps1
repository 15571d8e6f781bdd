# Windows: the PyInstaller bundle (packaging/build.py --no-deb), then the MSI with WiX v5.
# Needs Python 3.11+ and the .NET SDK (for `dotnet tool install --global wix`). Run from the repository root:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
python packaging\build.py --no-deb
if ($LASTEXITCODE -ne 0) { throw "bundle failed" }
if (-not (Get-Command wix -ErrorAction SilentlyContinue)) {
    dotnet tool install --global wix --version 5.0.2
    $env:PATH += ";$env:USERPROFILE\.dotnet\tools"
}
$version = (Select-String -Path pyproject.toml -Pattern '^version = "(.+)"').Matches[0].Groups[1].Value
New-Item -ItemType Directory -Force -Path dist | Out-Null
$msi = "dist\bildungskoordination-$version-x64.msi"
wix build packaging\windows\bildungskoordination.wxs -arch x64 `
    -d Version=$version -d IconFile=packaging\icons\bildungskoordination.ico `
    -bindpath bundle=build\pyinstaller\dist\bildungskoordination -o $msi
if ($LASTEXITCODE -ne 0) { throw "wix build failed" }
Write-Host "[build] package: $msi"
