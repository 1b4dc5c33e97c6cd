"""breakctl: work/break cycles and guided stretching routines in the terminal.

This module imports nothing on purpose: `breakctl status` runs through it on every
status-bar refresh, so the version is resolved lazily in the CLI.
"""
