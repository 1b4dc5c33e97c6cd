"""breakctl: work/break cycles and guided stretching routines in the terminal.

This module imports nothing on purpose: `breakctl status` runs through it on every
status-bar refresh. The version lives here, and pyproject.toml reads it from here at build
time (hatch's dynamic version), so `breakctl --version` reads no package metadata.
"""

__version__ = "0.1.0"
