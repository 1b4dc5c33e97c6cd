"""`--seated` with a routine named (#18), and the last block before the day ends (#18)."""

from __future__ import annotations

import pytest

from breakctl.store.paths import Paths
from tests.test_start_cli import invoke, records

SEATED = "desk, desk-micro, desk-short, eyes, look-away"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--routine", "standing"], "standing is not a seated routine"),
        (["--rotate", "desk,neck,standing"], "neck and standing are not seated routines"),
    ],
)
def test_seated_refuses_a_routine_out_of_the_chair(
    paths: Paths, args: list[str], named: str
) -> None:
    result = invoke(paths, "start", "--seated", *args, "--cycles", "1", "--no-notify")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"breakctl: seated routines only (--seated, or [start] seated): {named} (some steps "
        f"are not done in the chair); seated routines: {SEATED}\n"
    )
    assert records(paths) == []


def test_seated_from_the_config_refuses_too(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('[start]\nseated = true\nrotate = ["micro"]\n')
    result = invoke(paths, "start", "--cycles", "1", "--no-notify")
    assert result.exit_code == 2 and "micro is not a seated routine" in result.stderr


def test_the_readme_example_runs_seated(paths: Paths) -> None:
    args = ["--rotate", "desk,desk-short,eyes", "--seated", "--cycles", "3", "--no-notify"]
    result = invoke(paths, "start", *args, "--work", "1m", "--break", "8m")
    assert result.exit_code == 0, result.output
    assert [r["routine"] for r in records(paths) if r["kind"] == "break"] == [
        "desk", "desk-short", "eyes",
    ]  # fmt: skip
