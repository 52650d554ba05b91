"""The case file as a PDF: the case page's read model
(``vigil.services.readmodels.casepage.case_page``,
masked for the reader and audited as a consultation of the case) written into a print
template (``vigil/case_file.html``), and that template set as a PDF by fpdf2."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from fpdf import FPDF, TextStyle

from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.services import CasePage, case_page, list_attachments, may, utcnow
from vigil.web.report_kinds import form_for
from vigil.web.views import checklist, people_rows

# The PDF's built-in fonts write Latin-1; typography beyond it is written plainly.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2022": "-",
        "\u2192": "->",
        "\u2265": ">=",
        "\u2264": "<=",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def latin1(text: str) -> str:
    """``text`` in the characters the PDF's fonts hold: quotes and dashes plainly, letters
    without their accents where Latin-1 lacks them, anything else as '?'."""
    out = []
    for c in text.translate(_PLAIN):
        if ord(c) < 256:
            out.append(c)
            continue
        bare = "".join(d for d in unicodedata.normalize("NFKD", c) if ord(d) < 256)
        out.append(bare or "?")
    return "".join(out)


# Headings in black, as a case file is printed (fpdf2's own are dark red).
_HEADINGS = {
    "h1": TextStyle(color="#0b0c0c", font_size_pt=20, t_margin=2, b_margin=2),
    "h2": TextStyle(color="#0b0c0c", font_size_pt=15, t_margin=6, b_margin=1),
    "h3": TextStyle(color="#0b0c0c", font_size_pt=12, t_margin=4, b_margin=1),
}


class _CaseFile(FPDF):
    def __init__(self, reference: str, title: str) -> None:
        super().__init__(format="A4")
        self.reference = reference
        self.heading = title

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        text = latin1(f"{self.heading} {self.reference} - page {self.page_no()} of {{nb}}")
        self.cell(0, 8, text, align="C")


def pdf_of(html: str, reference: str, title: str = "Case file") -> bytes:
    """The print template's HTML set as an A4 PDF, titled "<title> <reference>" (a case file; a
    review pack for the advisory panel, ``vigil.web.panel``)."""
    pdf = _CaseFile(reference, title)
    pdf.set_title(latin1(f"{title} {reference}"))
    pdf.set_creator("Vigil")
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.write_html(latin1(re.sub(r">\s+<", "><", html)), tag_styles=_HEADINGS)
    return bytes(pdf.output())


def case_file_html(request: HttpRequest, actor: Actor, content: CasePage) -> str:
    """The print template filled from the case page's content (already masked)."""
    view, evaluation = content.state.view, content.state.evaluation
    files = None
    if may(actor, Permission.SEE_IDENTITIES):
        files = list_attachments(actor, view.reference, face="pdf")
    context: dict[str, Any] = {
        "case": view,
        "ev": evaluation,
        "decision": view.decision,
        "draft": list(content.still_to_record.values()),
        "reader": actor.username,
        "role": actor.role,
        "printed": utcnow(),
        "checklist": checklist(evaluation),
        "report_rows": form_for(view.report.kind).report_rows(view.report),
        "form": form_for(view.report.kind),
        **people_rows(view),
        "attachments": files,
    }
    return render_to_string("vigil/case_file.html", context, request=request)


def case_file(request: HttpRequest, actor: Actor, reference: str) -> tuple[str, bytes]:
    """The case file's PDF and its reference as stored; audited as a view of the case."""
    content = case_page(actor, reference, face="pdf")
    html = case_file_html(request, actor, content)
    return content.state.view.reference, pdf_of(html, content.state.view.reference)
