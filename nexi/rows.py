"""Repeating rows (e.g. a 決済スケジュール of N rows), a field of their own: nexi/inputs.py has the
other kinds."""

from collections.abc import Callable

from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, ValidationError

from nexi.inputs import display_value, normalize_text, state_value


class RowsField(FieldList):
    """Repeating rows (e.g. a 決済スケジュール): as many as the answer of `count` (a field of this
    step or of an earlier one), at most `max_rows`. Without JavaScript the number of rows follows
    the count on a round trip: 「次へ」, or 「行数を反映」 when the count is on the same step.
    `prefill(form, index)` gives a new row's values, computed on the server. The form validates
    the rows as a whole (sum, order) in `validate_<name>`."""

    macro = "rows"

    def __init__(self, row_form: type, label=None, validators=None, *, count: str, thing=None,
                 max_rows: int = 60, prefill: Callable | None = None, row_name: str = "第{n}回",
                 row_heading: str = "回", **kw):  # fmt: skip
        super().__init__(FormField(row_form), label, validators, min_entries=0, max_entries=max_rows, **kw)
        self.count, self.thing, self.max_rows, self.prefill = count, thing or label, max_rows, prefill
        self.row_pattern, self.row_heading = row_name, row_heading  # how a row is named: 「第3回」, 「3」
        self.cell_errors: dict[str, list[str]] = {}

    def row_name(self, number: int) -> str:
        return self.row_pattern.format(n=number)

    def index_label(self, key: str) -> str:
        """「第3回」 for the cell id `schedule-2-amount`."""
        parts = key.rsplit("-", 2)
        return self.row_name(int(parts[1]) + 1) if len(parts) == 3 and parts[1].isdigit() else ""

    def wanted(self, form) -> int:
        answer = form.answer(self.count)
        text = normalize_text(answer) if isinstance(answer, str) else ""
        return min(int(text), self.max_rows) if text.isdigit() else 0

    def _extract_indices(self, prefix, formdata):
        """Row numbers posted as `name-<i>-…`: a number of more digits than any row can have
        (posted by hand) is no row."""
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                part = key[offset:].split(self._field_separator, 1)[0]
                if part.isdigit() and len(part) <= 4:
                    yield int(part)

    count_is_local = False
    count_text = ""

    def count_label(self) -> str:
        return self.count_text or self.count

    def bind_to_form(self, form) -> None:
        self.count_is_local = self.count in form
        self.count_text = form[self.count].label.text if self.count_is_local else ""
        wanted = self.wanted(form)
        while len(self.entries) < wanted:
            # a new row's prefill goes in as if typed, so every cell converts it as its own input
            index = self.last_index + 1
            values = self.prefill(form, len(self.entries)) if self.prefill else {}
            typed = MultiDict({f"{self.name}-{index}-{column}": value for column, value in values.items()})
            self._add_entry(typed if typed else None, index=index)
        while len(self.entries) > wanted:
            self.pop_entry()
        for entry in self.entries:
            entry.form.parent = form

    def validate(self, form, extra_validators=()):
        if not form.applies(self):  # rows not asked: nothing in them is judged
            self.errors, self.own_errors, self.cell_errors = [], [], {}
            return True
        super().validate(form, extra_validators)
        self.own_errors = [item for item in self.errors if isinstance(item, str)]
        self.cell_errors = {
            f"{self.name}-{index}-{column}": list(messages)
            for index, item in enumerate(self.errors)
            if isinstance(item, dict)
            for column, messages in item.items()
        }
        self._join_errors()
        return not self.errors

    def _join_errors(self) -> None:
        """`errors` as every other field has them (strings): the rows' own, then each cell's."""
        self.errors = [message for _, message in self.summary()]

    own_errors: list[str] = []

    def errors_for_state(self) -> dict:
        return {self.name: list(self.own_errors), **self.cell_errors}

    def restore_errors(self, errors: dict) -> None:
        for entry in self.entries:
            for cell in entry.form:
                cell.errors = list(errors.get(cell.id, []))
        self.cell_errors = {cell.id: cell.errors for entry in self.entries for cell in entry.form if cell.errors}
        self.own_errors = list(errors.get(self.name, []))
        self._join_errors()

    def summary(self) -> list[tuple[str, str]]:
        """(element id, message) for the error summary: the rows' own message, then each cell's."""
        own = [(self.id, message) for message in self.own_errors]
        return own + [(key, f"{self.index_label(key)}：{messages[0]}") for key, messages in self.cell_errors.items()]

    def state_value(self):
        return [{cell.short_name: state_value(cell) for cell in entry.form} for entry in self.entries]

    def shown(self) -> str:
        lines = []
        for index, entry in enumerate(self.entries, start=1):
            cells = "　".join(f"{cell.label.text} {display_value(cell)}" for cell in entry.form)
            lines.append(f"{self.row_name(index)}　{cells}")
        return "\n".join(lines) or "（なし）"


def rows_in_order(rows, column: str, thing: str) -> None:
    """A form-level check for a schedule: the rows' dates strictly ascending."""
    days = [entry.form[column].data for entry in rows.entries]
    if all(days) and any(later <= earlier for earlier, later in zip(days, days[1:], strict=False)):
        raise ValidationError(f"{thing}は古い順に、同じ日付を重ねずに入力してください")
