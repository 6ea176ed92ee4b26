"""2-4 help: every field of every form has a help text, and every help page renders."""

from nexi import help as help_texts
from nexi.forms import NexiForm


def all_forms():
    import nexi.blueprints  # noqa: F401  (imports every form module through the routes)

    found, queue = [], list(NexiForm.__subclasses__())
    while queue:
        form = queue.pop()
        queue.extend(form.__subclasses__())
        if form.__module__.startswith("nexi."):
            found.append(form)
    return found


def test_every_field_of_every_form_has_help(app):
    missing = []
    with app.test_request_context():
        for form_class in all_forms():
            form = form_class(formdata=None)
            for field in form:
                if field.type in {"HiddenField", "SubmitField"}:
                    continue
                text = help_texts.field_text(field.help_key)
                if not text:
                    missing.append(field.help_key)
                else:
                    topic = help_texts.catalogue()[form.help_prefix]
                    assert topic.fields[field.help_key].label == field.label.text, field.help_key
    assert not missing, f"fields without help: {missing}"


def test_every_help_topic_has_a_page(portal):
    index = portal.get("/guide/help")
    for key, topic in help_texts.catalogue().items():
        assert topic.title in index.text("main")
        page = portal.get(f"/guide/help/{key}")
        assert page.h1 == f"ヘルプ：{topic.title}"
        for entry in topic.fields.values():
            assert page.one(f"#{help_texts.anchor(entry.key)} dt").get_text() == entry.label


def test_the_login_fields_have_a_help_popup(portal):
    page = portal.get("/login")
    summary = page.one("#login_id").find_parent("div").select_one("details.help summary")
    assert "WebユーザーIDのヘルプ" in summary.get_text()
