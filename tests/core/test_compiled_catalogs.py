"""The app reads compiled .mo catalogs (built once), not the .po at every start – and never a stale .mo."""

from __future__ import annotations

import gettext
import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bildungskoordination import i18n

ROOT = Path(__file__).resolve().parents[2]
EN_PO = ROOT / "translations" / "en" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def _a_translated_message() -> tuple[str, str]:
    with EN_PO.open("rb") as fh:
        for message in read_po(fh, locale="en"):
            if (isinstance(message.id, str) and message.id and not message.context and not message.fuzzy
                    and message.string and message.string != message.id):
                return message.id, message.string
    raise AssertionError("no translated message in the English catalog")


MSGID, MSGSTR = _a_translated_message()


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(EN_PO, folder / EN_PO.name)
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    yield folder
    i18n.set_language(i18n.SOURCE_LANGUAGE)


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = i18n.compile_po

    def counting(po_bytes: bytes, language: str) -> bytes:
        calls.append(language)
        return real(po_bytes, language)

    monkeypatch.setattr(i18n, "compile_po", counting)
    return calls


def test_the_first_start_compiles_once_and_later_starts_read_the_mo(catalogs: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    compiles = _count_compiles(monkeypatch)
    i18n.set_language("en")
    assert compiles == ["en"]
    assert (catalogs / f"{i18n.DOMAIN}.mo").is_file()
    i18n.set_language("en")
    i18n.set_language("en")
    assert compiles == ["en"], "the .po was parsed again although a matching .mo was there"
    assert i18n._(MSGID) == MSGSTR


def test_the_mo_holds_exactly_the_translations_of_the_po(catalogs: Path) -> None:
    i18n.set_language("en")
    with (catalogs / f"{i18n.DOMAIN}.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    with EN_PO.open("rb") as fh:
        source = read_po(fh, locale="en")
    checked = 0
    for message in source:
        if not message.id or message.fuzzy or not message.string or isinstance(message.id, tuple):
            continue
        msgid = message.id if not message.context else f"{message.context}\x04{message.id}"
        assert compiled.gettext(msgid) == message.string, message.id
        checked += 1
    assert checked > 500


def test_an_edited_po_is_compiled_again_instead_of_using_the_old_mo(catalogs: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.set_language("en")
    po = catalogs / f"{i18n.DOMAIN}.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    catalog[MSGID].string = "Save it now"
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog)
    po.write_bytes(buffer.getvalue())
    compiles = _count_compiles(monkeypatch)
    i18n.set_language("en")
    assert compiles == ["en"]
    assert i18n._(MSGID) == "Save it now"


def test_a_damaged_mo_is_replaced(catalogs: Path) -> None:
    (catalogs / f"{i18n.DOMAIN}.mo").write_bytes(b"not a catalog")
    i18n.set_language("en")
    assert i18n._(MSGID) == MSGSTR
    assert (catalogs / f"{i18n.DOMAIN}.mo").read_bytes()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")


def test_the_wheel_build_hook_compiles_every_po(tmp_path: Path) -> None:
    """hatch_build.py writes a .mo for every .po into the wheel's data, and i18n accepts it as matching."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    placed = module.compile_catalogs(ROOT, tmp_path)
    in_wheel = sorted(placed.values())
    assert f"bildungskoordination/_data/translations/en/LC_MESSAGES/{i18n.DOMAIN}.mo" in in_wheel
    assert len(in_wheel) == len(list((ROOT / "translations").glob("*/LC_MESSAGES/*.po")))
    mo = tmp_path / "en" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    assert i18n._matching_mo(mo, i18n.source_hash(EN_PO.read_bytes())) is not None
