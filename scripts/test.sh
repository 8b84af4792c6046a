#!/usr/bin/env bash
# Runs the whole test suite on SQLite, and on PostgreSQL too when ENGAGEBOT_TEST_DATABASE_URL
# names one (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test). Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/browser.sh
exec .venv/bin/python -m pytest "$@"
