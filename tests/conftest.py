from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from breakctl.host.context import AppContext
from breakctl.store.library import Catalog, builtin_dir
from breakctl.store.paths import Paths
from tests.fakes import FakeClock

CET = timezone(timedelta(hours=1))

# Randomized tests: a small, fixed, reproducible set of examples in CI (`derandomize`; the same
# examples every run, so more of them find nothing new), fresh ones on a developer's machine,
# where the README's test command finds what is new. Neither keeps a database in the checkout.
_COMMON = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", derandomize=True, max_examples=40, **_COMMON)
settings.register_profile("dev", max_examples=100, **_COMMON)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def breakctl_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty BREAKCTL_HOME; nothing touches the real user's files."""
    home = tmp_path / "home"
    monkeypatch.setenv("BREAKCTL_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # The developer's own desktop, tmux and buses stay out of the tests' presence sensing:
    # tests that sense idle time start their own X server, bus or tmux server.
    for name in (
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "TMUX",
        "DBUS_SESSION_BUS_ADDRESS",
        "XDG_SESSION_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={tmp_path}/no-system-bus")
    return home


@pytest.fixture
def paths(breakctl_home: Path) -> Paths:
    return Paths(breakctl_home, breakctl_home, breakctl_home)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=CET))


@pytest.fixture
def app_ctx(paths: Paths, clock: FakeClock) -> AppContext:
    return AppContext(paths=paths, clock=clock)


@pytest.fixture
def catalog(paths: Paths) -> Catalog:
    return Catalog(builtin_dir(), paths.routines_dir)


@pytest.fixture
def write_user_routine(paths: Paths) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        paths.routines_dir.mkdir(parents=True, exist_ok=True)
        target = paths.routines_dir / f"{name}.toml"
        target.write_text(text, encoding="utf-8")
        return target

    return write
