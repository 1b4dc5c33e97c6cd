"""Keys read from a real file descriptor: typed or pasted faster than they are read, none lost."""

from __future__ import annotations

import os

from breakctl.host.keys import TerminalKeys


def test_keys_arriving_together_come_out_one_at_a_time() -> None:
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"45m\r")
        keys = TerminalKeys(fd=read_end)
        assert [keys.wait(0.5) for _ in range(4)] == ["4", "5", "m", "\r"]
        assert keys.wait(0) is None
    finally:
        os.close(read_end)
        os.close(write_end)
