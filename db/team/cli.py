"""The CLI's team commands: ``whoami`` (the analyst this command acts as) and ``team`` (every
analyst's judgements of a report, claim or source, with the consensus and disagreement)."""

from __future__ import annotations

import sys

EXIT_OK = 0


def add_parsers(sub, row_id) -> None:
    sub.add_parser("whoami", help="print the analyst changes are recorded under (--analyst, "
                                  "$ANALYST_TUI_ANALYST, else the login)")
    p = sub.add_parser("team", help="every analyst's grades, stances and notes of one item: consensus, disagreement",
                       description="Each analyst's judgement is kept apart: the panes, show and exports give yours. "
                                   "This lists everyone's: a field's consensus reads 'B (2) / C (1)' (two analysts "
                                   "said B, one C), and a field on which they differ is marked DISPUTED.")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--report", type=row_id, metavar="ID")
    target.add_argument("--claim", type=row_id, metavar="ID")
    target.add_argument("--source", type=row_id, metavar="ID")
    p.add_argument("--json", action="store_true")


def cmd_whoami(store, options) -> int:
    from ..text_safety import one_line

    print(one_line(store.analyst, 80))
    return EXIT_OK


def cmd_team(store, options) -> int:
    from ..text_safety import json_dumps, one_line

    kind = "report" if options.report else "claim" if options.claim else "source"
    view = store.team_view(kind, options.report or options.claim or options.source)
    if options.json:
        print(json_dumps(view.as_dict(), indent=1))
        return EXIT_OK
    print(f"{kind} {view.target_id}: {'DISPUTED' if view.disputed else 'no disagreement'} (you are "
          f"{one_line(store.analyst, 40)})")
    for judged in view.judged:
        mark = "  DISPUTED" if judged.disputed else ""
        base = f"  (came with {judged.base})" if judged.base is not None else ""
        print(f"  {one_line(judged.field, 40)}: {one_line(judged.consensus, 60)}{mark}{base}")
        for analyst, value in judged.by_analyst.items():
            print(f"    {one_line(analyst, 30):<30} {one_line(str(value), 40)}")
    if view.notes:
        print("  notes:")
        for analyst, text in view.notes.items():
            print(f"    {one_line(analyst, 30):<30} {one_line(text, 90)}")
    if not any(j.by_analyst for j in view.judged) and not view.notes:
        print("  nobody has judged it yet", file=sys.stderr)
    return EXIT_OK


HANDLERS = {"whoami": cmd_whoami, "team": cmd_team}
