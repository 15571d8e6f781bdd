"""Write tests/data/names/cyrillic_variants.tsv: Russian and Ukrainian names in the published romanizations.

The tables below are copied from the published systems (not from bildungskoordination.domain.names):

- ``ru_de``: German transcription after Duden / DIN 1460 practice (Gorbatschow, Chruschtschow, Tschaikowski,
  Jelena, Jekaterina): е = je at the start and after vowels, ж/ш = sch, з/с = s (ss between vowels),
  ц = z, ч = tsch, щ = schtsch, х = ch, в = w, й = i at the end and after vowels, ий/ый at the end = i/y;
- ``ru_bgn``: BGN/PCGN 1947 (English papers): е = ye at the start and after vowels, ж = zh, х = kh, ц = ts,
  ч = ch, ш = sh, щ = shch, й = y, ю = yu, я = ya;
- ``ru_iso``: ISO 9:1995 (ž, č, š, ŝ, h, c, j, û, â) and ``ru_sci``: the scientific transliteration (ch, šč, ju, ja);
- ``uk_nat``: the Ukrainian national system, Cabinet of Ministers resolution No. 55 of 27 January 2010
  (passports): г = h, ґ = g, и = y, і = i, є/ї/й/ю/я = ye/yi/y/yu/ya at the start and ie/i/i/iu/ia elsewhere,
  х = kh, ц = ts, ч = ch, ш = sh, щ = shch, зг = zgh, ь and apostrophe dropped;
- ``uk_de``: German transcription of Ukrainian (Duden / DIN 1460 practice: Andrij, Julija, Wolodymyr);
- ``uk_sci``: the scientific transliteration of Ukrainian (h, y, i, ji, je, ž, č, š, šč, ju, ja).

    python tools/build_name_variants.py
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "names" / "cyrillic_variants.tsv"
RU_VOWELS = set("аеёиоуыэюя")
UK_VOWELS = set("аеєиіїоуюя")

RU_NAMES = [
    "Горбачёв", "Хрущёв", "Чайковский", "Елена", "Екатерина", "Сергей", "Жуков", "Юлия", "Наталья", "Татьяна",
    "Ксения", "Алексей", "Дмитрий", "Андрей", "Евгений", "Фёдор", "Юрий", "Щукин", "Цветаева", "Ельцин",
    "Чехов", "Кузнецов", "Зайцев", "Соловьёв", "Васильев", "Михайлов", "Захаров", "Жданов", "Шапошников",
    "Хабибуллин", "Шевченко", "Вячеслав", "Ярослав", "Людмила", "Евгения", "Григорий", "Владимир", "Ирина",
    "Светлана", "Анастасия", "Максим", "Ольга", "Жанна", "Щербаков", "Чернышёв", "Яковлев", "Рыжков",
    "Юсупов", "Тимофеев", "Зиновьев",
]
UK_NAMES = [
    "Шевченко", "Коваленко", "Юлія", "Катерина", "Олександр", "Андрій", "Сергій", "Григорій", "Євгенія", "Ігор",
    "Олег", "Тетяна", "Наталія", "Оксана", "Дмитро", "Володимир", "Богдан", "Галина", "Ольга", "Мирослава",
    "Кравченко", "Ткаченко", "Бондаренко", "Мельник", "Шевчук", "Поліщук", "Гнатюк", "Литвиненко", "Яковенко",
    "Зінченко", "Савчук", "Харченко", "Юрій", "Вʼячеслав", "Згурський", "Остапчук", "Ющенко", "Кличко",
    "Жадан", "Гончаренко", "Євген", "Ярослава", "Їжакевич", "Марʼяна", "Федорчук",
]

RU_DE = dict(а="a", б="b", в="w", г="g", д="d", е="e", ё="jo", ж="sch", з="s", и="i", й="i", к="k", л="l",
             м="m", н="n", о="o", п="p", р="r", с="s", т="t", у="u", ф="f", х="ch", ц="z", ч="tsch", ш="sch",
             щ="schtsch", ъ="", ы="y", ь="", э="e", ю="ju", я="ja")
RU_BGN = dict(RU_DE, в="v", е="e", ё="e", ж="zh", з="z", й="y", х="kh", ц="ts", ч="ch", ш="sh", щ="shch",
              ю="yu", я="ya")
RU_ISO = dict(RU_BGN, ё="ë", ж="ž", й="j", х="h", ц="c", ч="č", ш="š", щ="ŝ", ы="y", э="è", ю="û", я="â")
RU_SCI = dict(RU_ISO, х="ch", щ="šč", ю="ju", я="ja", э="è")

UK_NAT = dict(а="a", б="b", в="v", г="h", ґ="g", д="d", е="e", є="ie", ж="zh", з="z", и="y", і="i", ї="i",
              й="i", к="k", л="l", м="m", н="n", о="o", п="p", р="r", с="s", т="t", у="u", ф="f", х="kh",
              ц="ts", ч="ch", ш="sh", щ="shch", ь="", ю="iu", я="ia", ʼ="")
UK_NAT_START = dict(є="ye", ї="yi", й="y", ю="yu", я="ya")
UK_DE = dict(UK_NAT, в="w", є="je", ж="sch", з="s", ї="ji", й="j", х="ch", ц="z", ч="tsch", ш="sch",
             щ="schtsch", ю="ju", я="ja")
UK_SCI = dict(UK_DE, в="v", ж="ž", з="z", х="ch", ц="c", ч="č", ш="š", щ="šč")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def ru_german(name: str) -> str:
    w = name.lower()
    out = []
    for i, c in enumerate(w):
        prev = w[i - 1] if i else ""
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if c == "е" and (not prev or prev in RU_VOWELS or prev in "ъь"):
            out.append("je")
        elif c == "ё" and prev in "жчшщ":
            out.append("o")
        elif c == "й" and prev in "иы" and not nxt:
            out.append("")
        elif c == "й" and nxt in RU_VOWELS:
            out.append("j")
        elif c == "с" and prev in RU_VOWELS and nxt in RU_VOWELS:
            out.append("ss")
        elif c == "к" and nxt == "с":
            out.append("x")
        elif c == "с" and prev == "к":
            out.append("")
        elif c == "ь" and nxt in "еёюяи" and nxt:
            out.append("j" if nxt != "е" else "")
        else:
            out.append(RU_DE[c])
    return _cap("".join(out))


def ru_bgn(name: str) -> str:
    w = name.lower()
    out = []
    for i, c in enumerate(w):
        prev = w[i - 1] if i else ""
        if c in "её" and (not prev or prev in RU_VOWELS or prev in "ъь"):
            out.append("ye" if c == "е" else "yo")
        else:
            out.append(RU_BGN[c])
    return _cap("".join(out))


def by_table(name: str, table: dict[str, str]) -> str:
    return _cap("".join(table[c] for c in name.lower()))


def uk_national(name: str) -> str:
    w = name.lower()
    out = []
    for i, c in enumerate(w):
        if c == "з" and w[i + 1:i + 2] == "г":
            out.append("zgh")
            continue
        if c == "г" and i and w[i - 1] == "з":
            continue
        out.append(UK_NAT_START[c] if i == 0 and c in UK_NAT_START else UK_NAT[c])
    return _cap("".join(out))


def uk_german(name: str) -> str:
    w = name.lower()
    out = []
    for i, c in enumerate(w):
        prev = w[i - 1] if i else ""
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if c == "с" and prev in UK_VOWELS and nxt in UK_VOWELS:
            out.append("ss")
        elif c == "к" and nxt == "с":
            out.append("x")
        elif c == "с" and prev == "к":
            out.append("")
        elif c == "ь" and nxt == "о":
            out.append("j")
        else:
            out.append(UK_DE[c])
    return _cap("".join(out))


def rows() -> list[tuple[str, str, str, str, str]]:
    result: list[tuple[str, str, str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(group: str, a: str, b: str, origin: str, systems: str) -> None:
        if a.lower() != b.lower() and (a, b) not in seen:
            seen.add((a, b))
            result.append((group, a, b, origin, systems))

    for name in RU_NAMES:
        de, bgn, iso, sci = ru_german(name), ru_bgn(name), by_table(name, RU_ISO), by_table(name, RU_SCI)
        add("ru_de_bgn", de, bgn, name, "Duden/DIN 1460 → BGN/PCGN")
        add("ru_de_iso", de, iso, name, "Duden/DIN 1460 → ISO 9")
        add("ru_bgn_sci", bgn, sci, name, "BGN/PCGN → wissenschaftlich")
    for name in UK_NAMES:
        nat, de, sci = uk_national(name), uk_german(name), by_table(name, UK_SCI)
        add("uk_de_nat", de, nat, name, "Duden/DIN 1460 → KMU 55/2010")
        add("uk_sci_nat", sci, nat, name, "wissenschaftlich → KMU 55/2010")
    return result


def main() -> int:
    lines = ["# group\tquery\tstored\torigin\tsystems  (generated by tools/build_name_variants.py; sources there)"]
    lines += ["\t".join(r) for r in rows()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} pairs → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
