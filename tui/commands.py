"""The one table of commands.

Every action the analyst can take is listed here once, with its id, default key(s) and
description. The same entries become the main screen's ``BINDINGS`` (and so the Footer),
the ``?`` help screen, and the command palette. A binding's ``id`` is what a user's keymap
(``"keymap"`` in the JSON config, applied with ``App.set_keymap``) refers to.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    id: str  # stable: keymaps in users' configs refer to it
    action: str  # an action on the main screen (``action_<name>``), arguments allowed
    keys: str | None  # Textual key names, comma separated; None: palette only
    description: str  # short: shown in the Footer
    help: str  # one sentence for the help screen and the palette
    group: str
    footer: int = 0  # position in the Footer (0: not shown); the Footer must stay readable at 80 columns
    key_display: str | None = None


GROUPS = ("Move", "Triage", "Grade", "Annotate", "Correct", "Search & cite", "App")

COMMANDS: tuple[Command, ...] = (
    # --- moving around -----------------------------------------------------------------
    Command("move.down", "cursor_down", "j,down", "Down", "Move down in the focused list", "Move"),
    Command("move.up", "cursor_up", "k,up", "Up", "Move up in the focused list", "Move"),
    Command("move.top", "cursor_top", "g,home", "Top", "Go to the first row", "Move"),
    Command("move.bottom", "cursor_bottom", "G,end", "Bottom", "Go to the last row", "Move"),
    Command("move.page_down", "page_down", "pagedown,ctrl+d", "Page down", "Move one page down", "Move"),
    Command("move.page_up", "page_up", "pageup,ctrl+u", "Page up", "Move one page up", "Move"),
    Command("pane.next", "focus_pane(1)", "tab", "Next pane", "Go to the next pane (queue, report, claims, entities)", "Move"),
    Command("pane.previous", "focus_pane(-1)", "shift+tab", "Previous pane", "Go to the previous pane", "Move"),
    Command("open", "open", "enter", "Open", "Open the report (marks it read) or the selected item", "Move", footer=10),
    Command("back", "back", "q", "Back", "Clear the selection, or go back to the queue; at the queue, quit", "Move"),
    Command("back.escape", "back(False)", "escape", "Back", "Clear the selection, or go back to the queue (never quits)", "Move"),
    # --- triage -------------------------------------------------------------------------
    Command("triage.next_new", "next_new", "full_stop", "Next new", "Jump to the next new report", "Triage", footer=3, key_display="."),
    Command("triage.read", "toggle_read", "m", "Read", "Mark read, or back to new if already read", "Triage", footer=4),
    Command("triage.flag", "toggle_status('flagged')", "f", "Flag", "Flag the report (again to unflag)", "Triage"),
    Command("triage.dismiss", "toggle_status('dismissed')", "d", "Dismiss", "Dismiss the report (again to restore)", "Triage"),
    Command("triage.select", "toggle_select", "space,t", "Select", "Select or unselect the row; actions apply to all selected", "Triage", key_display="space"),
    Command("triage.select_clear", "clear_selection", "ctrl+x", "Clear selection", "Unselect everything", "Triage"),
    Command("claims.dim", "choose_dim_threshold", "C", "Dim below",
            "Dim the claims whose confidence (how likely the claim and its speaker are right) is below a "
            "threshold", "Triage"),
    Command("triage.filter", "cycle_filter", "v", "View", "Cycle the queue filter: all, new, flagged, read, dismissed", "Triage"),
    # --- grading -------------------------------------------------------------------------
    Command("grade.reliability", "grade_reliability", "r", "Source", "Grade the source's reliability A-F (every report of it shows it)", "Grade", footer=5),
    Command("grade.credibility", "grade_credibility", "c", "Cred", "Grade credibility 1-6 of the claim (claims pane) or the report", "Grade", footer=6),
    Command("grade.stance", "grade_stance", "s", "Stance", "Stance of the claim toward the active hypothesis", "Grade", footer=7),
    Command("claim.link", "link_claims", "L", "Link",
            "Mark a claim, then on another claim (any report) say whether it corroborates, contradicts or "
            "duplicates the marked one", "Grade"),
    Command("ach.open", "open_ach", "M", "ACH",
            "The ACH matrix: hypotheses side by side against the evidence claims; rate each cell CC, C, N, I, II; "
            "weighted inconsistency per hypothesis, diagnostic rows marked", "Grade"),
    Command("ach.add", "add_to_ach", None, "Add to ACH",
            "Add the claim under the claims cursor (or the selected claims) to the ACH matrix as evidence", "Grade"),
    Command("grade.affiliation", "edit_affiliation", "a", "Affiliation", "Set the source's affiliation or stance label", "Grade"),
    # --- annotating ----------------------------------------------------------------------
    Command("claim.speaker", "edit_speaker", "w", "Who said it",
            "Correct who the claim is attributed to (kept when the report is extracted again)", "Annotate"),
    Command("note.tag", "add_tag", "plus,equals_sign", "Tag", "Add a tag to the report or claim (or selection)", "Annotate", key_display="+"),
    Command("note.untag", "remove_tag", "minus", "Untag", "Remove a tag from the report or claim (or selection)", "Annotate", key_display="-"),
    Command("note.note", "edit_note", "e", "Note", "Write a note on the report or claim", "Annotate"),
    Command("note.source_tag", "add_source_tag", None, "Tag source", "Add a tag to the report's source", "Annotate"),
    Command("note.source_note", "edit_source_note", None, "Note on source", "Write a note on the report's source", "Annotate"),
    Command("entities.merges", "review_merges", None, "Review merges",
            "Confirm or reject names proposed as the same entity (Haniyeh / Haniya)", "Annotate"),
    Command("entities.split", "split_entity", None, "Split entity",
            "Two people taken for one: split a name off the entity under the entities cursor "
            "(kept through re-extraction)", "Annotate"),
    # --- correcting what the machine got wrong (tui/actions/corrections.py) -----------------------
    Command("correct.report", "edit_report", "E", "Edit report",
            "Correct the report's title, source, author, date, URL or language (a source set here can be graded)",
            "Correct"),
    Command("correct.reject_claim", "reject_claim", "x", "Not a claim",
            "Reject the claim as not a claim (again to restore); kept so when the report is extracted again", "Correct"),
    Command("correct.show_rejected", "toggle_rejected", "X", "Show rejected",
            "Show or hide the claims rejected as not claims (shown struck through)", "Correct"),
    Command("correct.add_claim", "add_claim", "A", "Add claim",
            "Add a claim the extractor missed: the text selected in the report, else the first sentence in view "
            "in the report pane (speaker and chain suggested)", "Correct"),
    Command("correct.span", "edit_claim_span", "S", "Claim span", "Correct where the claim starts and ends",
            "Correct"),
    Command("correct.flags", "toggle_claim_flag", "F", "Flags", "Toggle the claim's quote, hedge or denial flag",
            "Correct"),
    Command("correct.delete_entity", "delete_entity", "D", "Delete entity",
            "Delete a junk entity (not a name); extracting again or importing does not bring it back", "Correct"),
    Command("correct.retype_entity", "retype_entity", "T", "Retype entity",
            "Correct the entity's type: person, organisation, place or media", "Correct"),
    Command("correct.rename_entity", "rename_entity", "R", "Rename entity",
            "Correct the entity's canonical name (the old one stays one of its names)", "Correct"),
    Command("undo", "undo", "u", "Undo", "Undo the last change (repeat to go further back)", "Annotate", footer=9),
    # --- search and cite -----------------------------------------------------------------
    Command("search", "search", "slash", "Search", "Fuzzy search across reports, claims and entities", "Search & cite", footer=2, key_display="/"),
    Command("search.next", "next_hit(1)", "n", "Next hit", "Open the next search result", "Search & cite"),
    Command("search.previous", "next_hit(-1)", "N", "Previous hit", "Open the previous search result", "Search & cite"),
    Command("cite.copy", "copy_citation", "y", "Cite", "Copy the citation of the report or claim in the default style", "Search & cite", footer=8),
    Command("cite.pick", "pick_citation", "Y", "Cite as…", "Choose a citation style and copy", "Search & cite"),
    Command("cite.default", "choose_default_style", None, "Default citation style", "Set the style that y copies", "Search & cite"),
    # --- app ------------------------------------------------------------------------------
    Command("help", "help", "question_mark", "Help", "Show every key", "App", footer=1, key_display="?"),
    Command("import", "import_path", "i", "Import", "Import a file or folder of reports", "App"),
    Command("feeds.add", "add_feed", None, "Subscribe to feed",
            "Subscribe to an RSS or Atom feed: polled while the app runs, new items arrive as new reports", "App"),
    Command("feeds.watch", "watch_folder", None, "Watch folder",
            "Watch a folder: files dropped there are imported (and left there)", "App"),
    Command("feeds.poll", "poll_feeds", None, "Poll feeds now", "Poll every feed and watched folder now", "App"),
    Command("feeds.list", "list_feeds", None, "Feeds", "List subscriptions with their last poll; unsubscribe", "App"),
    Command("hypothesis.new", "new_hypothesis", None, "New hypothesis", "Create a hypothesis and make it active", "App"),
    Command("hypothesis.rename", "rename_hypothesis", None, "Rename hypothesis", "Rename the active hypothesis", "App"),
    Command("hypothesis.switch", "switch_hypothesis", "H", "Hypothesis", "Switch the active hypothesis", "App"),
    Command("theme.dark", "set_theme('textual-dark')", None, "Dark theme", "Use the dark theme", "App"),
    Command("theme.light", "set_theme('textual-light')", None, "Light theme", "Use the light theme", "App"),
    Command("theme.ansi", "set_theme('textual-ansi')", None, "ANSI theme", "Use the terminal's own colours", "App"),
    Command("quit", "app.quit", "ctrl+q", "Quit", "Quit (everything is saved already)", "App"),
)


# Checked before the key reaches any widget. "search" must be: a fast "/haniya" arrives as
# one burst, and the letters must find the search dialog already on the screen stack.
PRIORITY = {"quit", "search"}


def bindings() -> list[Binding]:
    """The main screen's bindings: one per command that has a key."""
    # Footer order is binding order: the Footer's commands first, most needed first.
    ordered = sorted((c for c in COMMANDS if c.keys), key=lambda c: (c.footer == 0, c.footer))
    return [
        Binding(c.keys, c.action, c.description, show=bool(c.footer), id=c.id, key_display=c.key_display,
                tooltip=c.help, priority=c.id in PRIORITY)
        for c in ordered
    ]


def keys_for(command: Command, keymap: dict[str, str]) -> str:
    """The keys a command answers to, after the user's keymap, as the help screen shows them."""
    keys = keymap.get(command.id, command.keys)
    if not keys:
        return ""
    shown = []
    for key in keys.split(","):
        key = key.strip()
        if command.key_display and key == command.keys.split(",")[0] and command.id not in keymap:
            shown.append(command.key_display)
        else:
            shown.append(_KEY_NAMES.get(key, key))
    return " ".join(shown)


_KEY_NAMES = {
    "down": "↓", "up": "↑", "pagedown": "PgDn", "pageup": "PgUp", "home": "Home", "end": "End", "enter": "Enter",
    "escape": "Esc", "tab": "Tab", "shift+tab": "Shift+Tab", "space": "Space", "slash": "/", "question_mark": "?",
    "full_stop": ".", "plus": "+", "minus": "-", "equals_sign": "=", "ctrl+q": "Ctrl+Q", "ctrl+x": "Ctrl+X",
    "ctrl+d": "Ctrl+D", "ctrl+u": "Ctrl+U",
}
