"""Issue 25: `stats --json` and `history check` answer without Typer, click or Rich, and
write exactly what the Typer commands write (bytes on both streams, exit status)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
# The same process either way: the entry point (fast path first), or the Typer app directly.
FAST = (
    "import sys; from breakctl.__main__ import main; sys.argv = ['breakctl', *sys.argv[1:]]; main()"
)
TYPER = (
    "import sys; from breakctl.cli import app; sys.argv = ['breakctl', *sys.argv[1:]]; "
    "app(prog_name='breakctl')"
)
PROBE = (
    "import sys, json, atexit\n"
    "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
    f"{FAST}\n"
)
FORMS = [["stats", "--json"], ["history", "check"]]


def run(code: str, home: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BREAKCTL_HOME": str(home)}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True)


def write_history(home: Path, count: int) -> Path:
    """A realistic history ending today (benchmarks/make_history.py: work, breaks with steps,
    routines), so this week's figures are not empty."""
    spec = importlib.util.spec_from_file_location("make_history", BENCHMARKS / "make_history.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = home / "history"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench-host.jsonl"
    module.write_history(count, path)
    return path


# "previous" → "until": last week's figures up to this very moment of it, to the microsecond.
NOW_DEPENDENT = re.compile(rb'"until": "[^"]*"')


def same_either_way(home: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    fast, typer_run = run(FAST, home, *args), run(TYPER, home, *args)
    assert (fast.returncode, fast.stderr) == (typer_run.returncode, typer_run.stderr)
    assert NOW_DEPENDENT.sub(b"", fast.stdout) == NOW_DEPENDENT.sub(b"", typer_run.stdout)
    return fast


@pytest.mark.parametrize("args", FORMS)
def test_the_fast_path_loads_no_typer_click_or_rich(tmp_path: Path, args: list[str]) -> None:
    home = tmp_path / "home"
    write_history(home, 50)
    done = run(PROBE, home, *args)
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stderr.decode().strip().splitlines()[-1]))
    heavy = {m for m in modules if m.split(".")[0] in {"typer", "click", "rich"}}
    assert not heavy, heavy
    assert "breakctl.cli.base" not in modules


@pytest.mark.parametrize("args", FORMS)
def test_a_clean_history_prints_the_same_bytes_either_way(tmp_path: Path, args: list[str]) -> None:
    home = tmp_path / "hömé \x1b[31m"  # a path that safe() must escape, not UTF-8 only
    write_history(home, 300)
    done = same_either_way(home, args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


@pytest.mark.parametrize("args", FORMS)
def test_problems_print_the_same_bytes_and_status_either_way(
    tmp_path: Path, args: list[str]
) -> None:
    home = tmp_path / "home"
    path = write_history(home, 120)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"v":1,"id":"x\\u001b]52;c;","kind":"work"}\n')  # not a record
        handle.write("not json at all \u202e\n")
    (home / "history" / "other.jsonl").mkdir()  # a history "file" that cannot be read
    done = same_either_way(home, args)
    assert b"unreadable" in done.stderr or b"line" in done.stdout
    if args == ["history", "check"]:
        assert done.returncode == 2


@pytest.mark.parametrize("args", FORMS)
def test_a_bad_config_is_the_same_one_line_error_either_way(
    tmp_path: Path, args: list[str]
) -> None:
    home = tmp_path / "home"
    write_history(home, 10)
    (home / "config.toml").write_text("[goals]\nbreaks_per_day = 'many'\n")
    done = same_either_way(home, args)
    if args == ["stats", "--json"]:
        assert done.returncode == 2
        assert done.stderr.startswith(b"breakctl: ") and b"Traceback" not in done.stderr


def test_a_dead_run_to_recover_goes_through_the_typer_app(tmp_path: Path) -> None:
    """The root callback records what a dead `start` was doing: the fast path leaves it that."""
    home = tmp_path / "home"
    write_history(home, 10)
    (home / "current.json").write_text("{}")
    done = run(PROBE, home, "stats", "--json")
    modules = set(json.loads(done.stderr.decode().strip().splitlines()[-1]))
    assert "typer" in modules


def test_other_forms_still_go_through_typer(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_history(home, 10)
    done = run(PROBE, home, "stats", "--json", "--week", "last")
    assert done.returncode == 0, done.stderr
    assert "typer" in set(json.loads(done.stderr.decode().strip().splitlines()[-1]))


@pytest.mark.parametrize("code", [FAST, TYPER])
def test_a_reader_that_leaves_early_gets_exit_1_and_no_traceback(tmp_path: Path, code: str) -> None:
    """`history check | head -1` over many bad lines: click's rule (exit 1, nothing on stderr)
    on both paths."""
    folder = tmp_path / "home" / "history"
    folder.mkdir(parents=True)
    (folder / "h.jsonl").write_text("".join(f"bad line {n}\n" for n in range(50_000)))
    env = {**os.environ, "BREAKCTL_HOME": str(tmp_path / "home")}
    args = [sys.executable, "-c", code, "history", "check"]
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().endswith(b"not valid JSON (half-written or edited by hand)\n")
        proc.stdout.close()
        errors = proc.stderr.read()
        assert proc.wait(timeout=60) == 1
    assert errors == b""
