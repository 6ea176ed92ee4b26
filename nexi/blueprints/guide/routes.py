"""ツールエリア (1章 2-1 ④): マニュアル, ヘルプ, お問い合わせ — read-only pages, open to everyone.

They change nothing and hold nothing personal, so the navigation guard lets them be fetched with
a plain GET, in a window of their own.
"""

from collections import defaultdict

from flask import abort, render_template

from nexi import help as help_texts
from nexi.blueprints.guide import bp
from nexi.forms import NexiForm
from nexi.procedures.registry import PROCEDURES


@bp.get("/manual")
def manual():
    """マニュアル: how the portal is used (1章 はじめに, written for this portal)."""
    return render_template("guide/manual.html")


@bp.get("/help")
def help_index():
    """ヘルプ: every screen's help, by chapter (2-4)."""
    chapters = defaultdict(list)
    for topic in help_texts.catalogue().values():
        if not topic.is_group:
            chapters[topic.chapter].append(topic)
    return render_template("guide/help_index.html", chapters=dict(chapters))


@bp.get("/help/<topic>")
def help_topic(topic: str):
    """ヘルプ: one screen's help and the help of each of its fields."""
    found = help_texts.catalogue().get(topic)
    if found is None or found.is_group:
        abort(404)
    entries = [(help_texts.anchor(key), label, help_texts.field_text(key)) for key, label in questions(topic)]
    return render_template("guide/help_topic.html", topic=found, entries=[e for e in entries if e[2]])


def forms_of(topic: str) -> list[type[NexiForm]]:
    """The forms whose questions a help topic explains: a procedure's steps, or the forms that
    name the topic as their help prefix."""
    if topic in PROCEDURES:
        return [step.form for step in PROCEDURES[topic].steps]
    found, queue = [], list(NexiForm.__subclasses__())
    while queue:
        form = queue.pop(0)
        queue.extend(form.__subclasses__())
        if form.help_prefix == topic:
            found.append(form)
    return found


def questions(topic: str) -> list[tuple[str, str]]:
    """(help key, label) of every question of the topic's forms, in screen order, each once."""
    seen = {}
    for form_class in forms_of(topic):
        form = form_class(formdata=None, help_prefix=topic)
        for item in form.in_screen_order():
            if item.type not in {"HiddenField", "SubmitField", "CSRFTokenField"}:
                seen.setdefault(item.help_key, item.label.text)
    return list(seen.items())


@bp.get("/contact")
def contact():
    """お問い合わせ: where to ask about each kind of procedure."""
    return render_template("guide/contact.html")
