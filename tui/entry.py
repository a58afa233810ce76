"""The ``analyst-tui`` command: with a sub-command it is the CLI (``db.cli``), without one it
opens the triage screen. Textual is imported only when the screen is wanted, so scripted use
stays fast."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from db.cli import build_parser, run

    parser = build_parser()
    options = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if options.command in (None, "serve"):
        from db.cli import use_analyst_option
        from db.errors import StoreError

        try:
            use_analyst_option(options)
        except StoreError as exc:
            print(f"analyst-tui: {exc}", file=sys.stderr)
            return 2
    if options.command is None:
        from .launch import launch

        return launch(options)
    if options.command == "serve":  # the web server needs the UI's packages: not db.cli's business
        from .serve import serve

        return serve(options)
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
