"""Realistic letter data written from real conventions (invented contact data on example.org): a district's
letterhead with a long department line and office hours per weekday, a long multi-part Arabic name with its
original-script form, a shelter address with c/o, room and house."""

from __future__ import annotations

from bildungskoordination.letters.content import Letterhead

REALISTIC_HEAD = Letterhead(
    office="Kreisverwaltung Trier-Saarburg",
    department="Abteilung 5 Jugend, Familie, Soziales und Bildung – Bildungskoordination für Neuzugewanderte",
    street="Willy-Brandt-Platz 1", postcode_city="54290 Trier", phone="0651 715-4321 (Durchwahl)",
    email="bildungskoordination.neuzugewanderte@kreisverwaltung-beispiel.example.org",
    office_hours="Mo 8:30–12:00 Uhr, Di 8:30–12:00 und 14:00–16:00 Uhr, Mi geschlossen, "
                 "Do 8:30–12:00 und 14:00–18:00 Uhr, Fr 8:30–12:00 Uhr",
    coordinator="Dr. Johanna Müller-Lüdenscheidt")
LONG_NAME = ("Mohammed Abdulrahman Ahmad", "Al-Hussein Al-Khatib", "محمد عبدالرحمن أحمد الحسين الخطيب")
SHELTER = "c/o Gemeinschaftsunterkunft Trier-Nord, Zimmer 214, Haus B, Dasbachstraße 15, 54292 Trier"
SHELTER_LINES = ["c/o Gemeinschaftsunterkunft Trier-Nord", "Zimmer 214", "Haus B", "Dasbachstraße 15", "54292 Trier"]
