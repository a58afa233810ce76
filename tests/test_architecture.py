"""The layering rules, checked rather than hoped for: import-linter's contracts in pyproject.toml,
and a scripted CLI that never pays for loading Textual."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(lint_imports).exists():
        pytest.skip("import-linter is not installed (it is in the 'test' extra)")
    result = subprocess.run([lint_imports], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("argv", [["--help"], ["import", "{report}"], ["search", "hamas"], ["reports"]])
def test_the_cli_loads_no_textual_module(tmp_path, argv):
    report = tmp_path / "report.txt"
    report.write_text("Hamas opens an office\n\nOfficials said Hamas opened an office in Baghdad.\n")
    args = ["--db", str(tmp_path / "cli.db")] + [a.format(report=report) for a in argv]
    probe = textwrap.dedent(f"""
        import sys
        from tui.entry import main
        try:
            main({args!r})
        except SystemExit:
            pass
        loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        print("TEXTUAL:", loaded[:5])
    """)
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert "TEXTUAL: []" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
