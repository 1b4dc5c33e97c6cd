"""What a command needs from the outside world, gathered once so tests can swap any of it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from breakctl.core.clock import Clock, SystemClock
from breakctl.store.paths import Paths

if TYPE_CHECKING:  # imported when used: a command that needs neither does not pay for them
    from breakctl.host.keys import KeySource
    from breakctl.store.history import History
    from breakctl.store.library import Catalog


@dataclass
class AppContext:
    paths: Paths
    clock: Clock = field(default_factory=SystemClock)
    # None: read keys from the terminal when there is one. Tests pass scripted keys.
    keys: KeySource | None = None
    # What hooks and notifications see; the process's own environment unless a test says.
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    @classmethod
    def from_environment(cls) -> AppContext:
        env = dict(os.environ)
        return cls(paths=Paths.from_env(env), env=env)

    def catalog(self) -> Catalog:
        from breakctl.store.library import Catalog, builtin_dir

        return Catalog(builtin_dir(), self.paths.routines_dir)

    def history(self) -> History:
        """This machine's own history file, the only one it appends to."""
        from breakctl.store.history import History
        from breakctl.store.history_dir import locate_history

        return History(locate_history(self.paths, self.env).host_file)
