"""NEXI Webサービス: the customer portal of an export credit insurer.

`create_app()` wires, in order: configuration → extensions → blueprints (one ordered list, in
nexi/blueprints/__init__.py) → error pages → response headers.
"""

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from nexi import config as nexi_config
from nexi import db, errors, sessions, static_files, templating, widgets
from nexi import security as nexi_security
from nexi.auth import otp

csrf = CSRFProtect()


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(nexi_config.INSTANCE_DIR))
    app.config.update(nexi_config.load(overrides=overrides))
    hops = app.config["NEXI_PROXY_HOPS"]
    if hops:
        # Behind the reverse proxy (README "In production"): the client's address and scheme as
        # the proxy saw them, trusting exactly that many proxies; with none, no header is believed.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    db.init_app(app)
    otp.init_app(app)
    static_files.init_app(app)
    csrf.init_app(app)
    sessions.init_app(app)
    templating.init_app(app)
    widgets.install()  # WTForms renders attributes with nexi/widgets.py's html_params

    from nexi.blueprints import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    from nexi.blueprints.procedure.routes import mount

    mount(app)  # each declared procedure's start route, on its chapter's address

    errors.init_app(app)
    nexi_security.init_app(app)

    from nexi import cli

    cli.init_app(app)
    return app
