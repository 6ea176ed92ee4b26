# NEXI Webサービス — the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NEXI_PORT ?= 8000
export NEXI_PORT

.PHONY: run test sysdeps bench bench-scales wrk lint

# Python packages, from pyproject.toml (reinstalled only when it changes).
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Debian packages the tests need: Chromium with a Japanese font, Java for the HTML checker,
# PostgreSQL for the second CI pass, wrk for the bench's own tests (tests/bench). Installed only when missing.
sysdeps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list :lang=ja 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Test-only tools from npm (axe-core, the Nu HTML checker); never served.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The demo server and the bench's own set-up (dataset, migrations) run as development; the bench
# serves the portal as production (bench/server.py). The app refuses to start without NEXI_ENV.
run bench bench-scales: export NEXI_ENV ?= development

run: $(STAMP)
	$(BIN)/flask --app nexi db-upgrade
	$(BIN)/flask --app nexi seed-demo
	@echo
	@echo "NEXI Webサービス: http://127.0.0.1:$(NEXI_PORT)/"
	@echo "デモアカウント（パスワードはすべて DemoPass#2026）:"
	@echo "  demo-admin   管理者  株式会社サンプル精機"
	@echo "  demo-user    一般    株式会社サンプル精機"
	@echo "  demo-otp     一般    株式会社サンプル精機（ワンタイムパスワード: TOTP秘密鍵 JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP）"
	@echo "  other-admin  管理者  東和トレーディング株式会社"
	@echo "NEXI職員コンソール: http://127.0.0.1:$(NEXI_PORT)/staff/login"
	@echo "  demo-reviewer  審査担当（TOTP秘密鍵 NEXIREVIEWERDEMONEXIREVIEWERDEMO）"
	@echo "  demo-manager   管理担当（TOTP秘密鍵 NEXIMANAGERDEMOSNEXIMANAGERDEMOS）"
	@echo
	exec $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: $(STAMP) sysdeps node_modules/.installed
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check nexi tests bench
	$(BIN)/ruff format --check nexi tests bench

# The benchmark (not part of `make test`): see bench/__main__.py for its settings, and
# bench/scales.py for both scales measured side by side.
# NEXI_BENCH_DB=postgresql runs them on a throwaway PostgreSQL server started for the purpose.
BENCH_SERVER = $(if $(filter postgresql,$(NEXI_BENCH_DB)),scripts/with-postgres)

bench: $(STAMP) wrk
	$(BENCH_SERVER) $(BIN)/python -m bench

bench-scales: $(STAMP) wrk
	$(BENCH_SERVER) $(BIN)/python -m bench.scales

wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
