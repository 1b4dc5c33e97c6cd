"""A running `breakctl start`: the loop that drives the day's Session (core/day), what each of
its events does outside the engine, the pause prompt, and the protocols the loop talks to."""
