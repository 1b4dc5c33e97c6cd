from pathlib import Path

from breakctl.store.paths import Paths


def test_breakctl_home_puts_everything_in_one_folder() -> None:
    paths = Paths.from_env({"BREAKCTL_HOME": "/x/bc", "XDG_CONFIG_HOME": "/ignored"})
    assert paths.config_file == Path("/x/bc/config.toml")
    assert paths.routines_dir == Path("/x/bc/routines")
    assert paths.history_file == Path("/x/bc/history.jsonl")
    assert paths.state_file == Path("/x/bc/current.json")


def test_xdg_locations_on_linux() -> None:
    env = {"HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg", "XDG_STATE_HOME": "relative/ignored"}
    paths = Paths.from_env(env, platform="linux")
    assert paths.config_file == Path("/cfg/breakctl/config.toml")
    assert paths.history_file == Path("/home/u/.local/share/breakctl/history.jsonl")
    assert paths.state_file == Path("/home/u/.local/state/breakctl/current.json")


def test_macos_uses_application_support() -> None:
    paths = Paths.from_env({"HOME": "/Users/u"}, platform="darwin")
    assert paths.history_file == Path("/Users/u/Library/Application Support/breakctl/history.jsonl")
