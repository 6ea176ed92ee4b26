"""The one condition model: when a question is asked, or a step applies (DOMAIN.md C.2).

A condition reads answers by field name. An answer is a string (a text, a radio or select
choice), a list of strings (a ticked checkbox group, always stored as a list) or missing. Fields,
steps, `RequiredIf` and the reveal script's `data-reveal-*` attributes all ask the same object.

    When("report_mode", "attach")               # that choice
    When("desired_class", "G", "S")             # one of these
    When("capital")                             # answered at all
    When("office_type", "branch") & When("head_registered", "no")
    ~When("action", "delete")                   # not that choice (also when unanswered)

"""

from collections.abc import Mapping
from dataclasses import dataclass


class Condition:
    def holds(self, answers: Mapping) -> bool:
        raise NotImplementedError

    def names(self) -> tuple[str, ...]:
        """The fields whose answers it reads."""
        raise NotImplementedError

    def as_data(self, local, answers: Mapping) -> dict:
        """The condition for the reveal script (JSON): what it reads of a field on the page
        (`local(name)`) stays a test, what it reads of an earlier step is decided here."""
        raise NotImplementedError

    def __and__(self, other: "Condition") -> "Condition":
        return AllOf((self, other))

    def __invert__(self) -> "Condition":
        return Not(self)


def _given(answer) -> list[str]:
    """The answer as the list of values chosen or typed (blank strings are no answer)."""
    if answer is None:
        return []
    values = answer if isinstance(answer, list | tuple) else [answer]
    return [str(value) for value in values if value is not None and str(value).strip() != ""]


@dataclass(frozen=True)
class When(Condition):
    """The field's answer is one of `values` (for a checkbox group: one of its ticked values
    is), or — with no values — the field is answered at all."""

    field: str
    values: tuple[str, ...]

    def __init__(self, field: str, *values: str):
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "values", tuple(values))

    def holds(self, answers: Mapping) -> bool:
        given = _given(answers.get(self.field))
        if not self.values:
            return bool(given)
        return any(value in self.values for value in given)

    def names(self) -> tuple[str, ...]:
        return (self.field,)

    def as_data(self, local, answers: Mapping) -> dict:
        if local(self.field):
            return {"field": self.field, "values": list(self.values)}
        return {"const": self.holds(answers)}


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping) -> bool:
        return all(part.holds(answers) for part in self.parts)

    def names(self) -> tuple[str, ...]:
        return tuple(name for part in self.parts for name in part.names())

    def as_data(self, local, answers: Mapping) -> dict:
        return {"all": [part.as_data(local, answers) for part in self.parts]}


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def holds(self, answers: Mapping) -> bool:
        return not self.part.holds(answers)

    def names(self) -> tuple[str, ...]:
        return self.part.names()

    def as_data(self, local, answers: Mapping) -> dict:
        return {"not": self.part.as_data(local, answers)}
