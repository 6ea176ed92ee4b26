"""Static files: content-versioned URLs, cached for a year, gzip when the browser accepts it."""

import gzip
import re


def test_static_files_are_versioned_cached_and_compressed(portal):
    page = portal.get("/login")
    css = page.select("link[rel=stylesheet]")[0]["href"]
    assert re.fullmatch(r"/static/css/screen\.css\?v=[0-9a-f]{12}", css)
    response = portal.client.get(css, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
    assert b":root" in gzip.decompress(response.data)
    plain = portal.client.get(css)
    assert "Content-Encoding" not in plain.headers and plain.data.startswith(b"/*")
    assert "Accept-Encoding" in plain.headers["Vary"]


def test_an_unversioned_or_outdated_url_is_cached_briefly(portal):
    response = portal.client.get("/static/css/screen.css?v=0000")
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_unchanged_files_answer_304(portal):
    first = portal.client.get("/static/js/app.js")
    again = portal.client.get("/static/js/app.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_paths_outside_the_static_folder_are_not_served(portal):
    assert portal.client.get("/static/../config.py").status_code == 404
    assert portal.client.get("/static/nothing.css").status_code == 404
