#!/bin/sh
# /usr/bin/bildungskoordination: starts the bundle in /opt/bildungskoordination (found relative to this script,
# so an unpacked package runs the same way: dpkg-deb -x … DIR; DIR/usr/bin/bildungskoordination).
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/bildungskoordination/bildungskoordination" "$@"
