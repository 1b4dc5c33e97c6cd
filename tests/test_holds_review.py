"""The review of held breaks (#21): `stats --json` breaks.held and held_s, the terminal and
HTML review's "N breaks waited for meetings (M min)", and a held break taken after its hold
counted as taken when due. The history is what the real day wrote (tests/test_holds_day)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from breakctl.store.paths import Paths
from tests.test_engine import START
from tests.test_holds_day import Span, day
from tests.test_stats import stats


def held_week(paths: Paths, tmp_path: Path) -> None:
    """Two blocks: the first break waited 570 s for a call, the second came on time."""
    d = day(tmp_path, [Span(1400, 2010)], cycles=2)
    assert [r.get("held_s", 0) for r in d.records if r["kind"] == "break"] == [570, 0]
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_text("".join(json.dumps(r) + "\n" for r in d.records))


def test_stats_json_counts_the_breaks_that_waited(paths: Paths, tmp_path: Path) -> None:
    held_week(paths, tmp_path)
    result = stats(paths, "--json", now=START + timedelta(hours=3))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["breaks"]["held"] == 1 and figures["held_s"] == 570
    # Taken after the call: due when its hold ended, so taken when due like the other.
    assert figures["breaks"]["completed"] == 2 and figures["compliance"] == 1.0


def test_the_reviews_say_how_many_breaks_waited(paths: Paths, tmp_path: Path) -> None:
    held_week(paths, tmp_path)
    screen = stats(paths, now=START + timedelta(hours=3)).stdout
    assert "1 break waited for meetings (10 min)" in " ".join(screen.split())
    page = tmp_path / "review.html"
    result = stats(paths, "--html", str(page), now=START + timedelta(hours=3))
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert 'data-key="breaks.held" data-value="1"' in html
    assert "1 break waited for meetings (10 min)" in html


def test_no_waiting_no_line(paths: Paths, tmp_path: Path) -> None:
    d = day(tmp_path, [], cycles=1)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_text("".join(json.dumps(r) + "\n" for r in d.records))
    figures = json.loads(stats(paths, "--json", now=START + timedelta(hours=3)).stdout)
    assert figures["breaks"]["held"] == 0 and figures["held_s"] == 0
    assert "waited for meetings" not in stats(paths, now=START + timedelta(hours=3)).stdout


def test_holds_off_reads_nothing(paths: Paths, tmp_path: Path) -> None:
    """`[holds] sources = []`: the day gets no holds at all; a command configured: it does."""
    from breakctl.host.context import AppContext
    from breakctl.host.setup.start import StartRun, plan_start
    from tests.fakes import FakeClock

    paths.config_dir.mkdir(parents=True, exist_ok=True)
    ctx = AppContext(paths=paths, clock=FakeClock(START), env={})
    paths.config_file.write_text("[holds]\nsources = []\n")
    assert plan_start(ctx, {}).holds is None
    paths.config_file.write_text('[holds]\nsources = ["command"]\ncommand = "false"\n')
    plan = plan_start(ctx, {})
    assert plan.holds is not None and plan.holds.command == "false"
    run = StartRun(ctx, plan, None)
    poll = run._open_holds()
    assert poll is not None and run.holds is not None and run.holds.names == ["command"]
    run.holds.close()
