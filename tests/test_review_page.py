"""The review page in a real browser: headless Chromium, started by the test, reads back every
figure the page carries and compares it with `stats --json`."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest

from breakctl.store.paths import Paths
from tests.chromium import Chromium, chromium_path
from tests.test_stats import HAND_BUILT, goal_one, stats, write_history  # noqa: F401

pytestmark = [
    pytest.mark.skipif(chromium_path() is None, reason="chromium not installed (.ci/run does it)"),
    pytest.mark.timeout(120),
]

FIGURES = (
    """[...document.querySelectorAll('[data-key]')].map(e => [e.dataset.key, e.dataset.value])"""
)
LAYOUT = "[document.documentElement.scrollWidth, window.innerWidth]"


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{"days.0.moved_s": 720, ...}: every leaf of the JSON document by its path."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, item in items:
        flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.usefixtures("goal_one")
def test_the_page_in_chromium_shows_the_json_figures_at_phone_and_desktop_width(
    paths: Paths, tmp_path: Path
) -> None:
    write_history(paths, HAND_BUILT)
    expected = flatten(json.loads(stats(paths, "--json", "--weeks", "12").stdout))
    page = tmp_path / "review.html"
    assert stats(paths, "--html", str(page), "--weeks", "12").exit_code == 0
    assert page.stat().st_size < 200_000

    with Chromium() as browser:
        for width, mobile in ((375, True), (1280, False)):
            browser.open(page, width, mobile=mobile)
            shown = browser.evaluate(FIGURES)
            keys = {key for key, _ in shown}
            for key, value in shown:
                assert key in expected, key
                assert json.loads(value) == expected[key], key
            # Every headline, day, hour worked, stretch, area and trend week is on the page.
            must = {
                "breaks.completed",
                "compliance",
                "moved_s",
                "work_s",
                "longest_sitting_s",
                "routines",
                "streak_days",
                "habit_days",
                "hours.0.work_s.9",
                "hours.0.breaks.9",
                "hours.3.work_s.22",
                "routines_done.desk",
                "exercises.neck-circle",
            }
            must |= {k for k in expected if k.startswith(("days.", "longest_sittings.", "areas."))}
            must |= {k for k in expected if k.startswith("trend.") and k.endswith("_s")}
            must -= {k for k in expected if k.endswith((".date", ".started"))}
            assert must <= keys, sorted(must - keys)
            scroll_width, inner_width = browser.evaluate(LAYOUT)
            assert inner_width == width and scroll_width <= inner_width
            shot = browser.screenshot(tmp_path / f"review-{width}.png")
            shot_width, shot_height = png_size(shot)
            assert shot_width == width and shot_height > 1000
        browser.call(
            "Emulation.setEmulatedMedia",
            features=[{"name": "prefers-color-scheme", "value": "dark"}],
        )
        background = browser.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 20, 23)"  # the dark palette, not white
        assert browser.errors == []


def test_the_browser_reports_console_errors(tmp_path: Path) -> None:
    """The check above would catch an error: a page that logs one is seen as failing."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><img src='missing.png'><script>console.error('boom')</script>")
    with Chromium() as browser:
        browser.open(page, 375, mobile=True)
        assert any("boom" in e for e in browser.errors)
