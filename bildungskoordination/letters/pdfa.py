"""PDF/A-2b for the letters, so an authority can file them in its e-file: what ReportLab does not write is
added with pikepdf – XMP metadata (pdfaid part 2, conformance B, title, language, creator, producer and the
real dates, the same as in the document information), an sRGB output intent and /Lang.

ReportLab's part (document.py, parts.py): every font is an embedded subset of a bundled Noto font – the
canvas' initial font and the table cells' default are set to Noto Sans, since ReportLab would otherwise declare
Helvetica without embedding it. No validator is bundled (veraPDF needs Java); tests/core/test_letters_pdfa.py
checks fonts, XMP, output intent and metadata consistency, and the README says how a district validates.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache

import pikepdf

SRGB = "sRGB IEC61966-2.1"


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (LittleCMS's built-in one, through Pillow) for the output intent."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def make_pdfa(pdf: bytes, *, title: str, language: str = "de-DE", author: str = "",
              when: datetime | None = None) -> bytes:
    """``pdf`` as PDF/A-2b: same pages, with XMP, output intent, /Lang and matching document information."""
    when = (when or datetime.now()).astimezone().replace(microsecond=0)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root
        root.Lang = pikepdf.String(language)
        root.MarkInfo = pikepdf.Dictionary(Marked=False)
        icc = pikepdf.Stream(doc, srgb_profile())
        icc.N = 3
        root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier=pikepdf.String(SRGB),
            Info=pikepdf.String(SRGB), RegistryName=pikepdf.String("http://www.color.org"), DestOutputProfile=icc)])
        stamp = _pdf_date(when)
        producer = f"Bildungskoordination (ReportLab, pikepdf {pikepdf.__version__})"
        info = {"/Title": title, "/Author": author or "Bildungskoordination", "/Creator": "Bildungskoordination",
                "/Producer": producer, "/CreationDate": stamp, "/ModDate": stamp}
        doc.trailer.Info = doc.make_indirect(pikepdf.Dictionary({k: pikepdf.String(v) for k, v in info.items()}))
        for key in ("/Subject", "/Keywords"):
            if key in doc.docinfo:
                del doc.docinfo[key]
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
            meta["dc:title"] = title
            meta["dc:creator"] = [info["/Author"]]
            meta["dc:language"] = [language]
            meta["dc:format"] = "application/pdf"
            meta["pdf:Producer"] = producer
            meta["xmp:CreatorTool"] = "Bildungskoordination"
            iso = when.isoformat()
            meta["xmp:CreateDate"] = iso
            meta["xmp:ModifyDate"] = iso
            meta["xmp:MetadataDate"] = iso
        out = io.BytesIO()
        doc.save(out, fix_metadata_version=False, deterministic_id=True)
        return out.getvalue()


def _pdf_date(when: datetime) -> str:
    offset = when.strftime("%z") or "+0000"
    return f"D:{when:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"
