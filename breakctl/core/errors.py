"""Errors the program reports to the user, and the exit codes they map to."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FAILURE = 1  # the environment stopped us: unwritable file, already running
    BAD_INPUT = 2  # the user's input or data is wrong
    SIGHUP = 129
    CTRL_C = 130
    SIGTERM = 143


class BreakctlError(Exception):
    """An error with a message fit to show as is, one line per problem."""

    exit_status: ExitStatus = ExitStatus.FAILURE

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems: list[str] = list(problems)


class DataError(BreakctlError):
    """Bad user input: a routine file, a duration, a name that does not exist."""

    exit_status = ExitStatus.BAD_INPUT


class StorageError(BreakctlError):
    """A file we must read or write cannot be used (permissions, a directory, a full disk)."""

    exit_status = ExitStatus.FAILURE
