"""config.toml through the one schema: `config set` keeps the user's file, refuses what `start`
would refuse and writes through links; `config check` and every reader report each problem
with its line; no file content makes a command crash."""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from breakctl.cli import app
from breakctl.core.config_schema import SCHEMA, setting_names
from breakctl.core.errors import DataError
from breakctl.core.settings import resolve_settings
from breakctl.host.context import AppContext
from breakctl.store.config import read_config, set_value
from breakctl.store.paths import Paths
from tests.fakes import FakeClock

COMMENTED = """\
# My breakctl settings.

[start]
preset = "micro"   # the one-minute moves
# work = "50m"     (tried it, too long)

[goals]
breaks_per_day = 6 # be kind to yourself
"""


@pytest.fixture
def run(paths: Paths, clock: FakeClock):
    def call(*args: str) -> Result:
        return CliRunner().invoke(app, list(args), obj=AppContext(paths=paths, clock=clock, env={}))

    return call


def write_config(paths: Paths, text: str) -> Path:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file


def test_set_keeps_comments_and_layout(run, paths: Paths) -> None:
    write_config(paths, COMMENTED)
    result = run("config", "set", "start.work", "45m")
    assert result.exit_code == 0, result.output
    assert paths.config_file.read_text() == COMMENTED.replace(
        '# work = "50m"     (tried it, too long)\n',
        '# work = "50m"     (tried it, too long)\nwork = "45m"\n',
    )
    assert run("config", "set", "goals.breaks_per_day", "7").exit_code == 0
    assert "breaks_per_day = 7 # be kind to yourself\n" in paths.config_file.read_text()


NEXT_TABLE_COMMENTED = """\
# breakctl  -- my settings
[start]
preset = "pomodoro"   # the classic
work   = "25m"
# work = "50m"   (too long)

# ---- hooks ---------------------------------------------
# Each runs in a shell; leave them empty to turn them off.
[hooks]
on_break = "notify-send 'break'"   # say it

[goals]
breaks_per_day = 6
"""


def test_set_puts_a_new_key_in_its_own_table_not_under_the_next_tables_comments(
    run, paths: Paths
) -> None:
    write_config(paths, NEXT_TABLE_COMMENTED)
    assert run("config", "set", "start.bell", "no").exit_code == 0
    assert run("config", "set", "hooks.on_work_end", "echo done").exit_code == 0
    # Every other byte is as it was: only the two new lines, each at the end of its table.
    assert paths.config_file.read_text() == NEXT_TABLE_COMMENTED.replace(
        '# work = "50m"   (too long)\n', '# work = "50m"   (too long)\nbell = false\n'
    ).replace("# say it\n", '# say it\non_work_end = "echo done"\n')


def test_set_adds_a_missing_table_and_stores_each_kind_as_toml(run, paths: Paths) -> None:
    for key, value in [
        ("start.cycles", "3"),
        ("start.rotate", "desk, neck"),
        ("start.bell", "no"),
        ("hooks.on_work_end", "echo done"),
        ("start.work", "45"),
    ]:
        assert run("config", "set", key, value).exit_code == 0, key
    assert tomllib.loads(paths.config_file.read_text()) == {
        "start": {"cycles": 3, "rotate": ["desk", "neck"], "bell": False, "work": "45"},
        "hooks": {"on_work_end": "echo done"},
    }
    assert stat.S_IMODE(paths.config_file.stat().st_mode) == 0o600
    # No temp file left (with BREAKCTL_HOME the state folder's config.lock is here too).
    assert {p.name for p in paths.config_dir.iterdir()} - {"config.lock"} == {"config.toml"}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("hooks.on_work_end", "", "hooks.on_work_end: expected a shell command"),
        ("start.work", "soon", "start.work: not a duration: 'soon'"),
        ("start.work", "99999999999999999999h", "start.work: a duration cannot be longer than 24h"),
        ("start.cycles", "0", "start.cycles: expected a whole number from 1 to 1000"),
        ("start.preset", "pomodorro", "unknown preset 'pomodorro' (did you mean 'pomodoro'?)"),
        ("start.wrk", "5m", "unknown setting 'start.wrk' (did you mean 'start.work'?)"),
        ("start.cycles", "4", "use start.cycles or start.until, not both"),
    ],
)
def test_set_refuses_what_start_would_refuse_and_leaves_the_file(
    run, paths: Paths, key: str, value: str, message: str
) -> None:
    before = write_config(paths, '[start]\nuntil = "17:30"  # home time\n').read_bytes()
    result = run("config", "set", key, value)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert paths.config_file.read_bytes() == before


def test_set_writes_through_a_symlink_to_its_target(run, paths: Paths, tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "breakctl.toml"
    target.write_text("# from my dotfiles\n[start]\nbell = false\n")
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.symlink_to(target)
    assert run("config", "set", "start.preset", "hourly").exit_code == 0
    assert paths.config_file.is_symlink() and paths.config_file.resolve() == target
    assert target.read_text() == '# from my dotfiles\n[start]\nbell = false\npreset = "hourly"\n'
    assert sorted(p.name for p in dotfiles.iterdir()) == ["breakctl.toml"]


def test_set_can_mend_a_bad_value_and_warns_of_what_is_left(run, paths: Paths) -> None:
    write_config(paths, '[start]\nwork = "forever"\nbreak = "never"\n')
    result = run("config", "set", "start.work", "25m")
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "start.break: not a duration" in result.stderr
    assert 'work = "25m"' in paths.config_file.read_text()


def test_check_lists_every_problem_with_its_line(run, paths: Paths) -> None:
    path = write_config(
        paths,
        (
            "[start]\n"
            'wrk = "25m"\n'
            "cycles = 1979-05-27\n"
            "seated = [1]\n"
            "[goals]\n"
            "breaks_per_day = 0\n"
            "[hook]\n"
            'on_skip = "x"\n'
        ),
    )
    result = run("config", "check")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}:2: start.wrk: unknown setting (did you mean 'work'?); known: preset, work, "
        "break, long_break, long_every, cycles, until, routine, rotate, seated, wait, bell, notify, "
        "skips_per_day, postpones_in_a_row, strict, focus, nudges, skip_confirm, postpone_payback, "
        "start_on_pause, bring_break, terminal",
        f"{path}:3: start.cycles: expected a whole number from 1 to 1000, got a date",
        f"{path}:4: start.seated: expected true or false, got an array",
        f"{path}:6: goals.breaks_per_day: expected a whole number from 1 to 1000, got 0",
        f"{path}:7: unknown table or key 'hook' (did you mean 'hooks'?)",
        "5 problems",
    ]
    # every command that reads the file refuses it with the same lines
    stats = run("stats")
    assert stats.exit_code == 2
    assert stats.stderr.splitlines()[0] == f"breakctl: {result.stdout.splitlines()[0]}"


def test_check_without_a_file_or_with_a_good_one_is_ok(run, paths: Paths) -> None:
    assert run("config", "check").stdout.startswith(f"ok: {paths.config_file} (not created yet")
    write_config(paths, COMMENTED)
    result = run("config", "check")
    assert (result.exit_code, result.stdout) == (0, f"ok: {paths.config_file}\n")


@pytest.mark.parametrize(
    "text",
    [
        "[" + ".".join(["a"] * 5000) + "]\n",
        "[start]\nwork = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
        "[start]\nrotate = " + "[" * 5000 + "]" * 5000 + "\n",
        "[start]\nwork = nan\nbreak = inf\nlong_every = " + "9" * 400 + "\n",
        '[start]\npreset = "\\u0000"\n',
        "\xff\n",
    ],
    ids=["deep-tables", "deep-inline", "deep-arrays", "numbers", "nul", "not-utf8"],
)
def test_pathological_files_are_one_clear_error_per_problem(run, paths: Paths, text: str) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_bytes(b"\xff\n" if text == "\xff\n" else text.encode())
    for args in (["config", "check"], ["config", "show"], ["start"], ["stats"]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and "RecursionError" not in result.output
        assert str(paths.config_file) in result.output


def test_show_prints_every_table_of_the_schema(run, paths: Paths) -> None:
    write_config(paths, '[start]\npreset = "micro"\nrotate = ["desk"]\n[hooks]\non_skip = "x"\n')
    shown = json.loads(run("config", "show", "--json").stdout)
    # Every table; [schedule] only when it sets working hours.
    assert set(shown) == {table.name for table in SCHEMA} - {"schedule"}
    assert shown["start"]["preset"] == "micro" and shown["start"]["work"] == "30m"
    assert shown["start"]["rotate"] == ["desk"] and "cycles" not in shown["start"]
    assert shown["goals"] == {"breaks_per_day": 8}
    assert shown["hooks"] == {"on_skip": "x"}


SAMPLES = [
    "",
    " ",
    "0",
    "1",
    "25",
    "25m",
    "1h30m",
    "nan",
    "inf",
    "-5",
    "1e400",
    "true",
    "no",
    "17:30",
    "24:00",
    "micro",
    "desk,neck",
    ",",
    "x" * 200,
    "99999999999999999999h",
    "PT25M",
    "\x00",
    "²",
    "٣",  # digits to str.isdigit (the first) and to int() (the second)
]
VALUES = st.one_of(st.sampled_from(SAMPLES), st.text(max_size=12))


@given(key=st.sampled_from(setting_names()), value=VALUES)
def test_what_config_set_accepts_start_accepts(tmp_path_factory, key: str, value: str) -> None:
    """The one rule: a value `config set` writes never makes reading the file fail."""
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    try:
        set_value(path, key, value, lock=tmp_path_factory.mktemp("state") / "config.lock")
    except DataError:
        assert not path.exists()  # refused: nothing written
        return
    config = read_config(path)  # must not raise
    resolve_settings(config.table("start"), {})
    assert os.listdir(path.parent) == ["config.toml"]


def test_show_says_whether_sound_is_on_here(paths: Paths, clock: FakeClock) -> None:
    """[sound] enabled defaults to where breakctl runs: on at a desktop, off over SSH."""

    def shown(env: dict[str, str]) -> Result:
        ctx = AppContext(paths=paths, clock=clock, env=env)
        return CliRunner().invoke(app, ["config", "show", "--json"], obj=ctx)

    assert json.loads(shown({}).stdout)["sound"]["enabled"] is True
    assert json.loads(shown({"SSH_CONNECTION": "1 2 3 4"}).stdout)["sound"]["enabled"] is False
    write_config(paths, "[sound]\nenabled = true\n")
    assert json.loads(shown({"SSH_CONNECTION": "1 2 3 4"}).stdout)["sound"]["enabled"] is True
    ctx = AppContext(paths=paths, clock=clock, env={"SSH_TTY": "/dev/pts/1"})
    paths.config_file.unlink()
    text = CliRunner().invoke(app, ["config", "show"], obj=ctx).stdout
    assert "[sound]\nenabled = false\n" in text
