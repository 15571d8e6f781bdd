"""Is the team database's server there at all? A quick look before connecting (issue 15, offline laptops).

A laptop outside the office network (no VPN) would otherwise wait for the driver's connection timeout;
a plain TCP connect answers "refused" at once and "no answer" after ``timeout`` seconds. Only what the
network says counts here; wrong passwords and missing rights are the server's answers (store/server.py).
"""

from __future__ import annotations

import socket

from bildungskoordination.i18n import _
from bildungskoordination.store.server import ServerUnreachable, server_url

DEFAULT_PORT = 5432


def unreachable_message(where: str) -> str:
    return _("Der Datenbankserver {where} ist nicht erreichbar (kein Netz, kein VPN oder Server aus). Es wurde "
             "nichts geändert.").format(where=where)


def probe_server(url_text: str, timeout: float = 3.0) -> None:
    """Raise ServerUnreachable when nothing answers at the URL's host and port; a local socket (a host that
    is a folder) is left to the driver."""
    url = server_url(url_text)
    host, port = url.host or "localhost", int(url.port or DEFAULT_PORT)
    if host.startswith("/"):
        return
    where = f"{host}:{port}/{url.database}"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except OSError:  # refused, timed out, no route, unknown host
        raise ServerUnreachable(unreachable_message(where)) from None
