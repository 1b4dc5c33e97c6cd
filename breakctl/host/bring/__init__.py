"""The break brought to you ([start] bring_break): a tmux pop-up, a notification with an
action, a terminal window; each runs `breakctl attach --break`."""
