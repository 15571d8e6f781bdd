"""Phone numbers, e-mail addresses, URLs, dates, times and course numbers in any letter text – the catalog's,
a placeholder's value or a text the coordinator replaced – never wrap (their spaces become no-break spaces)
and, inside right-to-left text, keep their left-to-right order (they are embedded with LRE … PDF; the layout
resolves them with the Unicode bidi algorithm). Brackets are mirrored by the shaper in right-to-left runs."""

from __future__ import annotations

import re

LRE, PDF, NBSP = "\u202a", "\u202c", "\u00a0"

_TOKENS = re.compile("|".join([
    r"(?:https?://|www\.)[^\s\u202a\u202c]+[^\s\u202a\u202c.,;:!?)]",             # URL
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",                                                # e-mail
    r"(?<![\w])(?:\+\d{1,3}[ \u00a0]?(?:\(0\)[ \u00a0]?)?|0)\d[\d \u00a0/\-]{3,}\d(?![\w])",  # phone
    r"(?<![\w])\d{1,2}\.\d{1,2}\.\d{2,4}(?![\w])",                                  # 15.02.2027
    r"(?<![\w])\d{1,2}:\d{2}(?:[ \u00a0]?[–-][ \u00a0]?\d{1,2}:\d{2})?(?![\w])",      # 09:00–12:15
    r"(?<![\w])[A-Z]{1,6}(?:-[A-Z0-9]+)+(?![\w])",                                  # IK-2703-01
]))


def _digits(token: str) -> int:
    return sum(c.isdigit() for c in token)


def protect(text: str, rtl: bool) -> str:
    """``text`` with every such token bound together and, when ``rtl``, embedded left to right. Text already
    inside LRE … PDF is left as it is."""
    out: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):  # split into parts outside and inside existing embeddings
        if char == LRE:
            if depth == 0:
                out.append(_protect_plain(text[start:index], rtl))
                start = index
            depth += 1
        elif char == PDF and depth:
            depth -= 1
            if depth == 0:
                out.append(text[start:index + 1])
                start = index + 1
    out.append(_protect_plain(text[start:], rtl) if depth == 0 else text[start:])
    return "".join(out)


def _protect_plain(text: str, rtl: bool) -> str:
    def bind(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] in "+0" and "@" not in token and _digits(token) < 6:  # "0 12" is no phone number
            return token
        bound = token.replace(" ", NBSP)
        return f"{LRE}{bound}{PDF}" if rtl else bound

    return _TOKENS.sub(bind, text)
