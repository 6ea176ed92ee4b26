"""Forms of マスタ管理 (S.9: M.2–M.4, the §6 tariff and weights) on the staff console, built from
each master's declaration (nexi/master_versions.py): a version's 適用開始日 and its values, and
for a master that takes new keys (通貨, 商品区分) the key and its fixed values too. Like the
other staff forms they carry no help prefix: the customers' help pages must not describe the
staff console."""

from datetime import timedelta

from wtforms import StringField, ValidationError

from nexi import fields
from nexi.clock import today
from nexi.forms import MaxChars, NexiForm, Pattern, Required
from nexi.master_versions import MASTERS, Column, Master

NOT_AFTER_TODAY = "適用開始日は明日（{day}）以降の日付を入力してください（適用中・過去の版は変更できません）"
DATE_TAKEN = "この適用開始日の版がすでにあります。別の日付を入力してください"
KEY_TAKEN = "この{label}はすでに登録されています。一覧からその詳細を開き、新しい版を追加してください"


def _jp(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class MasterVersionForm(NexiForm):
    """One version of a key of `master`: new, or a change of one not yet in effect. The view sets
    `taken`, the 適用開始日 of the key's other versions, before validating."""

    master: Master
    valid_from = fields.day(
        "適用開始日",
        hint="明日以降の日付です。この日から、保険料試算と円換算にこの版が使われます。例：2026-05-01",
    )

    taken: frozenset = frozenset()

    def validate_valid_from(self, field):
        if field.data is None:  # not a date: its message is there already
            return
        tomorrow = today() + timedelta(days=1)
        if field.data < tomorrow:
            raise ValidationError(NOT_AFTER_TODAY.format(day=_jp(tomorrow)))
        if field.data in self.taken:
            raise ValidationError(DATE_TAKEN)

    def record(self) -> dict:
        """valid_from and the edited values of a validated form."""
        return {"valid_from": self.valid_from.data} | {
            column.name: self[column.name].data for column in self.master.values
        }


class NewKeyForm(MasterVersionForm):
    """A key not yet in the master, with its first version. The view sets `known`, the master's keys."""

    known: frozenset = frozenset()

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        first = self[self.master.keys[0].name]
        if not first.errors and self._key() in self.known:
            first.errors = [KEY_TAKEN.format(label=first.label.text)]
        return not self.form_errors and not any(field.errors for field in self)

    def _key(self) -> tuple:
        return tuple(self[column.name].data for column in self.master.keys)

    def record(self) -> dict:
        entered = {column.name: self[column.name].data for column in self.master.keys}
        for column in self.master.fixed:  # choices of whole numbers (a currency's decimals)
            entered[column.name] = int(self[column.name].data)
        return entered | super().record()


def _upper(value):
    return value.upper() if isinstance(value, str) else value


def _entered(column: Column):
    """The input of a key or fixed value of a new key."""
    label = column.entry_label or column.label
    if column.kind == "choice":
        choices = [(str(value), text) for value, text in column.choices]
        return fields.choice(label, choices, radio=True, hint=column.hint or None)
    validators = [Required(label), MaxChars(label, column.chars)]
    if column.pattern:
        validators.append(Pattern(label, column.pattern, column.pattern_text))
    return StringField(
        label,
        validators=validators,
        filters=[_upper] if column.pattern else [],  # a code: usd is USD
        description=column.hint or None,
        render_kw={"maxlength": str(column.chars), "autocomplete": "off"},
    )


def _form_class(master: Master, *, new_key: bool) -> type:
    values = [column.name for column in master.values]
    attrs = {
        column.name: fields.decimal_number(
            column.label, places=column.places, maximum=column.maximum, hint=column.hint or None
        )
        for column in master.values
    }
    sections = [("版の内容", ["valid_from", *values])]
    if new_key:
        entered = (*master.keys, *master.fixed)
        attrs |= {column.name: _entered(column) for column in entered}
        sections = [(master.keys[0].label, [column.name for column in entered]), *sections]
    base = NewKeyForm if new_key else MasterVersionForm
    return type(f"{master.name.title()}{base.__name__}", (base,), attrs | {"master": master, "sections": sections})


FORMS = {name: _form_class(master, new_key=False) for name, master in MASTERS.items()}
NEW_KEY_FORMS = {name: _form_class(master, new_key=True) for name, master in MASTERS.items() if master.new_keys}


def form_class(master: Master, *, new_key: bool) -> type:
    return (NEW_KEY_FORMS if new_key else FORMS)[master.name]


def values_of(master: Master, version, *, with_date: bool) -> dict:
    """A saved version's values as typed, for 編集 (with its date) or as the start of a new
    version (the date left to type); `version` may be a snapshot's namespace (Decimals as text)."""
    values = {"valid_from": version.valid_from.isoformat() if with_date else ""}
    for column in master.values:
        value = getattr(version, column.name)
        values[column.name] = "" if value is None else format(value, "f") if not isinstance(value, str) else value
    return values
