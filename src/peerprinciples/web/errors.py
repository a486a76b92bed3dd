"""Domain errors raised by services and shown to people by views."""

from __future__ import annotations


class DomainError(Exception):
    """An action that cannot be done as asked; the message says why and what to do."""


class StaleEdit(DomainError):
    """Someone else changed the object since the form was opened."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"Someone else changed this {what} after you opened it, so your changes were not "
            "saved over theirs. Reload the page to see the current version, then make your "
            "changes again."
        )

    @property
    def kept(self) -> str:
        """The message for a page that keeps what was typed in its form beside theirs, where
        "make your changes again" would send people to retype what is already there."""
        return (
            f"Someone else changed this {self.what} after you opened it, so your changes were "
            "not saved over theirs. Your entries are kept in the form below: bring in what you "
            "want from theirs, then save again."
        )


class InvalidInput(DomainError):
    """Input that breaks the instrument's or the evaluation's rules; lists every problem."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} thing{'s' if count != 1 else ''} to correct before saving.")
