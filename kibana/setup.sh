#!/bin/sh
# Imports the tuxwatch data view, saved searches and dashboard (tuxwatch-saved-objects.ndjson) into Kibana.
#
#   sh kibana/setup.sh                                   # Kibana on http://127.0.0.1:5601
#   KIBANA_URL=http://kibana:5601 sh kibana/setup.sh     # what the compose service `kibana-setup` runs
#
# Waits until Kibana's /api/status reports the overall level "available", then POSTs the file to
# /api/saved_objects/_import?overwrite=true. The objects have fixed ids, so running it again replaces them
# (idempotent). Exits non-zero, saying why, when Kibana never becomes available, when the import answers
# anything but HTTP 200 with "success":true and no errors, or when fewer objects were imported than the
# file holds. Needs only a POSIX sh and curl.
#
# Environment (all optional):
#   KIBANA_URL                  base URL                                  http://127.0.0.1:5601
#   KIBANA_SPACE                Kibana space to import into                the default space
#   KIBANA_API_KEY              API key (sent as "Authorization: ApiKey …") none
#   KIBANA_USERNAME, KIBANA_PASSWORD  basic auth (when no API key)        none
#   KIBANA_SAVED_OBJECTS        NDJSON file to import                     next to this script
#   KIBANA_SETUP_TIMEOUT        seconds to wait for Kibana                 300
#   KIBANA_SETUP_INTERVAL       seconds between status checks             5

set -eu

KIBANA_URL=${KIBANA_URL:-http://127.0.0.1:5601}
KIBANA_URL=${KIBANA_URL%/}
KIBANA_SPACE=${KIBANA_SPACE:-}
KIBANA_API_KEY=${KIBANA_API_KEY:-}
KIBANA_USERNAME=${KIBANA_USERNAME:-}
KIBANA_PASSWORD=${KIBANA_PASSWORD:-}
KIBANA_SAVED_OBJECTS=${KIBANA_SAVED_OBJECTS:-$(dirname "$0")/tuxwatch-saved-objects.ndjson}
KIBANA_SETUP_TIMEOUT=${KIBANA_SETUP_TIMEOUT:-300}
KIBANA_SETUP_INTERVAL=${KIBANA_SETUP_INTERVAL:-5}

log() { printf 'kibana-setup: %s\n' "$*"; }
fail() {
  printf 'kibana-setup: ERROR: %s\n' "$*" >&2
  exit 1
}

case $KIBANA_SETUP_TIMEOUT in '' | *[!0-9]*) fail "KIBANA_SETUP_TIMEOUT must be whole seconds, got '$KIBANA_SETUP_TIMEOUT'" ;; esac
case $KIBANA_SETUP_INTERVAL in '' | 0 | *[!0-9]*) fail "KIBANA_SETUP_INTERVAL must be whole seconds > 0, got '$KIBANA_SETUP_INTERVAL'" ;; esac
[ -r "$KIBANA_SAVED_OBJECTS" ] || fail "cannot read $KIBANA_SAVED_OBJECTS"
command -v curl >/dev/null 2>&1 || fail "curl not found"

# curl with the optional credentials; every other argument is passed through
kibana_curl() {
  if [ -n "$KIBANA_API_KEY" ]; then
    curl -sS --max-time 60 -H "Authorization: ApiKey $KIBANA_API_KEY" "$@"
  elif [ -n "$KIBANA_USERNAME" ]; then
    curl -sS --max-time 60 -u "$KIBANA_USERNAME:$KIBANA_PASSWORD" "$@"
  else
    curl -sS --max-time 60 "$@"
  fi
}

# JSON without whitespace, so that matching does not depend on how Kibana formats it
compact() { printf '%s' "$1" | tr -d ' \t\r\n'; }

# --- 1. wait for Kibana -------------------------------------------------------------------------------
log "waiting for Kibana at $KIBANA_URL (up to ${KIBANA_SETUP_TIMEOUT}s)"
waited=0
while :; do
  status=$(kibana_curl "$KIBANA_URL/api/status" 2>/dev/null) || status=''
  if compact "$status" | grep -q '"overall":{[^{}]*"level":"available"'; then
    break
  fi
  if [ "$waited" -ge "$KIBANA_SETUP_TIMEOUT" ]; then
    level=$(compact "$status" | sed -n 's/.*"overall":{[^{}]*"level":"\([a-z_]*\)".*/\1/p')
    fail "Kibana at $KIBANA_URL did not report \"available\" within ${KIBANA_SETUP_TIMEOUT}s (last overall level: ${level:-no answer})"
  fi
  sleep "$KIBANA_SETUP_INTERVAL"
  waited=$((waited + KIBANA_SETUP_INTERVAL))
done
log "Kibana is available"

# --- 2. import ----------------------------------------------------------------------------------------
space_path=''
[ -z "$KIBANA_SPACE" ] || space_path="/s/$KIBANA_SPACE"
expected=$(grep -c '[^[:space:]]' "$KIBANA_SAVED_OBJECTS") || fail "$KIBANA_SAVED_OBJECTS holds no saved objects"

# body, then the HTTP status on a line of its own
answer=$(kibana_curl -X POST "$KIBANA_URL$space_path/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: true' \
  --form "file=@$KIBANA_SAVED_OBJECTS;type=application/x-ndjson" \
  -w '\n%{http_code}') || fail "import request to $KIBANA_URL failed (curl exit $?)"
code=$(printf '%s\n' "$answer" | tail -n 1)
body=$(printf '%s\n' "$answer" | sed '$d')
flat=$(compact "$body")

[ "$code" = 200 ] || fail "import answered HTTP $code: $body"
case $flat in *'"success":true'*) ;; *) fail "import did not succeed: $body" ;; esac
case $flat in *'"errors":[{'*) fail "import reported errors: $body" ;; esac
imported=$(printf '%s' "$flat" | sed -n 's/.*"successCount":\([0-9][0-9]*\).*/\1/p')
[ "$imported" = "$expected" ] ||
  fail "imported ${imported:-no} objects, but $KIBANA_SAVED_OBJECTS holds $expected: $body"
case $flat in *'"warnings":[{'*) log "import warnings: $body" ;; esac

log "imported $imported saved objects into $KIBANA_URL$space_path (overwrite=true):" \
  "data view \"tuxwatch alerts\" (tuxwatch-alerts-*), dashboard \"tuxwatch — overview\""
