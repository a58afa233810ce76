"""Small ones of issue 17 (class 11): zalgo titles, U+2028/U+2029, a 100,000-character tag in the
history. (The progress total and fullwidth grades are in test_hostile_folders.py and
test_hostile_arguments.py.)"""

from __future__ import annotations

import unicodedata

import pytest

from db.cli import EXIT_OK, main
from db.text_safety import MAX_MARKS, one_line, visible

from .factories import seeded_store

ZALGO = "".join(c + "".join(chr(0x300 + (i * 7 + j) % 0x70) for j in range(40)) for i, c in enumerate("Minister visits Baghdad"))


def _letters(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Me"))


def test_a_zalgo_title_keeps_its_letters_within_the_limit():
    line = one_line(ZALGO, 20)
    assert _letters(line) == "Minister visits Bag\u2026"
    assert len(line) <= 20 * (1 + MAX_MARKS)
    assert _letters(one_line(ZALGO)) == "Minister visits Baghdad"


@pytest.mark.parametrize("text", ["e\u0301tude", "Ha\u0304ni\u0304yeh", "\u0928\u092e\u0938\u094d\u0924\u0947",
                                  "Vi\u1ec7t Nam"])
def test_ordinary_combining_marks_are_kept(text):
    assert one_line(text) == text
    assert one_line(text, 100) == text


def test_a_mark_with_no_letter_before_it_is_dropped():
    assert one_line("\u0301\u0301x") == "x"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_line_and_paragraph_separators_separate_words_in_the_reader(separator):
    body = f"first{separator}second"
    shown = visible(body)
    assert shown == "first\nsecond" and len(shown) == len(body)  # one for one: spans still fit
    assert one_line(body) == "first second"
    from tui.widgets.spans import styled_pieces

    assert "".join(piece for piece, _ in styled_pieces(body, [(0, 5, "bold")])) == "first\nsecond"
    assert "".join(piece for piece, _ in styled_pieces(body, [], one_line=True)) == "first second"


def test_history_cuts_a_huge_tag_and_shows_its_controls(tmp_path, capsys):
    db = tmp_path / "h.db"
    seeded_store(db).close()
    tag = "\x1b]0;pwned\x07" + "T" * 100_000
    assert main(["--db", str(db), "grade", "--report", "1", "--tag", tag]) == EXIT_OK
    capsys.readouterr()
    assert main(["--db", str(db), "history"]) == EXIT_OK
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) < 250
    assert "\x1b" not in out and "\x07" not in out
