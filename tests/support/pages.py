"""Parsed responses, checked against the invariants every page of the portal keeps (STYLE.md 13)."""

import json
import re

from bs4 import BeautifulSoup

FIELD_TAGS = ("input", "select", "textarea")
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


def normalize(text: str | None) -> str:
    return " ".join((text or "").split())


class Page:
    """One HTML response: a whole page or an htmx fragment."""

    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.html = response.get_data(as_text=True)
        self.soup = BeautifulSoup(self.html, "html5lib")
        self.is_fragment = "<html" not in self.html[:200].lower()

    # What the user sees -------------------------------------------------------------------

    @property
    def screen(self):
        """The screen's content: #screen of a whole page, or the swapped part of a fragment."""
        return self.soup.select_one("#screen") or self.soup.body

    @property
    def screen_text(self) -> str:
        return normalize(self.screen.get_text(" "))

    def select(self, selector: str):
        return self.soup.select(selector)

    def one(self, selector: str):
        found = self.soup.select(selector)
        assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
        return found[0]

    def text(self, selector: str = "body") -> str:
        found = self.soup.select_one(selector)
        assert found is not None, f"nothing matches {selector!r}"
        return normalize(found.get_text(" "))

    def texts(self, selector: str) -> list[str]:
        return [normalize(element.get_text(" ")) for element in self.soup.select(selector)]

    @property
    def h1(self) -> str:
        return self.text("h1")

    @property
    def title(self) -> str:
        return normalize(self.soup.title.get_text()) if self.soup.title else ""

    @property
    def messages(self) -> list[str]:
        return self.texts("#messages .message")

    def field_error(self, field_id: str) -> str:
        return self.text(f"#{field_id}-error").removeprefix("エラー： ").removeprefix("エラー：")

    @property
    def error_summary(self) -> list[str]:
        return self.texts(".error-summary li")

    def button_names(self) -> list[str]:
        return self.texts("#screen button, body > button")

    @property
    def nav_token(self) -> str | None:
        element = self.soup.select_one("#nav-token")
        return element["value"] if element else None

    @property
    def csrf_token(self) -> str | None:
        element = self.soup.select_one("input[name=csrf_token]")
        if element:
            return element["value"]
        body = self.soup.body
        if body and body.get("data-hx-headers"):
            return json.loads(body["data-hx-headers"])["X-CSRFToken"]
        return None

    def form_values(self, selector: str = "form.step-form") -> dict:
        """What a browser would post of the form as shown (its prefilled answers): text, ticked
        boxes (as lists), the chosen radio and option; no hidden, file or button inputs."""
        found: dict = {}
        form = self.one(selector)
        for element in form.select("input[name], textarea[name], select[name]"):
            name, kind = element["name"], element.get("type", "text")
            if kind in {"hidden", "file", "submit", "button"} or name.startswith("_"):
                continue
            if element.name == "select":
                chosen = element.select_one("option[selected]") or element.select_one("option")
                found[name] = chosen.get("value", chosen.get_text()) if chosen else ""
            elif element.name == "textarea":
                found[name] = element.get_text()
            elif kind == "checkbox":
                found.setdefault(name, [])
                if element.has_attr("checked"):
                    found[name].append(element.get("value", "y"))
            elif kind == "radio":
                if element.has_attr("checked"):
                    found[name] = element["value"]
            else:
                found[name] = element.get("value", "")
        return found

    # Invariants --------------------------------------------------------------------------

    def check(self) -> "Page":
        ids = [element["id"] for element in self.soup.select("[id]")]
        duplicates = {value for value in ids if ids.count(value) > 1}
        assert not duplicates, f"duplicate ids: {duplicates}"
        for script in self.soup.select("script"):
            assert script.get("src"), "inline <script>"
        assert not self.soup.select("style"), "inline <style>"
        for element in self.soup.find_all(True):
            assert "style" not in element.attrs, f"style attribute on <{element.name}>"
            handlers = [name for name in element.attrs if name.startswith("on")]
            assert not handlers, f"event attribute {handlers} on <{element.name}>"
            assert not any(name.startswith(("hx-on", "data-hx-on")) for name in element.attrs), "hx-on attribute"
        for form in self.soup.select("form"):
            assert form.get("method") == "post", f"form without method=post: {form.get('action')}"
            assert form.get("action"), "form without action"
            if self.is_fragment and form.get("data-hx-post"):
                continue  # htmx sends both tokens itself (components/forms.html)
            assert form.select_one("input[name=csrf_token]"), f"form without CSRF token: {form['action']}"
            if form.get("data-hx-post"):
                assert form.select_one("input[name=_nav]"), f"form without navigation token: {form['action']}"
        for element in self.soup.select(", ".join(FIELD_TAGS)):
            if element.name == "input" and element.get("type") in UNLABELLED_INPUTS:
                continue
            labelled = (
                element.get("aria-label")
                or element.get("aria-labelledby")
                or (element.get("id") and self.soup.select_one(f'label[for="{element["id"]}"]'))
            )
            assert labelled, f"<{element.name} name={element.get('name')}> has no label"
        described = " ".join(e["aria-describedby"] for e in self.soup.select("[aria-describedby]")).split()
        for error in self.soup.select(".error-message[id]"):
            assert error["id"] in described, f"{error['id']} is not referenced by aria-describedby"
        for element in self.soup.select("[aria-describedby]"):
            for target in element["aria-describedby"].split():
                assert target in ids, f"aria-describedby points at missing #{target}"
        if self.is_fragment:
            assert self.soup.title is not None, "fragment without <title>"
            token = self.soup.select_one("#nav-token")
            assert token is not None and token.get("data-hx-swap-oob") == "true", "fragment without OOB token"
            assert self.response.headers.get("Vary", "").find("HX-Request") >= 0
        else:
            h1s = self.soup.select("h1")
            assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
            title = re.sub(r"^エラー：", "", self.title)
            assert title.startswith(normalize(h1s[0].get_text())), f"title {self.title!r} vs h1"
            assert self.soup.html.get("lang") == "ja"
        return self
