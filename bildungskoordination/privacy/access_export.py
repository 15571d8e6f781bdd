"""Auskunft nach Art. 15 DSGVO: everything stored about ONE person, as JSON and as a readable PDF.

``collect`` builds one plain dict from the person's own rows only (queries by this person's id); the JSON
is that dict and the PDF renders nothing but that dict – so what one file holds, the other holds too, and
nothing about anyone else can slip in through the layout.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bildungskoordination.domain.dates import PartialDate, format_date
from bildungskoordination.domain.errors import NotFound
from bildungskoordination.domain.vocab import district, vocabulary
from bildungskoordination.events import ChangeBus
from bildungskoordination.i18n import _
from bildungskoordination.people.mapping import contact_from_row, person_from_row
from bildungskoordination.people.status_history import status_history
from bildungskoordination.privacy.audit import ACTION_LABELS, Action, AuditService
from bildungskoordination.privacy.labels import (
    CONTACT_FIELDS,
    CONTACT_VOCABULARIES,
    PERSON_FIELDS,
    PERSON_VOCABULARIES,
    code_label,
    entity_label,
    field_label,
    plain_text_of,
)
from bildungskoordination.privacy.policy import audit_description
from bildungskoordination.privacy.retention import RetentionService
from bildungskoordination.resources import load_toml
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import Contact, Person, PersonAlias
from bildungskoordination.store.outputs import OutputGuard

EXPORT_DETAIL = "Auskunft Art. 15"


def _plain(value: Any) -> Any:
    """JSON-ready form: dates ISO, partial birth dates as written, records as dicts."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return value


def _entry(name: str, value: Any, vocab: str | None) -> dict[str, Any]:
    item = {"feld": name, "bezeichnung": field_label(name), "wert": _plain(value)}
    if (words := plain_text_of(vocab, value)) is not None:
        item["klartext"] = words
    return item


def _action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)  # type: ignore[call-overload] # StrEnum keys match their plain values
    return _(label) if label else action


def _referrals(session: Any, person_id: int) -> list[dict[str, Any]]:
    """Referrals of this person with every status change (course and provider are the course's, not
    another person's data)."""
    from bildungskoordination.store.models import Course, Provider, Referral, ReferralEvent

    rows = session.execute(
        select(Referral, Course.course_number, Course.course_type, Provider.name)
        .join(Course, Course.id == Referral.course_id).join(Provider, Provider.id == Course.provider_id)
        .where(Referral.person_id == person_id).order_by(Referral.created_at, Referral.id)).all()
    result = []
    for referral, number, course_type, provider in rows:
        events = session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
                                 .order_by(ReferralEvent.at, ReferralEvent.id)).all()
        result.append({
            "nummer": referral.id, "kurs": number, "kursart": course_type, "traeger": provider,
            "status": referral.status, "wartelistenplatz": referral.waiting_position,
            # why referred although the matching said "not suitable" (also the first change's "grund")
            "begruendung_trotz_nicht_geeignet": referral.unsuitable_reason,
            "verlauf": [{"status": e.status, "am": _plain(e.at), "grund": e.reason} for e in events],
        })
    return result


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", text, flags=re.ASCII).strip("._") or "person"


class AccessExportService:
    def __init__(self, store: Store, audit: AuditService, retention: RetentionService,
                 bus: ChangeBus | None = None) -> None:
        self.store = store
        self.audit = audit
        self.retention = retention
        self.bus = bus or ChangeBus()
        self.outputs = OutputGuard(store.path)  # Services passes the one that knows the backup folder

    def collect(self, person_id: int, *, now: datetime | None = None) -> dict[str, Any]:
        """The whole answer as a dict (what the JSON file holds and the PDF shows)."""
        with self.store.read() as s:
            person = s.get(Person, person_id)
            if person is None:
                raise NotFound(_("Person {ref} nicht gefunden").format(ref=person_id))
            data = person_from_row(person)
            data.consent_withdrawn_at = person.consent_withdrawn_at
            technical = {"angelegt_am": _plain(person.created_at), "geaendert_am": _plain(person.updated_at),
                         "interne_nummer": person.id,
                         "suchschluessel": [person.search_folded, person.search_skeleton, person.sort_name],
                         # Files merged into this one (their file numbers still find the person).
                         "zusammengefuehrte_akten": [
                             {"aktenzeichen": a.file_number, "interne_nummer": a.merged_person_id,
                              "am": _plain(a.merged_at)}
                             for a in s.scalars(select(PersonAlias).where(PersonAlias.person_id == person_id)
                                                .order_by(PersonAlias.id))]}
            contacts = [(c.id, c.created_at, c.updated_at, contact_from_row(c)) for c in s.scalars(
                select(Contact).where(Contact.person_id == person_id)
                .order_by(Contact.contact_date, Contact.id))]
            referrals = _referrals(s, person_id)
            history = status_history(s, person_id)
        master = []
        for f in fields(data):
            if f.name == "languages":
                master.append(_entry(f.name, [{"sprache": s.code, "niveau": s.level} for s in data.languages],
                                     None) | {"klartext": [self._language(s.code, s.level) for s in data.languages]})
            elif f.name in PERSON_FIELDS:
                master.append(_entry(f.name, getattr(data, f.name), PERSON_VOCABULARIES.get(f.name)))
        statuses = vocabulary("residence_status")
        master.append(_entry("status_history", [{"status": h.status, "seit": _plain(h.since),
                                                 "erfasst_am": _plain(h.recorded_at)} for h in history], None)
                      | {"klartext": [_("{status}, seit {since} (erfasst am {at})").format(
                          status=statuses.label(h.status), since=format_date(h.since) if h.since else "–",
                          at=format_date(h.recorded_at.date())) for h in history]})
        return {
            "titel": self._notice().get("title", _("Auskunft nach Art. 15 DSGVO")),
            "erstellt_am": _plain((now or datetime.now()).replace(microsecond=0)),
            "erlaeuterung": self._explanation(person_id),
            "aktenzeichen": data.file_number,
            "stammdaten": master,
            "beratungskontakte": [
                {"nummer": cid, "angelegt_am": _plain(created), "geaendert_am": _plain(updated),
                 "felder": [_entry(f.name, getattr(c, f.name), CONTACT_VOCABULARIES.get(f.name))
                            for f in fields(c) if f.name in CONTACT_FIELDS]}
                for cid, created, updated, c in contacts
            ],
            "vermittlungen": referrals,
            "protokoll": [
                # The staff member's login name (os_user) is left out: it is not data about this person.
                {"zeitpunkt": _plain(e.at), "aktion": _action_label(e.action), "bereich": entity_label(e.entity),
                 "nummer": e.entity_id, "felder": [field_label(name) for name in e.fields], "hinweis": e.detail}
                for e in self.audit.list(limit=None, person_id=person_id)
            ],
            "technisch": technical,
        }

    def export(self, person_id: int, folder: Path, *, overwrite: bool = False) -> tuple[Path, Path]:
        """Write ``Auskunft-<Aktenzeichen>-<Datum>.json`` and ``.pdf`` into ``folder`` (each atomically),
        and log the export. Returns (json_path, pdf_path). Both targets are checked first (OutputRefused,
        nothing written: an app file or folder, an existing file without ``overwrite``, …)."""
        from bildungskoordination.privacy.access_pdf import render_pdf  # ReportLab only when exporting

        answer = self.collect(person_id)
        stem = f"Auskunft-{_safe_name(answer['aktenzeichen'])}-{date.today().isoformat()}"
        folder = Path(folder)
        json_path, pdf_path = folder / f"{stem}.json", folder / f"{stem}.pdf"
        json_bytes = json.dumps(answer, ensure_ascii=False, indent=2).encode("utf-8")
        for target in (json_path, pdf_path):
            self.outputs.check(target, overwrite=overwrite)
        pdf_bytes = render_pdf(answer)
        self.outputs.write_bytes(json_path, json_bytes, overwrite=overwrite)
        self.outputs.write_bytes(pdf_path, pdf_bytes, overwrite=overwrite)
        try:
            self.audit.record(Action.EXPORT, "person", person_id, person_id, detail=EXPORT_DETAIL)
        except BaseException:
            # No disclosure without its log entry: take the files back if the entry cannot be written.
            json_path.unlink(missing_ok=True)
            pdf_path.unlink(missing_ok=True)
            raise
        return json_path, pdf_path

    # --- parts ------------------------------------------------------------------------------------
    @staticmethod
    def _notice() -> dict[str, Any]:
        return load_toml("privacy", "notice.toml")

    @staticmethod
    def _language(code: str, level: str) -> str:
        name = code_label("languages", code)
        return f"{name} ({code_label('language_level', level)})" if level else name

    def _explanation(self, person_id: int) -> dict[str, Any]:
        notice = self._notice()
        office = district()
        rules = self.retention.rules()
        last = self.retention.last_activity(person_id)
        return {
            "verantwortlicher": office.get("office", ""),
            "gebiet": office.get("name", ""),
            "zweck": notice.get("purpose", ""),
            "rechtsgrundlage": notice.get("legal_basis", ""),
            "kategorien": notice.get("categories", ""),
            "empfaenger": notice.get("recipients", ""),
            "herkunft": notice.get("source", ""),
            "speicherdauer": [r.description for r in rules] + [audit_description(self.audit.keep_days())],
            "letzte_aktivitaet": _plain(last),
            "rechte": notice.get("rights", ""),
            "hinweis_protokoll": notice.get("log_note", ""),
        }
