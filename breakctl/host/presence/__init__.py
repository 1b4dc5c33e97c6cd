"""Presence: how long since the person last used the keyboard or mouse.

Pure I/O-side code, no Rich, no Typer. Importing this package (or `settings`) is light: each
back-end imports its library or runs its tool only when it is first asked for idle time, and
`breakctl status` imports none of it. `base` has what a source is (and PresenceError), `x11`,
`dbus`, `tools` and `wayland` (over `wayland_wire`) the back-ends, `sources` the registry and
the `Presence` wrapper the day uses; `settings` reads the [presence] table.
"""
