"""The CLI's correction commands: ``edit`` (a report's metadata), ``claim`` (reject, restore, add,
span, flag), ``entity`` (delete, retype, rename) and ``corrections export``. The same store calls
as the triage screen's keys; every change is audited and ``analyst-tui undo`` reverts it."""

from __future__ import annotations

import sys

from .models import EDITABLE_CLAIM_FLAGS, ENTITY_TYPES

EXIT_OK, EXIT_PARTIAL = 0, 1
FLAG_NAMES = EDITABLE_CLAIM_FLAGS


def add_parsers(sub, row_id) -> None:
    p = sub.add_parser("edit", help="correct a report's title, source, author, date, URL or language (undoable)",
                       description="Correct a report's metadata. '' clears a field (not the title). A source "
                                   "named here is created if new, and can then be graded. A date keeps the "
                                   "precision given (2024, June 2024, 2024-06-21) and is recorded as the analyst's.")
    p.add_argument("id", type=row_id)
    for field, example in (("title", None), ("source", "Caliber.Az"), ("author", None),
                           ("published", "2024-06-21, June 2024 or 2024"), ("url", None), ("language", "en")):
        p.add_argument(f"--{field}", help=f"e.g. {example}" if example else None)
    p.add_argument("--if-version", type=int, metavar="N", dest="if_version",
                   help="save only if the report's metadata is still at version N (as 'show --json' gave it); "
                        "else refuse, naming who changed it and when")

    p = sub.add_parser("claim", help="correct claims: reject, restore, add, span, flag (undoable)",
                       description="reject ID...: not a claim (hidden, kept so through re-extraction); restore ID...; "
                                   "add REPORT --text TEXT [--speaker S] [--chain ORIGINATOR --chain RELAY]: a claim the "
                                   "extractor missed (speaker and chain suggested from the sentence when not given); "
                                   "span ID --text TEXT: the claim's new span; flag ID... --flag quote|hedge|denial [--off].")
    p.add_argument("action", choices=["reject", "restore", "add", "span", "flag"])
    p.add_argument("ids", type=row_id, nargs="+", metavar="ID", help="claim ids (add: the report's id)")
    p.add_argument("--flag", dest="flag_name", choices=sorted(FLAG_NAMES), help="for flag: which flag")
    p.add_argument("--off", action="store_true", help="for flag: clear it")
    p.add_argument("--text", help="for add and span: the claim's text, as it is in the report")
    p.add_argument("--speaker", help="for add: who said it")
    p.add_argument("--chain", action="append", default=None, help="for add: originator, then each relay (repeatable)")

    p = sub.add_parser("entity", help="correct entities: delete a junk one, retype, rename (undoable)",
                       description="delete ID: a junk entity, remembered so re-extraction and imports do not bring "
                                   f"it back; retype ID TYPE ({', '.join(ENTITY_TYPES)}); rename ID NAME.")
    p.add_argument("action", choices=["delete", "retype", "rename"])
    p.add_argument("id", type=row_id)
    p.add_argument("value", nargs="*", help="retype: the type; rename: the new name")

    p = sub.add_parser("corrections", help="export every correction as JSON Lines (text, machine, analyst)",
                       description="One JSON object a line: the text a correction is about, what the machine "
                                   "said, what the analyst said, who and when, and whether it was undone.")
    p.add_argument("action", choices=["export"])
    p.add_argument("--output", "-o", help="file to write (default: standard output)")


def cmd_edit(store, options) -> int:
    fields = {f: getattr(options, f) for f in ("title", "source", "author", "published", "url", "language")
              if getattr(options, f) is not None}
    if not fields:
        print("analyst-tui: say what to change (--title, --source, --author, --published, --url, --language)",
              file=sys.stderr)
        return 2
    changed = store.edit_report(options.id, expected_version=options.if_version, **fields)
    print(f"report {options.id}: {changed} field{'s' if changed != 1 else ''} changed"
          + (" ('analyst-tui undo' reverts it)" if changed else ""), file=sys.stderr)
    return EXIT_OK


def cmd_claim(store, options) -> int:
    from .claim_suggest import suggest_attribution

    ids, action = options.ids, options.action
    if action in ("reject", "restore"):
        changed = store.reject_claims(ids, action == "reject")
        print(f"{'rejected' if action == 'reject' else 'restored'} {changed} claim{'s' if changed != 1 else ''}",
              file=sys.stderr)
        return EXIT_OK
    if action == "flag":
        if not options.flag_name:
            print("analyst-tui: name the flag: --flag quote|hedge|denial", file=sys.stderr)
            return 2
        changed = store.set_claim_flag(ids, FLAG_NAMES[options.flag_name], not options.off)
        print(f"{options.flag_name} {'cleared on' if options.off else 'set on'} {changed} claim(s)", file=sys.stderr)
        return EXIT_OK
    if not options.text:
        print(f"analyst-tui: claim {action} needs --text (the claim as it is written in the report)", file=sys.stderr)
        return 2
    if action == "span":
        changed = store.set_claim_span(ids[0], text=options.text)
        print(f"claim {ids[0]}: span {'changed' if changed else 'unchanged'}", file=sys.stderr)
        return EXIT_OK
    report = store.get_report(ids[0])
    speaker, chain = options.speaker, options.chain
    if speaker is None and chain is None:
        from .corrections import find_text

        found = find_text(report.body, options.text)
        if found:
            suggestion = suggest_attribution(report.body, *found)
            speaker, chain = suggestion.speaker, suggestion.chain
    claim_id = store.add_claim(ids[0], text=options.text, speaker=speaker, chain=chain)
    print(f"added claim {claim_id} to report {ids[0]} (speaker: {speaker or 'none'})", file=sys.stderr)
    print(claim_id)
    return EXIT_OK


def cmd_entity(store, options) -> int:
    from .text_safety import one_line

    value = " ".join(options.value)
    if options.action == "delete":
        store.delete_entity(options.id)
        print(f"deleted entity {options.id}; its names will not be linked again ('analyst-tui undo' reverts it)",
              file=sys.stderr)
    elif options.action == "retype":
        changed = store.retype_entity(options.id, value)
        print(f"entity {options.id}: type {'changed' if changed else 'unchanged'}", file=sys.stderr)
    else:
        changed = store.rename_entity(options.id, value)
        print(f"entity {options.id}: {'renamed ' + one_line(value, 60) if changed else 'name unchanged'}", file=sys.stderr)
    return EXIT_OK


def cmd_corrections(store, options) -> int:
    from .corrections_export import write_jsonl

    if options.output:
        from .output_file import replacing_file

        with replacing_file(options.output, database=store.path) as handle:
            count = write_jsonl(store, handle)
    else:
        count = write_jsonl(store, sys.stdout)
    print(f"{count} correction{'s' if count != 1 else ''}", file=sys.stderr)
    return EXIT_OK


HANDLERS = {"edit": cmd_edit, "claim": cmd_claim, "entity": cmd_entity, "corrections": cmd_corrections}
