"""Errors shared by every feature: a field that is wrong, a record that is not there."""

from __future__ import annotations

from dataclasses import dataclass

from bildungskoordination.i18n import _


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class NotFound(LookupError):
    pass


class DataFileError(ValueError):
    """A data file in resources/ (or a district's copy) that cannot be used; names file, entry and field."""

    def __init__(self, file: str, entry: str, field_name: str, message: str) -> None:
        self.file, self.entry, self.field, self.message = file, entry, field_name, message
        super().__init__(_("{file}, Eintrag „{entry}“, Feld „{field}“: {message}").format(
            file=file, entry=entry, field=field_name, message=message))
