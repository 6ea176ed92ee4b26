"""Template globals and filters: JST display, the navigation token, cache-busted static URLs."""

import secrets

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from nexi import help as help_texts
from nexi.attachments import size_label
from nexi.clock import to_jst
from nexi.forms import macro_of
from nexi.models import STATUS_LABELS
from nexi.procedures.state import confirm_rows
from nexi.rendering import messages, renders_fragment

WEEKDAYS = "月火水木金土日"


def jst(moment, fmt: str = "%Y年%m月%d日 %H:%M") -> str:
    """A stored UTC time as JST text; empty for None."""
    local = to_jst(moment)
    return local.strftime(fmt) if local else ""


def nav_token() -> str:
    return current_user.login_session.token if current_user.is_authenticated else ""


def built_once(kind: str, key: tuple, build, keep: int | None = None):
    """What `build()` returns for `key`, built once per process (and per mount point): for
    markup that is the same on every page, or that depends on `key` alone. With `keep`, only
    that many of the latest keys are kept (for keys that come and go, such as search criteria)."""
    built = current_app.extensions.setdefault(f"nexi_{kind}", {})
    key = (request.script_root, *key)
    if key not in built:
        if keep is not None and len(built) >= keep:
            try:
                built.pop(next(iter(built)), None)  # the oldest
            except (RuntimeError, StopIteration):  # another thread changed it meanwhile
                pass
        built[key] = build()
    return built[key]


def asset_url(filename: str) -> str:
    """The URL of a static file, versioned by its content so it can be cached for a year (built
    once: every whole page names the same few files)."""

    def build():
        from nexi.static_files import _load

        return url_for("static", filename=filename, v=_load(current_app.static_folder, filename)[2])

    return built_once("asset_urls", (filename,), build)


def nl2br(text: str) -> Markup:
    """Plain text with line breaks (notice bodies) as escaped HTML."""
    return Markup("<br>").join(Markup.escape(line) for line in (text or "").splitlines())


def unique_id(prefix: str) -> str:
    """An element id unique on the page, also after htmx swaps new content into it (a counter
    per response would repeat the ids of the parts that stay)."""
    return f"{prefix}-{secrets.token_hex(4)}"


def help_url(key: str) -> str:
    topic = key.rsplit(".", 1)[0]
    return url_for("guide.help_topic", topic=topic, _anchor=help_texts.anchor(key))


def help_popup(key: str, label: str) -> Markup:
    """A field's 「？」 popup (components/_help_popup.html), or nothing when the field has no help.
    The same on every page, so built once: a search form has eight of them."""

    def build():
        text = help_texts.field_text(key)
        template = current_app.jinja_env.get_template("components/_help_popup.html")
        return Markup(template.render(key=key, label=label, text=text) if text else "")

    return built_once("help_popups", (key, label), build)


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(jst=jst, nl2br=nl2br, filesize=size_label)
    app.jinja_env.globals.update(
        nav_token=nav_token,
        asset_url=asset_url,
        unique_id=unique_id,
        help_popup=help_popup,
        help_url=help_url,
        messages=messages,
        renders_fragment=renders_fragment,
        confirm_rows=confirm_rows,
        macro_of=macro_of,
        status_label=STATUS_LABELS.__getitem__,  # a Status is a str: its value finds it too
    )
    # The component macros are globals rather than per-template imports: a template's top-level
    # imports and macros do not exist when one of its blocks is rendered alone for htmx
    # (rendering.py), so screens define no macros of their own either.
    for name in ("forms", "fields", "procedure", "menus"):
        name = f"components/{name}.html"
        module = app.jinja_env.get_template(name).module
        app.jinja_env.globals.update((attr, getattr(module, attr)) for attr in dir(module) if not attr.startswith("_"))
