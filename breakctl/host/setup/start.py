"""Preparing a run of `breakctl start`: settings from config.toml and the command line, checked
before anything runs; then the lock, the hooks, the planner fed by recent history, and the
session, run with the keys and screen the command line chose. No Typer, no Rich."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from types import TracebackType
from typing import IO, Any, TextIO, cast

from breakctl.core.clock import SystemClock
from breakctl.core.day import PresenceRules, Session
from breakctl.core.day.rules import SoFar
from breakctl.core.errors import DataError, StorageError
from breakctl.core.holds import HoldsSettings
from breakctl.core.planner import BreakPlanner, areas_last_worked
from breakctl.core.records import Record
from breakctl.core.settings import StartSettings, resolve_settings
from breakctl.core.stats import WeekStats
from breakctl.core.window import Window
from breakctl.host.bring.bringer import BreakBringer
from breakctl.host.context import AppContext
from breakctl.host.day.publish import PublishedDay, publish_day
from breakctl.host.guide import GuideSettings, guide_settings
from breakctl.host.holds.settings import holds_settings
from breakctl.host.holds.sources import HoldsReader, open_holds
from breakctl.host.hooks import HookRunner
from breakctl.host.keys import KeySource
from breakctl.host.localzone import local_zone
from breakctl.host.notify import Notifier
from breakctl.host.presence.machines import AcrossMachines
from breakctl.host.presence.settings import PresenceSettings, presence_settings
from breakctl.host.presence.sources import Presence, open_presence
from breakctl.host.session.holds_poll import HoldsPoll
from breakctl.host.session.host import SessionHost
from breakctl.host.session.loop import run_session
from breakctl.host.session.ports import SessionView
from breakctl.store.config import Config, read_config, schedule_of, work_per_day_of
from breakctl.store.history_dir import locate_history
from breakctl.store.presence_files import PresenceFolder
from breakctl.store.review import HistoryAccess, review
from breakctl.store.state import StartLock, read_state, running_pid

RECENT_DAYS = 14  # the planner rotates body areas over what the last two weeks worked


@dataclass(frozen=True)
class StartPlan:
    settings: StartSettings
    hooks: dict[str, str]
    presence: PresenceSettings | None  # None: --no-presence
    guide: GuideSettings  # [sound] and [voice] under --no-bell and --voice
    holds: HoldsSettings | None = None  # None: [holds] sources = [] (holds off)


def plan_start(
    app_ctx: AppContext,
    cli_values: Mapping[str, Any],
    *,
    presence: bool = True,
    ignore_schedule: bool = False,
    ignore_limit: bool = False,
    voice: bool | None = None,
) -> StartPlan:
    """The settings in effect (config.toml's [start] under the command line's values, both
    already read, plus [schedule] and [goals] work_per_day), checked now rather than at the
    first break."""
    config = read_config(app_ctx.paths.config_file)
    settings = resolve_settings(config.table("start"), cli_values)
    now = app_ctx.clock.now()
    settings = _day_shape(app_ctx, config, settings, ignore_schedule, ignore_limit)
    if settings.until is not None and settings.until <= now.time():
        raise DataError(
            f"--until {settings.until:%H:%M} has already passed (it is {now:%H:%M}); "
            "give a later time today, or --cycles N"
        )
    catalog = app_ctx.catalog()
    named = [catalog.load(n) for n in (settings.routine, *settings.rotate) if n]  # checked now
    standing = [routine.name for routine in named if not routine.seated]
    if settings.seated and standing:
        seated = sorted(r.name for r in catalog.load_all()[0] if r.seated and r.steps)
        raise DataError(
            f"seated routines only (--seated, or [start] seated): "
            f"{' and '.join(dict.fromkeys(standing))} "
            f"{'is not a seated routine' if len(set(standing)) == 1 else 'are not seated routines'}"
            f" (some steps are not done in the chair); seated routines: {', '.join(seated)}"
        )
    sensing = presence_settings(config.table("presence")) if presence else None
    guide = guide_settings(config.values, app_ctx.env, bell=settings.bell, voice=voice)
    holds = holds_settings(config.table("holds"))
    hooks = dict(config.values.get("hooks", {}))
    return StartPlan(settings, hooks, sensing, guide, holds if holds.sources != () else None)


def _day_shape(
    app_ctx: AppContext,
    config: Config,
    settings: StartSettings,
    ignore_schedule: bool,
    ignore_limit: bool,
) -> StartSettings:
    """[schedule] (in the local zone, so DST moves with it) and [goals] work_per_day."""
    now = app_ctx.clock.now()
    schedule = schedule_of(config)
    if schedule is not None and not ignore_schedule:
        zone = local_zone(app_ctx.env)
        if zone is None or zone.utcoffset(now.replace(tzinfo=None)) != now.utcoffset():
            zone = None  # the clock speaks of another zone: trust the clock
        schedule = schedule.with_zone(zone)
        if schedule.empty:
            raise DataError(
                f"{config.path}: [schedule] has no working hours on any day; add a range like "
                'mon-fri = ["09:00-17:00"], or use --ignore-schedule'
            )
        settings = replace(settings, schedule=schedule)
    return replace(settings, work_per_day_s=work_per_day_of(config), stop_at_limit=not ignore_limit)


def planner_for(
    app_ctx: AppContext, access: HistoryAccess, settings: StartSettings
) -> tuple[list[Record], BreakPlanner]:
    """The last two weeks of history, and the planner that picks each break's routine."""
    today = app_ctx.clock.now().date()
    recent, _ = access.window(today - timedelta(days=RECENT_DAYS), today)
    catalog = app_ctx.catalog()
    worked = areas_last_worked(recent, catalog.exercises)
    return recent, BreakPlanner(settings, catalog.load, today, worked)


def routine_for_now(app_ctx: AppContext) -> str:
    """The routine the planner would choose for a break now (`breakctl break` with no start)."""
    config = read_config(app_ctx.paths.config_file)
    settings = resolve_settings(config.table("start"), {})
    access = HistoryAccess.open(app_ctx.paths, app_ctx.env, now=app_ctx.clock.now())
    choice = planner_for(app_ctx, access, settings)[1](1, settings.break_s, False).routine
    if choice is None:
        raise DataError("no routine fits a break now; name one: breakctl break desk")
    return choice.name


class DayRunning(StorageError):
    """`breakctl start` while a day runs."""

    def __init__(self, pid: object) -> None:
        super().__init__(
            f"breakctl start is already running (pid {pid}); `breakctl attach` shows it "
            "here, `breakctl stop` ends it"
        )
        self.pid = pid


def day_running(app_ctx: AppContext) -> bool:
    return running_pid(app_ctx.paths) is not None


class StartRun:
    """A run of `breakctl start`: holds start's lock from `with` to the end; `run` plays the
    session (the day's engine, core/day) with the keys and screen given. `mode`: "foreground"
    (this terminal shows it) or "background" (headless: no screen of its own)."""

    def __init__(
        self,
        app_ctx: AppContext,
        plan: StartPlan,
        terminal: IO[str] | None,
        mode: str = "foreground",
    ) -> None:
        self.app_ctx = app_ctx
        self.plan = plan
        self.mode = mode
        self.published: PublishedDay | None = None
        self.history = app_ctx.history()
        self.history.ensure_writable()
        self.lock = StartLock(app_ctx.paths)
        self.terminal = terminal
        self.host: SessionHost | None = None
        self.access = HistoryAccess.open(
            app_ctx.paths, app_ctx.env, now=app_ctx.clock.now()
        )  # refreshed on `with`
        self.presence: Presence | None = None
        self.machines: AcrossMachines | None = None
        self.holds: HoldsReader | None = None
        self.late_reports: list[str] = []  # hook reports that came after the screen closed

    def __enter__(self) -> StartRun:
        paths = self.app_ctx.paths
        if not self.lock.acquire():
            raise DayRunning((read_state(paths) or {}).get("pid", "?"))
        settings = self.plan.settings
        notifier = Notifier(
            terminal=cast(TextIO | None, self.terminal),
            env=self.app_ctx.env,
            bell=settings.bell,
            system=settings.notify,
        )
        hooks = HookRunner(self.plan.hooks, self.app_ctx.env)
        env = self.app_ctx.env
        bringer = (
            BreakBringer(settings.bring_break, settings.terminal, env, notifier)
            if settings.bring_break
            else None
        )
        self.host = SessionHost(paths, notifier, hooks, env, settings.focus, bringer)
        self.access = HistoryAccess.open(paths, self.app_ctx.env, now=self.app_ctx.clock.now())
        return self

    @property
    def breaks_today(self) -> int:
        """Breaks already taken today (on any machine), when the day began."""
        today = self.app_ctx.clock.now().date()
        return self.access.summary.breaks_completed.get(today, 0)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.published is not None:  # after the records: screens print the summary
            self.published.close()
        if self.host is not None:
            self.late_reports = self.host.close()
        if self.presence is not None:
            self.presence.close()
        if self.machines is not None:
            self.machines.close()
        if self.holds is not None:
            self.holds.close()
        self.lock.release()

    def run(self, keys: KeySource, screen: SessionView) -> None:
        """The session from now until it ends; the history of the last days steers the planner."""
        assert self.host is not None, "use StartRun in a with block"
        app_ctx, settings = self.app_ctx, self.plan.settings
        today = app_ctx.clock.now().date()
        recent, planner = planner_for(app_ctx, self.access, settings)
        keys, screen = self._publish(keys, screen)
        rules = self._open_presence(screen)
        local = self.presence if rules is not None else None
        self.machines = across_machines(self.app_ctx, self.plan.presence, local)
        holds = self._open_holds()
        # Skips and work so far today: a restart resets neither the budget nor the limit.
        session = Session(
            settings, planner, SoFar.of(today, recent), presence=rules,
            holds=self.plan.holds if holds is not None else None,
        )  # fmt: skip
        run_session(
            session,
            clock=app_ctx.clock,
            keys=keys,
            view=screen,
            history=self.history,
            host=self.host,
            breaks_today=self.breaks_today,
            load_routine=app_ctx.catalog().load,
            presence=self.machines or local if rules is not None else None,
            machines=self.machines,
            holds=holds,
        )

    def _open_holds(self) -> HoldsPoll | None:
        """The hold sources for the day (#21); None when [holds] turns them off or none is
        in use here: then nothing is read at all."""
        settings = self.plan.holds
        if settings is None:
            return None
        self.holds = open_holds(settings)
        if not self.holds.names and not self.holds.dormant:
            return None
        return HoldsPoll(self.holds, settings.check_every_s)

    def _publish(self, keys: KeySource, screen: SessionView) -> tuple[KeySource, SessionView]:
        """Screens may attach to a real day (not to one on a test's clock and keys)."""
        app_ctx = self.app_ctx
        if app_ctx.keys is not None or not isinstance(app_ctx.clock, SystemClock):
            return keys, screen
        assert self.host is not None
        settings = self.plan.settings
        self.published = publish_day(
            app_ctx.paths,
            app_ctx.env,
            self.host,
            view=screen,
            keys=keys,
            mode=self.mode,
            free_text=settings.preset.free,
            bell=settings.bell,
        )
        if self.published.problem:
            screen.message(self.published.problem)
        return self.published.keys, self.published.screens

    def _open_presence(self, screen: SessionView) -> PresenceRules | None:
        """The idle-time source for the day, if [presence] allows one and one works here."""
        sensing = self.plan.presence
        if sensing is None or sensing.source == "none":
            return None
        self.presence = open_presence(sensing, self.app_ctx.env)
        failure = self.presence.take_failure()
        if failure:
            screen.message(failure)
        if self.presence.name == "none":
            return None
        return PresenceRules(sensing.away_after_s, sensing.reset_after_s)


def across_machines(
    app_ctx: AppContext, sensing: PresenceSettings | None, local: Presence | None
) -> AcrossMachines | None:
    """[presence] across_machines: None when set to false. Without a presence source here, the
    day still tells its phase and breaks, and breaks elsewhere still count, but idle time
    elsewhere does not (away is not judged here at all)."""
    setting = sensing.across_machines if sensing is not None else None
    if setting is False:
        return None
    place = locate_history(app_ctx.paths, app_ctx.env)
    folder = PresenceFolder(place.folder, place.host_id)
    return AcrossMachines(local, folder, app_ctx.clock, always=setting is True)


def today_so_far(app_ctx: AppContext, goal: int) -> WeekStats:
    """The day's figures, for the summary printed when `start` ends."""
    today = app_ctx.clock.now().date()
    access = HistoryAccess.open(app_ctx.paths, app_ctx.env, now=app_ctx.clock.now())
    figures, _ = review(access, Window(today, today), today, {}, goal)
    return figures
