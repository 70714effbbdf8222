#!/usr/bin/env bash
# Start the action server, the web app and the Rasa server; stop all on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p var
export LEADLINE_ACTION_URL="${LEADLINE_ACTION_URL:-http://127.0.0.1:${LEADLINE_ACTION_PORT:-5055}/webhook}"
export LEADLINE_TRACKER_URL="${LEADLINE_TRACKER_URL:-sqlite:///$PWD/var/tracker.db}"
rasa_port="${LEADLINE_RASA_PORT:-5005}"
action_port="${LEADLINE_ACTION_PORT:-5055}"
web_port="${LEADLINE_WEB_PORT:-8080}"
export LEADLINE_PUBLIC_URL="${LEADLINE_PUBLIC_URL:-http://127.0.0.1:$web_port}"

# The HTTP API is on, so it is protected by a token kept in var/.
if [[ -z "${LEADLINE_API_TOKEN:-}" ]]; then
  [[ -s var/api-token ]] || .venvs/app/bin/python -c "import secrets; print(secrets.token_urlsafe(24))" > var/api-token
  LEADLINE_API_TOKEN="$(cat var/api-token)"
fi
export LEADLINE_API_TOKEN
export LEADLINE_RASA_URL="${LEADLINE_RASA_URL:-http://127.0.0.1:$rasa_port}"

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

SANIC_HOST=127.0.0.1 .venvs/app/bin/python -m rasa_sdk --actions bot.actions --port "$action_port" &
pids+=($!)
LEADLINE_WEB_PORT="$web_port" .venvs/app/bin/python -m bot.web &
pids+=($!)
.venvs/rasa/bin/rasa run --model models/leadline.tar.gz --enable-api --auth-token "$LEADLINE_API_TOKEN" \
  --interface 127.0.0.1 --port "$rasa_port" --endpoints endpoints.yml --credentials credentials.yml &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$rasa_port/status?token=$LEADLINE_API_TOKEN" >/dev/null 2>&1; then
    cat <<MSG

Leadline is running.
  Try the widget:           http://127.0.0.1:$web_port/demo
  Sales console:            http://127.0.0.1:$web_port/console
                            (first create a user: .venvs/app/bin/python -m qualifier create-user --email you@example.com --admin)
  Chat in this terminal:    make chat          (in a second terminal)
  Chat over HTTP:           curl -s -XPOST http://127.0.0.1:$rasa_port/webhooks/rest_meta/webhook \\
                              -d '{"sender": "me", "message": "hi", "metadata": {"page_url": "https://example.com/pricing"}}'
  HTTP API token:           var/api-token
  Leads:                    ${LEADLINE_DATABASE_URL:-sqlite:///$PWD/var/leads.db}
  Transcripts:              $LEADLINE_TRACKER_URL
Press Ctrl+C to stop.
MSG
    break
  fi
  sleep 1
done
wait -n "${pids[@]}"
