"""The footer's key hints, shortened to fit: the keys that are never dropped."""

from __future__ import annotations

import pytest

from breakctl.ui import keyhints


@pytest.fixture
def attached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(keyhints._ATTACHED, "on", True)


@pytest.mark.parametrize("room", [30, 40, 50, 56, 70])
def test_a_narrow_attached_screen_keeps_detach_and_end(attached: None, room: int) -> None:
    hint = keyhints.key_hint("work", room)
    assert hint.endswith("d detach · q end"), hint


@pytest.mark.parametrize("room", [20, 40, 56])
def test_a_narrow_screen_of_its_own_keeps_quit_last(room: int) -> None:
    hint = keyhints.key_hint("work", room)
    assert hint.endswith("q quit") and "detach" not in hint, hint
