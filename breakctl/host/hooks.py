"""User commands run on session events ([hooks] in config.toml, read through the config
schema). Each runs in a thread through host/helper_run with a 5-second limit and reports back
through a queue, so a slow or failing hook never holds up or stops the timer."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Mapping
from typing import Any

from breakctl.host.helper_run import HelperError, run_helper

TIMEOUT_S = 5.0


class HookRunner:
    def __init__(
        self, hooks: Mapping[str, str], env: Mapping[str, str], timeout_s: float = TIMEOUT_S
    ) -> None:
        self.hooks = dict(hooks)
        self.env = dict(env)
        self.timeout_s = timeout_s
        self.reports: queue.Queue[str] = queue.Queue()
        self._threads: list[threading.Thread] = []

    def fire(
        self,
        event: str,
        phase: str,
        routine: str | None,
        remaining_s: float,
        record: Mapping[str, Any] | None,
    ) -> None:
        command = self.hooks.get(event)
        if not command:
            return
        env = {
            **self.env,
            "BREAKCTL_EVENT": event.removeprefix("on_"),
            "BREAKCTL_PHASE": phase,
            "BREAKCTL_ROUTINE": routine or "",
            "BREAKCTL_REMAINING_S": str(round(remaining_s)),
        }
        payload = json.dumps(record or {}, ensure_ascii=False)
        thread = threading.Thread(
            target=self._run, args=(event, command, env, payload), daemon=True
        )
        thread.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _run(self, event: str, command: str, env: dict[str, str], payload: str) -> None:
        try:
            run_helper(
                command,
                f"hook {event}",
                env,
                self.timeout_s,
                stdin=payload.encode("utf-8"),
                capture=False,
            )
        except HelperError as exc:
            self.reports.put(str(exc))

    def drain(self) -> list[str]:
        lines = []
        while True:
            try:
                lines.append(self.reports.get_nowait())
            except queue.Empty:
                return lines

    def wait(self, seconds: float) -> None:
        """At exit: give running hooks a moment (on_session_end should get to run)."""
        for thread in self._threads:
            thread.join(timeout=seconds)
