"""The screens of `breakctl start`: the views the loop drives (live, or lines when piped), which
screen each phase shows, the hand-drawn work frame, and the message line."""
