"""`microphone` against a real PipeWire (pipewire, wireplumber, pipewire-pulse) started by
the test, with real recorders (parecord, pw-record); the parsing on the JSON those runs
printed (tests/data/holds) and on ALSA's /proc layout."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from breakctl.core.holds import Hold, HoldsSettings
from breakctl.host.holds import microphone, recordings
from breakctl.host.holds.microphone import MicrophoneSource
from tests.presence_helpers import need, poll
from tests.sound_server import NULL_SINK, NULL_SOURCE, end_group, pipewire

DATA = Path(__file__).with_name("data") / "holds"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _load(name: str) -> object:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _stream_count(server: object, env: dict[str, str]) -> int:
    import subprocess

    argv = ["pactl", "-f", "json", "list", "source-outputs"]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30).stdout
    return len(json.loads(out or "[]"))


def _only(tmp: Path, program: str) -> Path:
    """A folder for PATH with just `program` in it."""
    import shutil

    folder = tmp / f"only-{program}"
    folder.mkdir()
    found = shutil.which(program)
    assert found is not None
    (folder / program).symlink_to(found)
    return folder


def test_a_call_holds_while_it_records_and_meters_never_do(tmp_path: Path) -> None:
    need("parecord", "parec", "pw-record")
    with pipewire(tmp_path) as server:
        mic = MicrophoneSource(server.env, asound=tmp_path / "no-asound")
        assert mic.works() is None
        assert mic.holds(NOW) == []
        # level meters: PulseAudio's PEAK_DETECT as PipeWire marks it (stream.monitor), the
        # name pavucontrol gives its meters, and a recorder of what the speakers play
        meter = "{ application.name = meter stream.monitor = true }"
        peak = "--property=media.name=Peak detect"
        meters = [
            ["pw-record", "--target", NULL_SOURCE, "-P", meter, "/dev/null"],
            ["parec", "-d", NULL_SOURCE, "--client-name=pavucontrol", peak, "/dev/null"],
            ["parec", "-d", f"{NULL_SINK}.monitor", "--client-name=obs", "/dev/null"],
        ]
        for argv in meters:
            server.start(*argv)
        poll(lambda: _stream_count(server, server.env), lambda n: n == 3, deadline_s=30)
        assert mic.holds(NOW) == []
        call = server.start("parecord", "-d", NULL_SOURCE, "--client-name=zoom", "/dev/null")
        poll(lambda: mic.holds(NOW), lambda h: h == [Hold("microphone", "zoom")], 30)
        # where pactl is missing, pw-dump tells the same
        dump_only = MicrophoneSource({**server.env, "PATH": str(_only(tmp_path, "pw-dump"))})
        assert dump_only.holds(NOW) == [Hold("microphone", "zoom")]
        end_group(call)
        poll(lambda: mic.holds(NOW), lambda h: h == [], deadline_s=30)
        poll(lambda: dump_only.holds(NOW), lambda h: h == [], deadline_s=30)
        native = ["pw-record", "--target", NULL_SOURCE, "-P", "{ application.name = teams }"]
        server.start(*native, "/dev/null")
        poll(lambda: mic.holds(NOW), lambda h: h == [Hold("microphone", "teams")], 30)


def test_no_sound_server_and_no_alsa_says_why(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PULSE_SERVER": f"unix:{tmp_path}/nobody-here",
        "HOME": str(tmp_path),
    }
    why = MicrophoneSource(env, asound=tmp_path / "no-asound").works()
    assert why is not None and why.startswith("no sound server or ALSA device answered: ")
    assert "pactl" in why and "ALSA" in why and "\n" not in why


def test_pactl_is_not_run_where_no_server_socket_is(tmp_path: Path) -> None:
    """pactl would start a PulseAudio daemon (autospawn) where none runs."""
    programs = tmp_path / "bin"
    programs.mkdir()
    ran = tmp_path / "pactl-ran"
    (programs / "pactl").write_text(f"#!/bin/sh\n: > {ran}\necho []\n")
    (programs / "pactl").chmod(0o755)
    env = {"PATH": str(programs), "XDG_RUNTIME_DIR": str(tmp_path / "runtime")}
    why = MicrophoneSource(env, asound=tmp_path / "no-asound").works()
    assert (
        why is not None and f"pactl: no PulseAudio server at {tmp_path}/runtime/pulse/native" in why
    )
    assert not ran.exists()
    (tmp_path / "runtime" / "pulse").mkdir(parents=True)
    (tmp_path / "runtime" / "pulse" / "native").touch()  # a server's socket: pactl may run
    assert MicrophoneSource(env, asound=tmp_path / "no-asound").works() is None
    assert ran.exists()


def test_the_registry_gets_a_source_by_name() -> None:
    assert microphone.source(HoldsSettings()).name == "microphone"


# --- the parsing, on what the real server printed ---


def test_pactl_streams_leave_out_meters_and_sink_monitors() -> None:
    candidates = recordings.pactl_candidates(_load("pactl-source-outputs.json"))
    # teams (pw-record), zoom (parecord); obs records the speakers (stream.capture.sink),
    # pavucontrol's "Peak detect" and a stream.monitor meter are left out
    assert [name for _, name in candidates] == ["teams", "zoom"]
    monitors = recordings.monitor_sources(_load("pactl-sources.json"))
    sources = {s["name"]: s["index"] for s in _load("pactl-sources.json")}  # type: ignore[attr-defined]
    assert monitors == {sources["auto_null.monitor"]}


def test_a_corked_stream_or_an_unnamed_one() -> None:
    outputs = _load("pactl-source-outputs.json")
    assert isinstance(outputs, list)
    outputs[0]["corked"] = True
    del outputs[1]["properties"]["application.name"]
    assert [name for _, name in recordings.pactl_candidates(outputs)] == ["pacat"]
    assert recordings.pactl_candidates({"not": "a list"}) == []


def test_plain_pulseaudio_monitor_source_by_its_sink() -> None:
    sources = [
        {"index": 1, "name": "alsa_output.monitor", "monitor_of_sink": "alsa_output"},
        {"index": 2, "name": "alsa_input", "monitor_of_sink": "n/a"},
        {"index": 3, "name": "odd", "properties": {"device.class": "monitor"}},
    ]
    assert recordings.monitor_sources(sources) == {1, 3}
    # plain PulseAudio's streams name their source for that list to tell; PipeWire's need not
    outputs = [
        {"driver": "protocol-native.c", "source": 1, "properties": {"application.name": "a"}},
        {"driver": "PipeWire", "source": 1, "properties": {"application.name": "b"}},
    ]
    assert recordings.pactl_candidates(outputs) == [(1, "a"), (None, "b")]


def test_pw_dump_running_capture_streams() -> None:
    nodes = _load("pw-dump-nodes.json")
    assert recordings.pw_dump_recorders(nodes) == ["teams", "zoom"]
    assert isinstance(nodes, list)
    for node in nodes:
        if node["info"]["props"].get("application.name") == "zoom":
            node["info"]["state"] = "idle"
    assert recordings.pw_dump_recorders(nodes) == ["teams"]


def _status(card: Path, pcm: str, text: str) -> None:
    sub = card / pcm / "sub0"
    sub.mkdir(parents=True)
    (sub / "status").write_text(text)


def test_alsa_capture_running_names_its_owner(tmp_path: Path) -> None:
    import os

    _status(tmp_path / "card0", "pcm0c", f"state: RUNNING\nowner_pid   : {os.getpid()}\n")
    _status(tmp_path / "card1", "pcm0c", "closed\n")
    _status(tmp_path / "card1", "pcm0p", "state: RUNNING\nowner_pid   : 1\n")  # playback
    _status(tmp_path / "card2", "pcm1c", "state: PREPARED\nowner_pid   : 1\n")
    own_name = Path("/proc/self/comm").read_text().strip()
    mic = MicrophoneSource({"PATH": str(tmp_path / "no-programs")}, asound=tmp_path)
    assert mic.holds(NOW) == [Hold("microphone", own_name)]


def test_alsa_owner_gone_names_the_card() -> None:
    status = [(Path("/proc/asound/card3/pcm0c/sub0/status"), "state: RUNNING\nowner_pid : 9\n")]
    assert recordings.alsa_recorders(status, {}) == ["card3"]


@pytest.mark.parametrize("value", [True, "true", "1", " TRUE "])
def test_a_meter_flag_in_either_spelling(value: object) -> None:
    outputs = [{"corked": False, "source": 1, "properties": {"stream.monitor": value}}]
    assert recordings.pactl_candidates(outputs) == []
