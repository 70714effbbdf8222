#!/usr/bin/env bash
# Every test suite, in order from fastest to slowest; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

app=.venvs/app/bin/python
rasa=.venvs/rasa/bin/rasa
export LEADLINE_TEST_POSTGRES_URL="${LEADLINE_TEST_POSTGRES_URL:-postgresql+psycopg2://root@127.0.0.1:5432/test}"

echo "==> Lint (ruff) and types (mypy --strict on qualifier/)"
.venvs/app/bin/ruff check .
.venvs/app/bin/ruff format --check .
.venvs/app/bin/mypy qualifier

echo "==> Unit, action and web tests (hand-built trackers, aiohttp test client)"
"$app" -m pytest tests -m "not integration and not browser"

echo "==> Browser tests: the widget in Debian's Chromium"
scripts/install-browser.sh
"$app" -m pytest tests -m "browser and not integration"

echo "==> rasa data validate"
"$rasa" data validate --quiet

echo "==> Training (skipped when nothing changed)"
"$rasa" train --fixed-model-name leadline --out models

echo "==> rasa test on the test stories"
"$rasa" test core --model models/leadline.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results --quiet

echo "==> Integration: the trained assistant over HTTP, and end to end in the browser"
"$app" -m pytest tests/integration -m integration
