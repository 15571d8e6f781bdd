"""The body of a referral letter as flowables: subject, salutation and introduction, the course table, the
documents to bring, contact and office hours, closing – each German part followed by its translation in a marked
box – and the return slip for the provider on a page of its own."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer
from reportlab.platypus.flowables import Flowable

from bildungskoordination.letters import texts as catalog
from bildungskoordination.letters.address import short_name
from bildungskoordination.letters.content import LetterData, LetterTexts
from bildungskoordination.letters.flowables import BidiParagraph, Stack
from bildungskoordination.letters.fonts import chain_for, fully_covered
from bildungskoordination.letters.layout import TextStyle
from bildungskoordination.letters.parts import course_table, documents_table, marker, return_slip, same_script
from bildungskoordination.letters.style import BAR, COURSE_TABLE_MIN, TINT, Styles


class SlipStart(Flowable):
    """Zero-size marker: the return slip starts a page of its own (its back stays empty, so cutting it off
    loses nothing of the letter, also when printed on both sides). document.py breaks the page here."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def body(data: LetterData, de: LetterTexts, other: LetterTexts, st: Styles) -> list[Flowable]:
    lang = other.language
    bilingual = lang != "de"
    rtl = catalog.is_rtl(lang)
    name_local = data.name_original if (data.name_original and same_script(data.name_original, lang)
                                        and fully_covered(data.name_original, chain_for(lang))) else data.latin_name

    def part(german: list[Flowable], translated: list[Flowable], space: float = 5) -> Flowable:
        items: list[Flowable] = list(german)
        if bilingual and translated:
            items += [Spacer(1, 1.2 * mm), Stack([marker(other, st), *translated], tint=TINT, bar=BAR, rtl=rtl,
                                                  padding=1.8 * mm, gap=1)]
        return KeepTogether([*items, Spacer(1, space * mm * st.scale)])

    def p(texts: LetterTexts, key: str, style: TextStyle | None = None, *, after: float = 1.5,  # noqa: E306
          **values: object) -> list[Flowable]:
        text = texts.get(key, **values)
        if not text:
            return []
        language = texts.language
        return [BidiParagraph(text, style or st.body, language, rtl=catalog.is_rtl(language), space_after=after)]

    line = st.body.leading  # DIN 5008: one empty line after the salutation, three for the signature

    course_de, course_tr = de.course_type(data), other.course_type(data)
    story: list[Flowable] = [
        part(p(de, "subject", st.subject, course_type=course_de), p(other, "subject", st.subject, course_type=course_tr)),
    ]
    register = "register_by" if data.registration_deadline else "register_soon"
    story.append(part(
        p(de, "salutation", after=line, name=short_name(data.given_name, data.family_name)) + p(de, "intro")
        + p(de, register, date=de.date(data.registration_deadline)),
        p(other, "salutation", after=line, name=name_local if name_local != data.latin_name
                                        else short_name(data.given_name, data.family_name)) + p(other, "intro")
        + p(other, register, date=other.date(data.registration_deadline))))
    # The course table may continue on the next page between two rows (not a half-empty page), once there is
    # room here for its heading and a few rows.
    story += [CondPageBreak(COURSE_TABLE_MIN), course_table(data, de, other, bilingual, rtl, st),
              Spacer(1, 5 * mm * st.scale)]
    docs = catalog.documents_for(data.course_type)
    story.append(part([documents_table(de, other, docs, bilingual, rtl, st)], [], space=4))
    head = data.letterhead
    name, phone, email = head.coordinator, head.phone, head.email
    story.append(part(
        p(de, "contact_heading", st.body_bold) + p(de, "contact_text", name=name, phone=phone, email=email)
        + p(de, "office_hours", hours=head.office_hours),
        p(other, "contact_heading", st.body_bold) + p(other, "contact_text", name=name, phone=phone, email=email)
        + p(other, "office_hours", hours=other.office_hours(head.office_hours))))
    notes = (p(de, "binding_note", st.small) if bilingual else [])
    signed = [Spacer(1, 3 * line), BidiParagraph(head.coordinator, st.body, space_after=2)]
    story.append(part(p(de, "closing") + signed + notes,
                      p(other, "closing") + p(other, "binding_note", st.small) + p(other, "interpreter_hint", st.small),
                      space=3))
    story.append(SlipStart())
    story.append(return_slip(data, de, st))
    return story
