"""The address field of DIN 5008 form B, laid out from measured text – it never drops a line.

The address zone is 85 × 27.3 mm below the 17.7 mm of return line and notes. What must be printed: the family
name, every c/o and accommodation line, street and house number, postcode and town. What may give way, in this
order: the lines get a little tighter (9 pt on 11 pt, still well above the post's 8 pt minimum), short
accommodation parts share a line ("Zimmer 214, Haus B"), the original-script name is left out (it stands in
the translated salutation), the name wraps, middle given names become initials. If it still does not fit the
letter is refused (AddressDoesNotFit names the person and what does not fit) – a letter that cannot be
delivered is worse than none.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from reportlab.lib.units import mm

from bildungskoordination.i18n import _
from bildungskoordination.letters.fonts import chain_for, fully_covered
from bildungskoordination.letters.layout import Line, TextStyle, layout

FIELD_W = 80 * mm          # 85 mm field, 5 mm inner margin on the left
ZONE_H = 27.3 * mm         # the address zone proper (DIN 5008 form B)
STYLES = (TextStyle(size=9.5, leading=12.4), TextStyle(size=9, leading=11))


class AddressDoesNotFit(ValueError):
    """The address cannot be printed whole; the message names the person and what does not fit."""


@dataclass(frozen=True)
class AddressLine:
    text: str
    language: str
    rtl: bool
    lines: list[Line]


@dataclass(frozen=True)
class AddressBlock:
    style: TextStyle
    lines: list[AddressLine]

    @property
    def height(self) -> float:
        return sum(len(item.lines) for item in self.lines) * self.style.leading

    def texts(self) -> list[str]:
        return [item.text for item in self.lines]


def split_address(address: str, municipality: str = "") -> list[str]:
    """The lines of a free-text address: separated by line breaks or ", " (as in the person lists' column)."""
    parts = [part.strip() for chunk in address.replace("\r", "\n").split("\n") for part in chunk.split(", ")]
    parts = [part.strip(" ,") for part in parts if part.strip(" ,")]
    return parts or ([municipality] if municipality else [])


def initials(given: str) -> str:
    """"Mohammed Abdulrahman Ahmad" → "Mohammed A. A.": the first given name stays whole."""
    names = given.split()
    return " ".join([*names[:1], *(f"{n[0]}." for n in names[1:] if n)])


def is_rtl_text(text: str) -> bool:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def address_block(given: str, family: str, original: str, address: str, municipality: str,
                  file_number: str = "") -> AddressBlock:
    """The address field's lines; AddressDoesNotFit when even the tightest variant is too long."""
    parts = split_address(address, municipality)
    family = family.replace(" ", "\u00a0")  # the family name wraps as a whole (or not at all)
    names = [" ".join(p for p in (given, family) if p)]
    if len(given.split()) > 1:
        names.append(" ".join(p for p in (initials(given), family) if p))
    with_original = [True, False] if original and fully_covered(original, chain_for("ar")) else [False]
    tried: list[int] = []
    for name in names:
        for keep_original in with_original:
            for style in STYLES:
                for merge in (False, True):
                    block = _block(name, original if keep_original else "", _merge(parts, style) if merge else parts,
                                   style)
                    if block is None:
                        continue
                    if block.height <= ZONE_H + 0.01:
                        return block
                    tried.append(sum(len(i.lines) for i in block.lines))
    who = " ".join(p for p in (given, family.replace("\u00a0", " ")) if p) or "?"
    who = who if len(who) <= 60 else who[:59] + "…"
    if file_number:
        who = _("{name} (Aktenzeichen {number})").format(name=who, number=file_number)
    if not tried:
        raise AddressDoesNotFit(_("Kein Brief für {who}: der Name passt auch mit abgekürzten Vornamen nicht in zwei "
                                  "Zeilen des Anschriftfelds (80 mm).").format(who=who))
    room = int((ZONE_H + 0.01) // STYLES[-1].leading)
    raise AddressDoesNotFit(_(
        "Kein Brief für {who}: die Anschrift passt nicht in das Anschriftfeld des Fensterumschlags – sie braucht "
        "mindestens {needed} Zeilen, Platz ist für {room}. Bitte die Anschrift kürzen: {address}").format(
        who=who, needed=min(tried), room=room, address=" / ".join(parts)))


def _block(name: str, original: str, parts: list[str], style: TextStyle) -> AddressBlock | None:
    """None when the name alone needs more than two lines."""
    items = [_line(name, "de", style)]
    if len(items[0].lines) > 2:
        return None
    if original:
        line = _line(original, "ar", style)
        if len(line.lines) == 1:
            items.append(line)
    items += [_line(part, "de", style) for part in parts]
    return AddressBlock(style, items)


def _line(text: str, language: str, style: TextStyle) -> AddressLine:
    rtl = is_rtl_text(text)
    left = TextStyle(style.size, style.leading, style.bold, style.color, "left")
    return AddressLine(text, language, rtl, layout(text, chain_for(language), left, FIELD_W, rtl))


def _merge(parts: list[str], style: TextStyle) -> list[str]:
    """Short c/o and accommodation parts share a line where it fits; street and postcode/town keep their own."""
    if len(parts) <= 2:
        return parts
    head, tail = parts[:-2], parts[-2:]
    merged: list[str] = []
    for part in head:
        if merged and not part.lower().startswith("c/o") and not merged[-1].lower().startswith("c/o"):
            candidate = f"{merged[-1]}, {part}"
            if len(_line(candidate, "de", style).lines) == 1:
                merged[-1] = candidate
                continue
        merged.append(part)
    return merged + tail


def short_name(given: str, family: str, limit: int = 60) -> str:
    """The name where room is short (salutation, page header): whole when it is at most ``limit`` characters,
    else with the middle given names as initials – the family name is never cut."""
    full = " ".join(p for p in (given, family) if p)
    if len(full) <= limit:
        return full
    return " ".join(p for p in (initials(given), family) if p)
