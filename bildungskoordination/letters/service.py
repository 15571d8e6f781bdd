"""LetterService: referral letters for the GUI and the CLI – the facts read in one transaction, the texts from the
catalogs with the coordinator's replacements (table letter_text), the letterhead from the settings.

Printing or saving a letter is processing of personal data: it is refused for a person whose processing is
restricted (withdrawn consent) and is written to the audit log (``print`` or ``export``, no content).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select

from bildungskoordination.domain.errors import FieldError, ValidationError
from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import _
from bildungskoordination.letters import texts as catalog
from bildungskoordination.letters.checks import describe, ensure_not_past
from bildungskoordination.letters.content import LetterData, Letterhead, LetterTexts
from bildungskoordination.letters.facts import letter_data, person_language, referral
from bildungskoordination.privacy.audit import Action, add_event
from bildungskoordination.privacy.restriction import ensure_not_restricted
from bildungskoordination.privacy.settings import SettingsService
from bildungskoordination.resources import load_toml
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import LetterText
from bildungskoordination.store.outputs import OutputGuard

LETTERHEAD_KEY = "letters.letterhead"
DEMO_MARKER = "demo_database"  # the app setting the demo command sets (cli.DEMO_MARKER)
_render_lock = threading.Lock()  # ReportLab's font objects are shared: one letter is drawn at a time


class LetterheadMissing(ValueError):
    """A real database without a letterhead: no letter until it is entered."""


@dataclass(frozen=True)
class LanguageInfo:
    code: str
    name: str          # German name
    native: str
    review: catalog.ReviewState
    rtl: bool


@dataclass(frozen=True)
class TextEntry:
    key: str
    german: str        # the German source text (or its replacement)
    catalog: str       # this language's catalog text ("" when not translated)
    override: str      # the coordinator's replacement ("" when none)
    # The German text was replaced after this translation was made: it no longer says what the binding text
    # says, so it is not printed (the part stands in German only) until a new replacement is entered.
    outdated: bool = False

    @property
    def effective(self) -> str:
        return "" if self.outdated else self.override or self.catalog


class LetterService:
    def __init__(self, store: Store, bus: ChangeBus, settings: SettingsService) -> None:
        self.store = store
        self.bus = bus
        self.settings = settings
        self.outputs = OutputGuard(store.path)  # Services passes the one that knows the backup folder

    def warm_up(self, language: str = "ar") -> None:
        """Draw one invented letter and throw it away: what the first letter of a process otherwise spends half a
        second of Python on (ReportLab's imports, parsing the font files, first shaping, the PDF/A metadata). For
        a worker well before the first letter – the preview's worker then holds the GIL, which the window needs
        for every cell it paints, for a tenth of that. Nothing is read from the database, nothing logged."""
        from bildungskoordination.domain.course_types import course_types
        from bildungskoordination.letters.document import render_letters

        example = LetterData(
            referral_id=0, file_number="0", family_name="Muster", given_name="Maria", name_original="",
            address="Musterstraße 1, 12345 Musterstadt", municipality="Musterstadt",
            course_type=next(iter(course_types())).code, course_number="1", provider="Träger",
            provider_address="Kursweg 2, 12345 Musterstadt", course_address="", start=date.today(), end=None,
            registration_deadline=None, days=("Mo",), time_from="09:00", time_to="12:00", entry_level="A1",
            target_level="B1", mode="", childcare=False, provider_contact="", provider_phone="", provider_email="",
            letterhead=Letterhead(office="Behörde", street="Amtsweg 1", postcode_city="12345 Musterstadt"))
        with _render_lock:
            render_letters([(example, LetterTexts("de"), LetterTexts(language))])

    # --- languages and texts -----------------------------------------------------------------------
    def languages(self) -> list[LanguageInfo]:
        result = []
        for code in catalog.LETTER_LANGUAGES:
            name, native = catalog.language_label(code)
            result.append(LanguageInfo(code, name, native, catalog.review_state(code), catalog.is_rtl(code)))
        return result

    def texts(self, language: str) -> list[TextEntry]:
        self._check_language(language)
        source = catalog.source_texts()
        translated = catalog.catalog_texts(language)
        overrides = self._overrides(language)
        german_overrides = self._overrides("de")
        outdated = self._outdated(language)
        return [TextEntry(key, german_overrides.get(key, german), translated.get(key, ""), overrides.get(key, ""),
                          key in outdated) for key, german in source.items()]

    def set_text(self, language: str, key: str, text: str) -> None:
        """Replace one text of one language (kept in the database); ValidationError when placeholders differ."""
        self._check_language(language)
        problem = catalog.check_override(key, text)
        if problem:
            raise ValidationError([FieldError("text", problem)])
        with self.store.unit_of_work() as s:
            row = s.scalar(select(LetterText).where(LetterText.language == language, LetterText.key == key))
            if row is None:
                s.add(LetterText(language=language, key=key, text=text, updated_at=datetime.now()))
            else:
                row.text, row.updated_at = text, datetime.now()
            add_event(s, Action.UPDATE, "letter_text", fields=[f"{language}:{key}"])
        self.bus.publish(Change("letter_text", "updated"))

    def reset_text(self, language: str, key: str) -> None:
        with self.store.unit_of_work() as s:
            s.execute(delete(LetterText).where(LetterText.language == language, LetterText.key == key))
            add_event(s, Action.DELETE, "letter_text", fields=[f"{language}:{key}"])
        self.bus.publish(Change("letter_text", "updated"))

    def _overrides(self, language: str) -> dict[str, str]:
        return {key: text for key, (text, _at) in self._override_rows(language).items()}

    def _override_rows(self, language: str) -> dict[str, tuple[str, datetime]]:
        with self.store.read() as s:
            rows = s.execute(select(LetterText.key, LetterText.text, LetterText.updated_at)
                             .where(LetterText.language == language)).all()
        return {key: (text, at) for key, text, at in rows}

    def _outdated(self, language: str) -> frozenset[str]:
        """Keys whose German text was replaced later than this language's text was (catalog texts always are):
        a translation of the old German text must not stand next to the new binding one."""
        if language == catalog.SOURCE_LANGUAGE:
            return frozenset()
        own = self._override_rows(language)
        return frozenset(key for key, (_text, at) in self._override_rows(catalog.SOURCE_LANGUAGE).items()
                         if key not in own or own[key][1] < at)

    def letter_texts(self, language: str) -> LetterTexts:
        return LetterTexts(language, self._overrides(language), withdrawn=self._outdated(language))

    # --- letterhead ---------------------------------------------------------------------------------
    def needs_letterhead(self) -> bool:
        """True on a real (non-demo) database whose letterhead was never entered: there is no default with an
        authority's contact data, so the first letter asks for it (LetterheadMissing until then)."""
        return not self.settings.get(LETTERHEAD_KEY) and not self.settings.get(DEMO_MARKER)

    def letterhead(self) -> Letterhead:
        """The stored letterhead; on a demo database the invented one of resources/letters/letterhead.toml; on a
        real database without one, an empty letterhead (needs_letterhead)."""
        defaults = load_toml("letters", "letterhead.toml") if self.settings.get(DEMO_MARKER) else {}
        stored = self.settings.get(LETTERHEAD_KEY) or {}
        known = {f.name for f in dataclasses.fields(Letterhead)}
        values = {k: str(v) for k, v in {**defaults, **stored}.items() if k in known}
        return Letterhead(**values)

    def set_letterhead(self, head: Letterhead) -> None:
        if head.logo and not Path(head.logo).is_file():
            raise ValidationError([FieldError("logo", _("Die Logo-Datei {path} gibt es nicht.").format(path=head.logo))])
        self.settings.set(LETTERHEAD_KEY, dataclasses.asdict(head))

    # --- letters ------------------------------------------------------------------------------------
    def default_language(self, referral_id: int) -> str:
        """The person's letter language when we have a catalog for it, else German."""
        with self.store.read() as s:
            return person_language(s, referral_id)

    def letter_data(self, referral_id: int, on: date | None = None) -> LetterData:
        head = self.letterhead()
        with self.store.read() as s:
            return letter_data(s, referral_id, on or date.today(), head)

    def past_dates(self, referral_ids: Sequence[int], on: date | None = None) -> list[str]:
        """One line per referral whose registration deadline or course start lies before ``on`` (today): what
        the GUI names when it asks before producing such a letter."""
        head = self.letterhead()
        with self.store.read() as s:
            return describe([letter_data(s, rid, on or date.today(), head) for rid in referral_ids])

    def render(self, referral_ids: Sequence[int], language: str | None = None, *, on: date | None = None,
               action: str | None = Action.PRINT, allow_past: bool = False) -> bytes:
        """One PDF with a letter per referral; ``language`` None = each person's letter language. Logged as
        ``action`` (print or export) per referral – None only for the on-screen preview, which shows what is
        already on screen elsewhere; refused for a restricted person (ProcessingRestricted), and refused
        (DatesInPast) when a registration deadline or course start lies in the past unless ``allow_past``."""
        from bildungskoordination.letters.document import render_letters

        if not referral_ids:
            raise ValueError(_("Keine Vermittlung ausgewählt."))
        if self.needs_letterhead():
            raise LetterheadMissing(_("Noch kein Briefkopf eingerichtet: bitte unter „Briefe einrichten …“ → "
                                      "Briefkopf Behörde, Anschrift, Telefon, E-Mail und Ansprechperson eintragen."))
        if language is not None:
            self._check_language(language)
        on = on or date.today()
        head = self.letterhead()  # before the read below: the store has one connection, reads do not nest
        with self.store.read() as s:
            items = []
            for referral_id in referral_ids:
                data = letter_data(s, referral_id, on, head)
                ensure_not_restricted(s, referral(s, referral_id).person_id)
                items.append((data, language or person_language(s, referral_id)))
        if not allow_past:
            ensure_not_past([data for data, _lang in items])
        german = self.letter_texts("de")
        per_language = {lang: self.letter_texts(lang) for lang in {lang for _d, lang in items}}
        with _render_lock:
            pdf = render_letters([(data, german, per_language[lang]) for data, lang in items])
        if action is None:
            return pdf
        with self.store.unit_of_work() as s:
            for data, lang in items:
                person_id = referral(s, data.referral_id).person_id
                ensure_not_restricted(s, person_id)  # consent may have been withdrawn meanwhile
                add_event(s, action, "letter", data.referral_id, person_id, detail=lang)
        self.bus.publish(Change("letter", "printed" if action == Action.PRINT else "exported"))
        return pdf

    def save(self, referral_ids: Sequence[int], path: Path, language: str | None = None, *,
             on: date | None = None, overwrite: bool = False, allow_past: bool = False) -> None:
        """Write the letters as a PDF file (atomically) – the user's deliberate export. The target is checked
        before anything is rendered or logged (OutputRefused: an app file, a device, an existing file
        without ``overwrite``, …)."""
        self.outputs.check(path, overwrite=overwrite)
        pdf = self.render(referral_ids, language, on=on, action=Action.EXPORT, allow_past=allow_past)
        self.outputs.write_bytes(path, pdf, overwrite=overwrite)

    # --- helpers ------------------------------------------------------------------------------------
    @staticmethod
    def _check_language(language: str) -> None:
        if language not in catalog.LETTER_LANGUAGES:
            raise ValueError(_("Briefsprache „{code}“ gibt es nicht; möglich: {codes}.").format(
                code=language, codes=", ".join(catalog.LETTER_LANGUAGES)))
