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


def forms_with_prefixes():
    """Every form as the screens build it: procedure steps under their procedure's code."""
    from nexi.procedures.registry import PROCEDURES

    for form_class in all_forms():
        if form_class.help_prefix:
            yield form_class, form_class.help_prefix
    for procedure in PROCEDURES.values():
        for step in procedure.steps:
            yield step.form, procedure.code


def test_every_field_of_every_form_and_procedure_has_help(app):
    missing, mislabelled = [], []
    with app.test_request_context():
        for form_class, prefix in forms_with_prefixes():
            form = form_class(formdata=None, help_prefix=prefix)
            for field in form:
                if field.type in {"HiddenField", "SubmitField"}:
                    continue
                if not help_texts.field_text(field.help_key):
                    missing.append(field.help_key)
                elif help_texts.catalogue()[prefix].fields[field.help_key].label != field.label.text:
                    mislabelled.append(field.help_key)
    assert not missing, f"fields without help: {missing}"
    assert not mislabelled, f"help labels that differ from the field labels: {mislabelled}"


def test_every_declared_procedure_has_a_screen_help_topic():
    from nexi.procedures.registry import PROCEDURES

    for code, procedure in PROCEDURES.items():
        assert help_texts.catalogue()[code].title == procedure.title


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
