"""ツールエリア (1章 2-1 ④): マニュアル, ヘルプ, お問い合わせ — read-only pages, open to everyone.

They change nothing and hold nothing personal, so the navigation guard lets them be fetched with
a plain GET, in a window of their own.
"""

from collections import defaultdict

from flask import abort, render_template

from nexi import help as help_texts
from nexi.blueprints.guide import bp


@bp.get("/manual")
def manual():
    """マニュアル: how the portal is used (1章 はじめに, written for this portal)."""
    return render_template("guide/manual.html")


@bp.get("/help")
def help_index():
    """ヘルプ: every screen's help, by chapter (2-4)."""
    chapters = defaultdict(list)
    for topic in help_texts.catalogue().values():
        chapters[topic.chapter].append(topic)
    return render_template("guide/help_index.html", chapters=dict(chapters))


@bp.get("/help/<topic>")
def help_topic(topic: str):
    """ヘルプ: one screen's help and the help of each of its fields."""
    found = help_texts.catalogue().get(topic)
    if found is None:
        abort(404)
    return render_template("guide/help_topic.html", topic=found, anchor=help_texts.anchor)


@bp.get("/contact")
def contact():
    """お問い合わせ: where to ask about each kind of procedure."""
    return render_template("guide/contact.html")
