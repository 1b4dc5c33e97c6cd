"""Who records sound now: the capture streams a sound server or ALSA reports, read from
their own words (`pactl -f json`, `pw-dump`, /proc/asound), without running anything.

A stream counts when it is running and not corked, records a real source (not a sink's
monitor) and is not a level meter: pavucontrol, plasma-pa and GNOME's volume panels keep a
"peak detect" stream open on the microphone all the time they are shown, and a meter on the
screen is not a call. PulseAudio's PEAK_DETECT flag becomes `stream.monitor` on PipeWire;
plain PulseAudio does not report the flag, so the name pavucontrol gives such streams is
checked too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

_METER_NAMES = frozenset({"peak detect"})  # media.name of pavucontrol's level meters
_METER_APPS = frozenset({"org.pulseaudio.pavucontrol"})  # application.id: only meters
_OWNER_PID = re.compile(r"^owner_pid\s*:\s*(\d+)\s*$", re.MULTILINE)


def _true(value: object) -> bool:
    """A property that says yes: pw-dump writes JSON true, pactl the string "true"."""
    return value is True or (isinstance(value, str) and value.strip().lower() in {"true", "1"})


def _is_meter_or_monitor(props: Mapping[str, Any]) -> bool:
    if _true(props.get("stream.monitor")) or _true(props.get("stream.capture.sink")):
        return True
    if str(props.get("media.name", "")).strip().lower() in _METER_NAMES:
        return True
    return str(props.get("application.id", "")).strip().lower() in _METER_APPS


def app_name(props: Mapping[str, Any]) -> str:
    """The name a person knows the recording program by (`zoom`), from its stream's properties."""
    for key in ("application.name", "application.process.binary", "node.name"):
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:60]
    return "unknown program"


def _props(entry: Mapping[str, Any], *path: str) -> Mapping[str, Any]:
    value: Any = entry
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def pactl_candidates(source_outputs: object) -> list[tuple[int | None, str]]:
    """(source index, program) of each `pactl -f json list source-outputs` entry that is not
    corked, a meter or a sink's monitor as far as its own properties tell. The source is
    None where the properties tell all: PipeWire marks a monitor's recorders itself
    (stream.capture.sink); plain PulseAudio leaves it to the sources list."""
    found: list[tuple[int | None, str]] = []
    for entry in source_outputs if isinstance(source_outputs, list) else ():
        if not isinstance(entry, Mapping) or _true(entry.get("corked")):
            continue
        props = _props(entry, "properties")
        if _is_meter_or_monitor(props):
            continue
        source = entry.get("source")
        told = entry.get("driver") == "PipeWire" or not isinstance(source, int)
        found.append((None if told else source, app_name(props)))
    return found


def monitor_sources(sources: object) -> set[int]:
    """The indexes, in `pactl -f json list sources`, of the sources that monitor a sink."""
    monitors: set[int] = set()
    for entry in sources if isinstance(sources, list) else ():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("index"), int):
            continue
        # pactl 16 names the sink a monitor belongs to `monitor_source`, later ones
        # `monitor_of_sink`; "n/a" or empty for a real source
        of_sink = entry.get("monitor_of_sink", entry.get("monitor_source", ""))
        is_monitor = isinstance(of_sink, str) and of_sink not in {"", "n/a"}
        if is_monitor or _props(entry, "properties").get("device.class") == "monitor":
            monitors.add(entry["index"])
    return monitors


def pw_dump_recorders(objects: object) -> list[str]:
    """The programs with a running capture stream in `pw-dump`'s output (every object)."""
    found: list[str] = []
    for entry in objects if isinstance(objects, list) else ():
        if not isinstance(entry, Mapping) or entry.get("type") != "PipeWire:Interface:Node":
            continue
        info = _props(entry, "info")
        props = _props(info, "props")
        if props.get("media.class") != "Stream/Input/Audio" or info.get("state") != "running":
            continue
        if _true(props.get("pulse.corked")) or _is_meter_or_monitor(props):
            continue
        found.append(app_name(props))
    return found


def alsa_capture_status_files(asound: Path) -> list[Path]:
    """Every capture substream's status file: /proc/asound/card*/pcm*c/sub*/status."""
    return sorted(asound.glob("card*/pcm*c/sub*/status"))


def alsa_recorders(statuses: Iterable[tuple[Path, str]], comm: Mapping[int, str]) -> list[str]:
    """The programs (from `comm`, by pid) or cards holding an ALSA capture substream in state
    RUNNING, given each status file's path and text."""
    found: list[str] = []
    for path, text in statuses:
        if not re.search(r"^state\s*:\s*RUNNING\s*$", text, re.MULTILINE):
            continue
        owner = _OWNER_PID.search(text)
        pid = int(owner.group(1)) if owner else None
        card = path.parts[-4] if len(path.parts) >= 4 else "ALSA"
        found.append(comm.get(pid, card) if pid is not None else card)
    return found


def owner_pids(statuses: Iterable[tuple[Path, str]]) -> set[int]:
    """The pids named as owners in the status texts (whose names `alsa_recorders` wants)."""
    return {int(match) for _, text in statuses for match in _OWNER_PID.findall(text)}
