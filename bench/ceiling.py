"""The ceiling: a bare Flask app that returns a fixed short HTML page, served exactly like the
portal. The portal's throughput is reported as a ratio of this one's."""

from flask import Flask

PAGE = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>ceiling</title></head>'
    "<body><h1>ceiling</h1><p>A fixed page.</p></body></html>"
)

app = Flask(__name__)


@app.get("/")
def index():
    return PAGE
