"""The cross-report sub-commands of ``analyst-tui`` (added to ``db.cli``'s parser and handlers).

Everything printed from reports goes through ``text_safety`` like the rest of the CLI.
"""

from __future__ import annotations

import sys

from ..text_safety import json_dumps, one_line

EXIT_OK = 0


def add_parsers(sub, row_id) -> None:
    p = sub.add_parser("families", help="claim families: one proposition across reports",
                       description="Claims stating one proposition in several reports. Kept up to date on import; "
                                   "--rebuild recomputes every family (after an upgrade, or to apply new rules).")
    p.add_argument("--rebuild", action="store_true", help="recompute every family from the claims")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("origins", help="where a claim came from: its family's originators and relays",
                       description="The origin tree of the claim's family: who first said it, who repeats whom "
                                   "(through attribution chains, footnotes, near-duplicates), circular reporting.")
    p.add_argument("claim", type=row_id, metavar="CLAIM")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("corroboration", help="independent support and contradiction of a claim, suggested credibility",
                       description="Independent originators supporting and contradicting the claim (relays are "
                                   "listed, never counted), the Admiralty credibility this suggests with its reason "
                                   "(the analyst's grade is never changed), and suggested links.")
    p.add_argument("claim", type=row_id, metavar="CLAIM")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("suggestions", help="suggested corroborates/contradicts links; accept or reject one",
                       description="Suggestions are never made links silently: accept makes the link, reject "
                                   "remembers not to offer it again. Both are audited and undoable.")
    p.add_argument("--claim", type=row_id, metavar="CLAIM", help="only those offered on this claim")
    p.add_argument("--accept", nargs=3, metavar=("CLAIM", "OTHER", "TYPE"), help="make the suggested link")
    p.add_argument("--reject", nargs=3, metavar=("CLAIM", "OTHER", "TYPE"), help="never offer this link again")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("timeline", help="a claim family's or an entity's claims and denials in date order")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--claim", type=row_id, metavar="CLAIM", help="the family of this claim")
    target.add_argument("--entity", type=row_id, metavar="ENTITY")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("brief", help="write a Markdown brief: key judgements, claims, sources, echoes",
                       description="Key judgements, the claims with their grades and footnoted citations, the "
                                   "sources with their reliability, and what is uncorroborated or echoed. Claims: "
                                   "those given a stance toward the hypothesis, else one per claim family.")
    p.add_argument("--hypothesis", type=row_id, metavar="ID", help="the hypothesis (default: the active one)")
    p.add_argument("--output", "-o", metavar="FILE.md", help="file to write (default: standard output)")


def cmd_families(store, options) -> int:
    if options.rebuild:
        def progress(done, total):
            print(f"\r{done}/{total} reports", end="", file=sys.stderr)

        placed = store.rebuild_families(progress=progress)
        print(f"\n{placed} claims placed in families", file=sys.stderr)
    rows = store.families(limit=options.limit)
    out = []
    for family_id, claims, reports in rows:
        tree = store.origin_tree(family_id)
        item = {"family": family_id, "claims": claims, "reports": reports,
                "originators": [c.label for c in tree.originators], "relays": len(tree.relays),
                "circular": [c.circular for c in tree.circular],
                "text": (tree.originators or list(tree.carriers.values()))[0].text if tree.carriers else ""}
        out.append(item)
    if options.json:
        print(json_dumps(out, indent=1))
        return EXIT_OK
    for item in out:
        flag = "  CIRCULAR" if item["circular"] else ""
        print(f"family {item['family']:>7}  {item['reports']} reports, {len(item['originators'])} originator(s), "
              f"{item['relays']} relay(s){flag}")
        print(f"    {one_line(item['text'], 100)}")
        for label in item["originators"]:
            print(f"    from {one_line(label, 96)}")
    return EXIT_OK


def tree_lines(tree, width: int = 120) -> list[str]:
    """The origin tree as indented lines of at most ``width`` characters (each carrier once, under
    its first parent)."""
    lines: list[str] = []
    shown: set[int] = set()

    def walk(carrier, depth: int, how: str | None) -> None:
        if carrier.report_id in shown:
            return
        shown.add(carrier.report_id)
        claims = f" claim {', '.join(map(str, carrier.claim_ids))}" if carrier.claim_ids else " (text, no claim extracted)"
        pad, room = "  " * depth, max(20, width - 2 * depth)

        def add(lead: str, text: str, cut: bool = True) -> None:  # one_line folds spaces: the indent is added after it
            lines.append(pad + lead + one_line(text, room - len(lead) if cut else None))

        add("● " if not how else "└ ", f"{carrier.label}  [report {carrier.report_id}{claims}]")
        if how:
            add("    ", f"repeats it: {how}")
        add("    ", f"“{carrier.text}”")
        for note in carrier.notes + ([carrier.circular] if carrier.circular else []):
            add("    ! ", note, cut=False)  # a warning is read in full, wrapped if need be
        for child in tree.children(carrier.report_id):
            first_parent = child.parents[0][0]
            if first_parent == carrier.report_id:
                walk(child, depth + 1, "; ".join(h for _, h in child.parents))

    for originator in tree.originators:
        walk(originator, 0, None)
    for carrier in tree.relays:  # a relay whose first parent is outside the tree (cannot happen, but never hide one)
        walk(carrier, 0, "; ".join(h for _, h in carrier.parents))
    return lines


def _tree_json(tree) -> dict:
    return {"family": tree.family_id, "truncated": tree.truncated, "carriers": [
        {"report": c.report_id, "label": c.label, "source": c.source_name, "reliability": c.reliability,
         "published": c.published, "claims": c.claim_ids, "text": c.text, "said_by": c.said_by,
         "repeats": [{"report": p, "how": how} for p, how in c.parents], "notes": c.notes, "circular": c.circular,
         "originator": not c.parents} for c in tree.carriers.values()]}


def cmd_origins(store, options) -> int:
    tree = store.origin_tree(options.claim)
    if options.json:
        print(json_dumps(_tree_json(tree), indent=1))
        return EXIT_OK
    independent = tree.independent_originators()
    print(f"claim {options.claim}: family {tree.family_id}, {len(tree.carriers)} report(s), "
          f"{len(independent)} independent originator(s), {len(tree.relays)} relay(s)")
    for line in tree_lines(tree):
        print(line)
    return EXIT_OK


def corroboration_dict(c) -> dict:
    def originator(o):
        return {"label": o.label, "source": o.source_name, "reliability": o.reliability, "report": o.report_id,
                "claim": o.claim_id, "published": o.published}

    return {"claim": c.claim_id, "family": c.family_id, "originators": [originator(o) for o in c.own_originators],
            "supporting": [originator(o) for o in c.supporting],
            "contradicting": [originator(o) for o in c.contradicting],
            "relays": [{"report": r.report_id, "label": r.label} for r in c.relays], "circular": c.circular,
            "is_relay": c.is_relay, "independent_support": c.independent_support,
            "suggested_credibility": c.suggested_credibility, "reason": c.reason}


def cmd_corroboration(store, options) -> int:
    c = store.corroboration(options.claim)
    claim = store.get_claim(options.claim)
    suggestions = store.suggested_links(options.claim)
    if options.json:
        out = corroboration_dict(c)
        out["analyst_credibility"] = claim.credibility
        out["suggestions"] = [{"claim": s.claim_id, "other": s.other_id, "type": s.type, "reason": s.reason}
                              for s in suggestions]
        print(json_dumps(out, indent=1))
        return EXIT_OK
    print(f"claim {c.claim_id}: {one_line(claim.text, 100)}")
    print(f"credibility: analyst {claim.credibility}, suggested {c.suggested_credibility} — {one_line(c.reason, 120)}")
    if c.is_relay:
        print("this claim's report repeats another: it confirms nothing by itself")
    for title, items in (("originators", c.own_originators), ("also supported by", c.supporting),
                         ("contradicted by", c.contradicting)):
        for o in items:
            print(f"  {title + ':':<19}{one_line(o.label, 90)} [{o.reliability}]")
    for r in c.relays:
        print(f"  {'relay (not counted):':<19}{one_line(r.label, 90)}")
    for text in c.circular:
        print(f"  ! {one_line(text, 120)}")
    for s in suggestions:
        print(f"  suggested: claim {s.claim_id} {s.type} claim {s.other_id} — {one_line(s.reason, 100)}")
    return EXIT_OK


def _answer_args(values) -> tuple[int, int, str]:
    from ..errors import InvalidValue

    a, b, kind = values
    if not (a.isascii() and a.isdigit() and b.isascii() and b.isdigit()):
        raise InvalidValue("give two claim ids and corroborates or contradicts")
    return int(a), int(b), kind


def cmd_suggestions(store, options) -> int:
    if options.accept or options.reject:
        a, b, kind = _answer_args(options.accept or options.reject)
        if options.accept:
            changed = store.accept_suggestion(a, b, kind)
            print(f"link saved: claim {a} {kind} claim {b}" if changed else "no change", file=sys.stderr)
        else:
            changed = store.reject_suggestion(a, b, kind)
            print(f"rejected: claim {a} {kind} claim {b} will not be suggested again" if changed else "no change",
                  file=sys.stderr)
        return EXIT_OK
    suggestions = store.suggested_links(options.claim)
    if options.json:
        print(json_dumps([{"claim": s.claim_id, "other": s.other_id, "type": s.type, "reason": s.reason}
                          for s in suggestions], indent=1))
        return EXIT_OK
    for s in suggestions:
        print(f"claim {s.claim_id:>7} {s.type:<12} claim {s.other_id:>7}  {one_line(s.reason, 100)}")
    if not suggestions:
        print("no open suggestions", file=sys.stderr)
    return EXIT_OK


def cmd_timeline(store, options) -> int:
    from dataclasses import asdict

    entries = store.family_timeline(options.claim) if options.claim else store.entity_timeline(options.entity)
    if options.json:
        print(json_dumps([asdict(e) for e in entries], indent=1))
        return EXIT_OK
    from .timeline import timeline_lines

    for line in timeline_lines(entries, 112):
        print(line)
    return EXIT_OK


def cmd_brief(store, options) -> int:
    from ..output_file import replacing_file
    from .brief import render

    hypothesis = options.hypothesis if options.hypothesis is not None else store.active_hypothesis_id()
    text = render(store, hypothesis)
    if options.output:
        with replacing_file(options.output, database=store.path) as handle:
            handle.write(text)
        print(f"brief written to {options.output}", file=sys.stderr)
    else:
        print(text, end="")
    return EXIT_OK


HANDLERS = {"families": cmd_families, "origins": cmd_origins, "corroboration": cmd_corroboration,
            "suggestions": cmd_suggestions, "timeline": cmd_timeline, "brief": cmd_brief}
