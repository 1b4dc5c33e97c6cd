"""The day as a process: the socket screens attach to, and what travels over it."""
