"""The mark on a report whose page gave little article text: a tag, so that the analyst sees it in
the queue and in ``show``, can list such reports (``tag:little-text``) and removes it once the page
is checked, as any tag (undoable, in the audit log); no column or migration needed."""

LITTLE_TEXT_TAG = "little-text"


def little_text_warning(characters: int) -> str:
    return f"only {characters} characters of article text; tagged {LITTLE_TEXT_TAG}"
