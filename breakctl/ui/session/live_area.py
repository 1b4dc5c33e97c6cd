"""The part of `start`'s screen drawn through Rich's Live (breaks, waits, off hours), handed
over to and from the work frame that is redrawn in place (work_frame.InPlaceFrame)."""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.live import Live
from rich.text import Text


class LiveArea:
    """One Live per stretch of live screens, erased in place when the work frame takes over.

    A fresh Live each time: a Live keeps the height of the last screen it drew, and started
    again it would first climb that many rows, erasing the lines above the screen (a shell
    prompt, say) and drawing the break there. Stopping draws nothing new: Live.stop redraws
    its screen once more before erasing it, a needless write of a whole screen at the very
    moment hooks and notifications start their children."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._live: Live | None = None

    def show(self, screen: RenderableType) -> None:
        if self._live is None:
            self._live = Live(console=self._console, auto_refresh=False, transient=True)
            self._live.start()
        self._live.update(screen, refresh=True)

    def close(self) -> None:
        """Erase the live screen, leaving the cursor on its top row (a no-op when none)."""
        live, self._live = self._live, None
        if live is not None:
            live.update(Text(""), refresh=False)  # what stop() draws before erasing: nothing
            live.stop()
