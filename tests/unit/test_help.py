"""2-4 help: every field of every form has a help text, every help page renders, and a label is
written once (on the form)."""

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


def asked_keys(app) -> set[str]:
    keys = set()
    with app.test_request_context():
        for form_class, prefix in forms_with_prefixes():
            for field in form_class(formdata=None, help_prefix=prefix):
                if field.type not in {"HiddenField", "SubmitField"}:
                    keys.add(field.help_key)
    return keys


def test_every_field_of_every_form_and_procedure_has_help(app):
    missing = sorted(key for key in asked_keys(app) if not help_texts.field_text(key))
    assert not missing, f"fields without help: {missing}"


def test_every_help_text_explains_a_field_that_is_asked(app):
    """A text for a field no form asks (renamed, removed) is found, not left to rot; a shared
    group's text counts when a topic that uses it asks the field."""
    asked = asked_keys(app)
    used_shared = {help_texts.resolve(key).key for key in asked if help_texts.resolve(key)}
    unused = [
        key
        for topic in help_texts.catalogue().values()
        for key in topic.fields
        if key not in asked and key not in used_shared
    ]
    assert not unused, f"help texts of fields no form asks: {unused}"


def test_a_field_a_topic_does_not_describe_falls_back_to_its_shared_group():
    own = help_texts.resolve("B02.report_mode")
    shared = help_texts.resolve("B02.report_files")
    assert own.key == "B02.report_mode"
    assert shared.key == "shared.credit_report.report_files"
    assert help_texts.field_text("B01.report_files") == shared.text
    assert help_texts.resolve("B03.report_files") is None  # B03 uses no such group


def test_help_files_store_no_labels():
    for path in help_texts.HERE.glob("*.toml"):
        assert "label =" not in path.read_text(encoding="utf-8"), path.name


def test_every_declared_procedure_has_a_screen_help_topic():
    from nexi.procedures.registry import PROCEDURES

    for code, procedure in PROCEDURES.items():
        assert help_texts.catalogue()[code].title == procedure.title


def test_every_help_topic_has_a_page_listing_its_questions_with_the_forms_labels(portal):
    index = portal.get("/guide/help")
    page = portal.get("/guide/help/B01")
    assert page.one(f"#{help_texts.anchor('B01.name_en')} dt").get_text() == "英文名称"
    shared = page.one(f"#{help_texts.anchor('B01.report_files')}")
    assert shared.select_one("dt").get_text() == "信用調査報告書のファイル"
    assert shared.select_one("dd").get_text() == help_texts.field_text("shared.credit_report.report_files")
    for key, topic in help_texts.catalogue().items():
        if topic.is_group:
            portal.get(f"/guide/help/{key}", expect=404)
            assert topic.title not in index.text("main")
            continue
        assert topic.title in index.text("main")
        page = portal.get(f"/guide/help/{key}")
        assert page.h1 == f"ヘルプ：{topic.title}"


def test_the_login_fields_have_a_help_popup(portal):
    page = portal.get("/login")
    summary = page.one("#login_id").find_parent("div").select_one("details.help summary")
    assert "WebユーザーIDのヘルプ" in summary.get_text()


def test_every_procedure_of_the_catalogue_is_declared():
    from nexi.procedures import registry

    declared = {code for chapter in registry.CHAPTERS for code in (p.code for p in chapter.PROCEDURES)}
    assert set(registry.ORDER) == declared
