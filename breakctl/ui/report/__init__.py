"""The weekly review (`breakctl stats`): on the terminal, and as one HTML page."""
