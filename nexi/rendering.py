"""One screen, two transports (DESIGN.md, STYLE.md conventions 2 and 3).

Views never look at htmx headers: they return `render_screen(template, form=…, …)`.

* A plain request (JavaScript off, a first load, an htmx history restore) gets the whole page.
* An htmx request gets the screen's `screen` block — or the nested block its `HX-Target` names,
  when the view offers one — to swap into `#screen`, plus the fixed out-of-band trio: `<title>`,
  the navigation token and the message region (the layouts' `title_tag` and `oob` blocks).
* When the layout itself changes (pattern 1 ↔ 2) or the guard answers a misuse, the navigation
  guard asks for the target to be widened: the whole page is sent and swapped into `<body>`.

Every response says `Vary: HX-Request`.

Rendering never commits: `render_screen` returns the screen ready to render (a `Page`), and whoever
asked for it says when the request's transaction ends before the templates render (the
navigation guard's `render_current`, nexi/navigation.py), so that no lock is held meanwhile.
"""

import re
from functools import cache

from flask import current_app, g, make_response, render_template, request, template_rendered
from markupsafe import Markup

_EXTENDS = re.compile(r"""\{%-?\s*extends\s+["']([^"']+)["']""")


def is_htmx() -> bool:
    """A partial request: htmx asked, and it is not restoring history (which needs a whole page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def messages() -> list[dict]:
    """The messages to show above the screen on this response."""
    return g.setdefault("messages", [])


def add_message(text: str, *, title: str | None = None, level: str = "info") -> None:
    messages().append({"text": text, "title": title, "level": level})


def _vary(response):
    response.vary.add("HX-Request")
    return response


class Page:
    """A screen, ready to render: `response()` renders its templates.

    Returned to Flask as it is (by a view outside the navigation guard), it renders there, as a
    WSGI application; the transaction then ends after it, with the request."""

    def __init__(self, template: str, block: str | None, http_status: int, context: dict):
        self.template, self.block, self.http_status, self.context = template, block, http_status, context

    def response(self):
        template, context, http_status = self.template, self.context, self.http_status
        if not is_htmx():
            return _vary(make_response(render_template(template, **context), http_status))
        if g.get("widen"):
            response = make_response(render_template(template, **context), http_status)
            response.headers["HX-Retarget"] = "body"
            response.headers["HX-Reswap"] = "innerHTML show:window:top"
            return _vary(response)
        part = self.block if self.block and renders_only(self.block) else "screen"
        html = render_blocks(template, ["title_tag", part, "oob"], partial=True, partial_block=part, **context)
        response = make_response(html, http_status)
        if part == "screen" and request.headers.get("HX-Target", "screen") != "screen":
            # asked for a part (a list's page), answered with the whole screen (e.g. errors in its form)
            response.headers["HX-Retarget"] = "#screen"
            response.headers["HX-Reswap"] = "innerHTML show:window:top"
        return _vary(response)

    def __call__(self, environ, start_response):
        return self.response()(environ, start_response)


def render_screen(template: str, *, block: str | None = None, http_status: int = 200, **context) -> Page:
    """`template` as a whole page or as the fragment an htmx request asked for, rendered when its
    `response()` is asked for.

    `block` names a nested block that may be swapped alone: it is rendered when the request's
    `HX-Target` is the element of that id (e.g. the notice list changing page in place). A view
    that passes no block for such a request (its form has errors) has the whole screen swapped.
    """
    context.setdefault("form", None)
    return Page(template, block, http_status, context)


def renders_fragment() -> bool:
    """Whether this request is answered with a fragment that htmx swaps into the page (not a
    whole page: a plain request, or a misuse answered with the whole page, `widen`)."""
    return is_htmx() and not g.get("widen")


def renders_only(block: str) -> bool:
    """Whether this request is answered with `block` alone (its htmx target is that element):
    a view may then skip preparing what only the rest of the screen shows."""
    return renders_fragment() and request.headers.get("HX-Target") == block.replace("_", "-")


@cache
def _chain(template_name: str) -> tuple[str, ...]:
    """The template and the layouts it extends, child first (extends must be a literal)."""
    env = current_app.jinja_env
    names = [template_name]
    while True:
        source = env.loader.get_source(env, names[-1])[0]
        parent = _EXTENDS.search(source)
        if parent is None:
            return tuple(names)
        names.append(parent[1])


def render_blocks(template_name: str, blocks: list[str], **context) -> str:
    """Render some blocks of a template, including blocks that only its layouts define.

    jinja2-fragments renders only blocks the template itself defines; our layouts own the
    `<title>`, the heading and the error summary, so their blocks must be reachable too. The
    context gets every block of the inheritance chain, as Jinja's own rendering would give it,
    so `self.title()` and `super()` work inside them.
    """
    env = current_app.jinja_env
    app = current_app._get_current_object()
    app.update_template_context(context)
    templates = [env.get_template(name) for name in _chain(template_name)]
    ctx = templates[0].new_context(context)
    for parent in templates[1:]:
        for name, render in parent.blocks.items():
            ctx.blocks.setdefault(name, []).append(render)
    try:
        html = Markup("").join(Markup(env.concat(ctx.blocks[name][0](ctx))) for name in blocks)
    except Exception:
        return env.handle_exception()
    template_rendered.send(app, template=templates[0], context=context)
    return html


def redirect_page(location: str):
    """Send the browser to a whole new page, whichever transport asked (htmx gets HX-Redirect)."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
    else:
        response = current_app.redirect(location, 303)
    return _vary(response)
