"""The per-day cache behind `breakctl stats`: completed breaks and moved seconds per day over
the whole history, kept up to date from each file's last offset.

summary (what the cache knows, per day and per file), cache (load, refresh, save), tally (the
counting), split (a rebuild read by two processes), ids (the record ids counted, so a copy
counts once).
"""
