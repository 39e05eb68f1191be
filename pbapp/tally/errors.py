"""Errors the counting engine raises; each says what is wrong in words a user can act on."""


class TallyError(Exception):
    """Base class: anything the engine refuses to count."""


class BallotError(TallyError):
    """A ballot or option that makes no sense (unknown candidate, bad count, bad option)."""


class FileFormatError(TallyError):
    """A malformed election file. Carries the line number so the message can name it."""

    def __init__(self, message: str, line: int | None = None, path: str | None = None):
        self.line = line
        self.path = path
        self.reason = message
        where = ""
        if path:
            where = f"{path}:"
        if line is not None:
            where += f"line {line}: "
        elif where:
            where += " "
        super().__init__(f"{where}{message}")
