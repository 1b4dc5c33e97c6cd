"""`microphone`: a program records sound (a call), as PipeWire, PulseAudio or ALSA tell.

One reading runs `pactl -f json list source-outputs` (PulseAudio and PipeWire's pulse
server): about 6 ms of CPU and 3 KB for a handful of streams, where `pw-dump` prints every
object of the graph (100 KB on an idle test server, 11 ms). `pw-dump` is the fallback
where pactl is missing or too old for JSON, and ALSA's /proc files where neither answers.
The sources list is asked for only on plain PulseAudio, when a stream is left that might
be recording a monitor (PipeWire marks those streams itself).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.helper_run import HelperError, run_helper
from breakctl.host.holds import recordings
from breakctl.host.holds.base import HoldError, HoldSource

HELPER_TIMEOUT_S = 3.0
PACTL_BYTES = 1024 * 1024
PW_DUMP_BYTES = 8 * 1024 * 1024  # the whole graph: a busy desktop's is a few hundred KB
ASOUND = Path("/proc/asound")


class MicrophoneSource(HoldSource):
    name = "microphone"

    def __init__(self, env: Mapping[str, str], asound: Path = ASOUND) -> None:
        self._env = {**env, "LC_ALL": "C"}
        self._asound = asound
        self._backends = [self._pactl, self._pw_dump, self._alsa]

    def holds(self, now: datetime) -> list[Hold]:
        failures: list[str] = []
        for backend in list(self._backends):
            try:
                programs = backend()
            except HoldError as exc:
                failures.append(str(exc))
                continue
            # the one that answered goes first next time: one program run per reading
            self._backends.remove(backend)
            self._backends.insert(0, backend)
            return [Hold(self.name, program) for program in dict.fromkeys(programs)]
        raise HoldError("no sound server or ALSA device answered: " + "; ".join(failures))

    def _run(self, argv: list[str], max_bytes: int) -> object:
        try:
            out = run_helper(argv, argv[0], self._env, HELPER_TIMEOUT_S, max_bytes=max_bytes)
            return json.loads(out)
        except HelperError as exc:
            raise HoldError(str(exc)) from None
        except ValueError:
            raise HoldError(f"{argv[0]} printed something other than JSON") from None

    def _pactl(self) -> list[str]:
        if not self._env.get("PULSE_SERVER"):
            # pactl starts a PulseAudio daemon when it finds none (autospawn): no reading
            # may do that, so with no server named it runs only where the socket is
            runtime = self._env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
            socket = Path(runtime, "pulse", "native")
            if not socket.exists():
                raise HoldError(f"pactl: no PulseAudio server at {socket}")
        outputs = self._run(["pactl", "-f", "json", "list", "source-outputs"], PACTL_BYTES)
        candidates = recordings.pactl_candidates(outputs)
        if all(source is None for source, _ in candidates):
            return [program for _, program in candidates]
        sources = self._run(["pactl", "-f", "json", "list", "sources"], PACTL_BYTES)
        monitors = recordings.monitor_sources(sources)
        return [program for source, program in candidates if source not in monitors]

    def _pw_dump(self) -> list[str]:
        return recordings.pw_dump_recorders(self._run(["pw-dump", "-N"], PW_DUMP_BYTES))

    def _alsa(self) -> list[str]:
        if not self._asound.is_dir():
            raise HoldError(f"ALSA: no {self._asound}")
        statuses = []
        for path in recordings.alsa_capture_status_files(self._asound):
            try:
                statuses.append((path, path.read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue  # a device unplugged between the listing and the read
        return recordings.alsa_recorders(statuses, _program_names(recordings.owner_pids(statuses)))


def _program_names(pids: set[int]) -> dict[int, str]:
    names = {}
    for pid in pids:
        try:
            names[pid] = Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
        except OSError:
            continue
    return names


def source(settings: HoldsSettings) -> HoldSource:
    """The `microphone` source, on this process's environment (where the sound server is)."""
    return MicrophoneSource(os.environ)
