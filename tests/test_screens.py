"""The README's screens are up to date with the code: regenerated here, they match docs/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREENS = ("screen-work.svg", "screen-break.svg", "screen-review.svg")


def test_the_readme_screens_match_the_code(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "docs" / "screens.py"), "--out", str(tmp_path), "--no-png"],
        check=True,
        timeout=120,
    )
    for name in SCREENS:
        fresh = (tmp_path / name).read_text(encoding="utf-8")
        assert fresh == (ROOT / "docs" / name).read_text(encoding="utf-8"), (
            f"docs/{name} is out of date: run `python docs/screens.py`"
        )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (*SCREENS, "review-page.png"):
        assert f"docs/{name}" in readme, name
