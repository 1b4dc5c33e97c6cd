"""Holds: what keeps a due break waiting (calls, cameras, calendars, do-not-disturb).

`base` has what a hold source is; each back-end module one or a few sources; the registry
that reads `[holds]` and picks the sources sits above them. Importing this package is light:
a source imports its library or runs its tool only when it is first read.
"""
