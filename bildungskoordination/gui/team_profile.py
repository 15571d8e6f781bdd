"""The saved connection profile of a team database (QSettings ``team/url``, never a password): read at every
start, so it lives apart from the connection dialog (gui/connection.py) and loads no widgets."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from bildungskoordination.gui import settings


@dataclass
class Profile:
    host: str = ""
    port: int = 5432
    database: str = ""
    user: str = ""
    verify_tls: bool = True
    ca_file: str = ""

    def url(self) -> str:
        query = ""
        if self.verify_tls:
            query = "?sslmode=verify-full" + (f"&sslrootcert={quote(self.ca_file)}" if self.ca_file else "")
        return (f"postgresql+psycopg://{quote(self.user, safe='')}@{self.host}:{self.port}/"
                f"{quote(self.database, safe='')}{query}")

    @classmethod
    def from_url(cls, url: str) -> Profile:
        parts = urlsplit(url)
        params = parse_qs(parts.query)
        return cls(host=parts.hostname or "", port=parts.port or 5432, database=unquote(parts.path.lstrip("/")),
                   user=unquote(parts.username or ""), verify_tls=params.get("sslmode", [""])[0] == "verify-full",
                   ca_file=params.get("sslrootcert", [""])[0])

    def account(self) -> str:
        """The keyring entry's name: user@host:port/database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def saved_profile() -> Profile | None:
    """The profile to open at start, or None (the own database file)."""
    url = settings.value("team/url", "")
    use = settings.value("team/use", False)
    if not url or str(use).lower() not in ("true", "1"):
        return None
    return Profile.from_url(str(url))
