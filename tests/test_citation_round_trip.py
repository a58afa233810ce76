"""Exported citations read back by independent parsers (pybtex for BibTeX, rispy for RIS): whatever
a report's fields hold, each comes back as the one field it was, and no field or entry is added.
Issue 17, class 8: a backslash-escaped "\\}" closed the BibTeX group and let a title write fields."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.cite import cite_report
from db.models import Report, Source

pybtex_database = pytest.importorskip("pybtex.database")
rispy = pytest.importorskip("rispy")

BREAKOUTS = [
    "}", "{", "\\}", "\\{", "\\", "}, title = {pwned", "\\}, note = {pwned", "}}}}", "{{{{", "}{", "a } b { c",
    "@misc{evil, title={x}}", "%", "% comment }", "#", "&", "$x$", "~^_", '"quoted"', "a\\\\}b",
    "\\textbf{bold}", "}\n@misc{x,", "ER  - \nTY  - JOUR", "\nTI  - injected", "AU  - Someone",
]

_UNESCAPE = [(r"\textbackslash{}", "\\"), (r"\textbraceleft{}", "{"), (r"\textbraceright{}", "}"),
             (r"\textasciitilde{}", "~"), (r"\textasciicircum{}", "^"), (r"\&", "&"), (r"\%", "%"), (r"\$", "$"),
             (r"\#", "#"), (r"\_", "_")]


def _report(title: str, *, container: str = "Threat Monitor", publisher: str = "Shafaq News") -> Report:
    return Report(id=7, title=title, body="b", status="new", format="text", imported_at="2024-06-01T00:00:00Z",
                  content_hash="h", source=Source(id=1, name=publisher, reliability="C"),
                  url="https://example.org/a?b={c}&d=\\e", published="2024-06-13", container=container)


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        for escaped, plain in _UNESCAPE:
            if value.startswith(escaped, i):
                out.append(plain)
                i += len(escaped)
                break
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _one_line(text: str) -> str:
    """What a citation keeps of a field: the app's one sanitiser (one line, controls shown)."""
    from db.text_safety import field_line

    return field_line(text)


def _bibtex_fields(report: Report) -> dict[str, str]:
    text = cite_report(report, "bibtex")
    data = pybtex_database.parse_string(text, "bibtex")
    assert len(data.entries) == 1, text
    (entry,) = data.entries.values()
    return {name.lower(): value for name, value in entry.fields.items()}


def _check_bibtex(title: str, container: str, publisher: str) -> None:
    report = _report(title, container=container, publisher=publisher)
    fields = _bibtex_fields(report)
    assert set(fields) <= {"title", "organization", "note", "date", "year", "url", "urldate", "langid", "annotation"}, fields
    assert fields["title"].startswith("{") and fields["title"].endswith("}")
    assert _unescape(fields["title"][1:-1]) == (_one_line(title) or "Untitled")
    if _one_line(container):
        assert _unescape(fields["note"]) == _one_line(container)
    assert fields["date"] == "2024-06-13" and fields["year"] == "2024"


def _check_ris(title: str, container: str, publisher: str) -> None:
    text = cite_report(_report(title, container=container, publisher=publisher), "ris")
    entries = rispy.loads(text)
    assert len(entries) == 1, text
    entry = entries[0]
    assert entry["title"] == (_one_line(title) or "Untitled")
    if _one_line(container):
        assert entry["secondary_title"] == _one_line(container)
    assert entry["urls"] == ["https://example.org/a?b={c}&d=\\e"]


@pytest.mark.parametrize("text", BREAKOUTS, ids=lambda t: repr(t[:20]))
def test_bibtex_fields_come_back_whole(text):
    _check_bibtex(f"Report {text} end", f"Monitor {text}", f"Outlet {text}")


@pytest.mark.parametrize("text", BREAKOUTS, ids=lambda t: repr(t[:20]))
def test_ris_fields_come_back_whole(text):
    _check_ris(f"Report {text} end", f"Monitor {text}", f"Outlet {text}")


_FIELD_TEXT = st.lists(st.sampled_from(list("{}\\%&$#_~^@,=\" \n\tabcAB1-") + ["ER  - ", "\nTY  - ", "\\}"]),
                       min_size=1, max_size=40).map("".join).filter(lambda t: re.search(r"\w", t))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_FIELD_TEXT, container=_FIELD_TEXT)
def test_any_field_text_round_trips_through_both_parsers(title, container):
    _check_bibtex(title, container, "Outlet")
    _check_ris(title, container, "Outlet")
