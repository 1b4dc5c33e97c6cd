"""Presence: how long since the person last used the keyboard or mouse.

Pure I/O-side code, no Rich, no Typer. Importing this package (or `settings`) is light: each
back-end imports its library or runs its tool only when it is first asked for idle time, and
`breakctl status` imports none of it. `breakctl.host.presence.sources` has the sources and the
`Presence` wrapper the day uses; `breakctl.host.presence.settings` reads the [presence] table.
"""
