"""A heuristic for German text left in the English UI or in English exports: umlauts, ß and common German
words, with an allowlist (each entry with its reason) for legal citations and terms that stay German."""

from __future__ import annotations

import re

# Words that give German away (whole words, case-insensitive); umlauts and ß count as German too.
GERMAN_WORDS = set("""
und oder der die das des dem nicht kein keine keinen mit für von vom bis nach ist sind ein eine einer
einen zum zur im am noch aus bei über auch nur wird werden wurde alle alles neue neuer neues jetzt bitte
personen kurs kurse kursart datum jahre jahr monat monate woche wochen tage offen erledigt beratung
beratungskontakt vermittlung vermittlungen wiedervorlage wiedervorlagen einwilligung sicherung sicherungen
speichern löschen abbrechen schließen suchen drucken zeigen gesamt anzahl sonstige unbekannt weiblich männlich
divers keine ja nein bearbeiten ändern ergebnis thema themen sprache sprachen niveau träger
zeitraum protokoll datenschutz auswertung einstellungen hilfe datei gehe zu auf wie als sich hat haben kann
soll muss wenn dann schon sie wir ich uns mehr weitere seit vor unter ohne durch wählen eintragen anlegen neu
zurück weiter fehlt fehlen gespeichert geändert gelöscht angelegt vorhanden möglich bereits einen eines
""".split())
# Proper names and legal terms that stay German in the English UI, each with its reason.
ALLOWED = {
    # German law is cited by its German abbreviation (as in English-language BAMF and EU documents).
    r"§+\s*\d+[a-z]?(?:\s+(?:Abs\.|Satz|Nr\.)\s*\d+)*(?:\s+\w+)?": "legal citation",
    r"\b(?:AufenthG|AsylbLG|AsylG|FreizügG/EU|FreizügG|DeuFöV|IntV|SGB(?: [IVX]+)?|BAMF|BVJ-S|DSGVO|BDSG|LDSG|KMK)\b":
        "German law/authority",
    # German legal terms without an English equivalent, shown with an English gloss next to them.
    r"\b(?:Duldung|Aufenthaltsgestattung|Fiktionsbescheinigung|Gestattung|Verbandsgemeinde)\b": "legal term, glossed",
    r"\bTürkiye\b": "the country's English name (CLDR)",
    r"\bJobcenter\b": "German authority name",
    r"(?:[A-Za-z]:)?[/\\][^\s]+": "a file or folder path (folder names are the user's)",
}


def german_in(text: str, data_words: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The German words of a visible text (empty if none), proper names and allowed terms left out."""
    plain = re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ").replace("&", "")
    for pattern in ALLOWED:
        plain = re.sub(pattern, " ", plain)
    hits = []
    for word in re.findall(r"\w[\w-]*", plain):
        low = word.lower()
        if low in data_words:
            continue
        if low in GERMAN_WORDS or re.search(r"[äöüßÄÖÜ]", word):
            hits.append(word)
    return hits
