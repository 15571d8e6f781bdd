#!/bin/sh
# macOS: the .app (PyInstaller BUNDLE, see packaging/bildungskoordination.spec) and a .dmg to hand out.
# Run from anywhere: packaging/macos/build.sh   (needs Python 3.11+; hdiutil is part of macOS)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
python3 packaging/build.py --no-deb
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
app=build/pyinstaller/dist/Bildungskoordination.app
test -d "$app"
mkdir -p dist
rm -f "dist/Bildungskoordination-$version.dmg"
hdiutil create -volname Bildungskoordination -srcfolder "$app" -ov -format UDZO "dist/Bildungskoordination-$version.dmg"
echo "[build] package: dist/Bildungskoordination-$version.dmg"
