"""The built wheel carries the top-level routines/ folder inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("breakctl-*.whl")
    return built


def test_wheel_ships_every_builtin_routine(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"breakctl/routines/{p.name}" for p in (ROOT / "routines").glob("*.toml")}
    assert "breakctl/routines/exercises.toml" in expected
    assert expected <= names


def test_wheel_version_is_the_one_in_breakctl_init(wheel: Path) -> None:
    """pyproject reads the version from breakctl/__init__.py (hatch), which --version prints."""
    from breakctl import __version__

    assert wheel.name.startswith(f"breakctl-{__version__}-")


def test_wheel_ships_the_sounds(wheel: Path) -> None:
    from breakctl.core.cues import SOUNDS

    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"breakctl/sounds/{name}.wav" for name in SOUNDS} <= names
