#!/bin/sh
# /usr/bin/bildungskoordination: starts the bundle in /opt/bildungskoordination (found relative to this script,
# so an unpacked package runs the same way: dpkg-deb -x … DIR; DIR/usr/bin/bildungskoordination).
here=$(dirname "$(readlink -f "$0")")
# Qt wants a UTF-8 locale; a bare "C" (services, containers) would print a warning and read file names as ASCII.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *UTF-8*|*utf-8*|*utf8*|*UTF8*) ;;
  *) export LC_CTYPE=C.UTF-8 ;;
esac
exec "$here/../../opt/bildungskoordination/bildungskoordination" "$@"
