"""Compare main-text extractors on real saved news pages.

    .venv/bin/python bench/ingest_html.py [SHARED_DATA_DIR]

Pages are ``shared/data/html/html/NAME.html`` (or ``NAME_article.html``), the expected
article text ``shared/data/html/text/NAME.txt`` (newspaper's test fixtures). For each
extractor it prints the mean and median similarity between extracted and expected text,
as rapidfuzz ``fuzz.ratio`` on whitespace-normalised text and as a token-level F1, plus
the pages where it failed or scored below 50.
"""

from __future__ import annotations

import logging
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from db.ingest import IngestError, parse_bytes  # noqa: E402
from db.ingest.decode import decode_text  # noqa: E402
from db.ingest.htmltext import html_to_text  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared" / "data"


def is_annotator_note(expected: str) -> bool:
    """Some expected texts are empty or a note in capitals ("MISSED LAST PARAGRAPH") instead of the article."""
    letters = [ch for ch in expected if ch.isalpha()]
    return not letters or sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def page_pairs(data_dir: Path) -> tuple[list[tuple[Path, Path]], list[str]]:
    """(page, expected text) pairs; "NAME_article.html" pairs with "NAME.txt". Also the pages left out."""
    pages, expected = data_dir / "html" / "html", data_dir / "html" / "text"
    pairs, left_out = [], []
    for page in sorted(pages.glob("*.html")):
        text = expected / (page.stem.replace("_article", "") + ".txt")
        if not text.exists():
            left_out.append(f"{page.name} (no expected text)")
        elif is_annotator_note(text.read_text("utf-8", "replace")):
            left_out.append(f"{page.name} (expected text is a note)")
        else:
            pairs.append((page, text))
    return pairs, left_out


def _trafilatura(**options):
    import trafilatura

    def extract(markup: str) -> str:
        return trafilatura.extract(markup, include_comments=False, **options) or ""

    return extract


def _justext(markup: str) -> str:
    import justext

    paragraphs = justext.justext(markup.encode("utf-8"), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _production(markup: str) -> str:
    """What the importer stores: db.ingest.parse_bytes on the page."""
    try:
        return parse_bytes(markup.encode("utf-8"), "page.html")[0].body
    except IngestError:
        return ""


EXTRACTORS = {
    "db.ingest (trafilatura favor_recall + strip fallback)": _production,
    "trafilatura default": _trafilatura(),
    "trafilatura favor_precision": _trafilatura(favor_precision=True),
    "trafilatura favor_recall": _trafilatura(favor_recall=True),
    "trafilatura fast (no fallback)": _trafilatura(fast=True),
    "jusText (English stoplist)": _justext,
    "whole page stripped (baseline)": html_to_text,
}


def normalise(text: str) -> str:
    return " ".join(text.split())


def token_f1(extracted: str, expected: str) -> float:
    got, want = Counter(re.findall(r"\w+", extracted.lower())), Counter(re.findall(r"\w+", expected.lower()))
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 100 * 2 * precision * recall / (precision + recall)


def main() -> None:
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED
    pairs, left_out = page_pairs(data_dir)
    if not pairs:
        sys.exit(f"no page/text pairs under {data_dir}")
    print(f"left out {len(left_out)}: {', '.join(left_out)}")
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    loaded = [(page.name, decode_text(page.read_bytes()), text.read_text("utf-8", "replace")) for page, text in pairs]
    print(f"{len(loaded)} pages with expected text\n")
    for label, extract in EXTRACTORS.items():
        ratios, f1s, failures = [], [], []
        started = time.perf_counter()
        for name, markup, expected in loaded:
            try:
                extracted = extract(markup)
            except Exception as error:  # an extractor crashing is a result too
                failures.append(f"{name}: {type(error).__name__}")
                extracted = ""
            ratio = fuzz.ratio(normalise(extracted), normalise(expected))
            ratios.append(ratio)
            f1s.append(token_f1(extracted, expected))
            if not extracted.strip():
                failures.append(f"{name}: empty")
            elif ratio < 50:
                failures.append(f"{name}: ratio {ratio:.0f}")
        elapsed = time.perf_counter() - started
        print(f"== {label}  ({elapsed:.1f}s)")
        print(f"   fuzz.ratio  mean {statistics.mean(ratios):5.1f}  median {statistics.median(ratios):5.1f}")
        print(f"   token F1    mean {statistics.mean(f1s):5.1f}  median {statistics.median(f1s):5.1f}")
        print(f"   failures ({len(failures)}): {', '.join(failures) if failures else '-'}\n")


if __name__ == "__main__":
    main()
