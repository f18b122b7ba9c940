#!/bin/sh
# Imports the tuxwatch data views, saved searches and dashboard (tuxwatch-saved-objects.ndjson) into Kibana.
#
#   sh kibana/setup.sh                                   # Kibana on http://127.0.0.1:5601
#   KIBANA_URL=http://kibana:5601 sh kibana/setup.sh     # what the compose service `kibana-setup` runs
#
# Waits until Kibana can import: its core services `elasticsearch` and `savedObjects` report the level
# "available" in /api/status (a plugin stuck "degraded" does not matter to an import; an answer without the
# core services — the redacted one Kibana gives an unauthenticated caller — counts when its overall level is
# "available" or "degraded"). Then POSTs the file to /api/saved_objects/_import?overwrite=true.
# The objects have fixed ids, so running it again replaces them (idempotent). Ids are unique across spaces in
# Kibana 8+, so in a space other than the default one every id gets the suffix `--<space>`: each space keeps
# its own fixed ids instead of Kibana giving the copy random ones.
# Exits non-zero, saying why, when Kibana is not ready within KIBANA_SETUP_TIMEOUT seconds of wall-clock time
# (a status request that hangs counts too), when the import answers anything but HTTP 200 with
# "success":true and no errors, or when fewer objects were imported than the file holds. Needs only a POSIX
# sh, sed and curl.
#
# Environment (all optional):
#   KIBANA_URL                  base URL                                  http://127.0.0.1:5601
#   KIBANA_SPACE                Kibana space to import into (a space id)   the default space
#   KIBANA_API_KEY              API key (sent as "Authorization: ApiKey …") none
#   KIBANA_USERNAME, KIBANA_PASSWORD  basic auth (when no API key)        none
#   KIBANA_SAVED_OBJECTS        NDJSON file to import                     next to this script
#   KIBANA_SETUP_TIMEOUT        seconds to wait for Kibana, in all         300
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
case $KIBANA_SPACE in *[!a-z0-9_-]*) fail "KIBANA_SPACE must be a space id (a-z, 0-9, _ and -), got '$KIBANA_SPACE'" ;; esac
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
# The level of one status entry ("elasticsearch", "savedObjects" or "overall") in a compacted /api/status
# answer; Kibana writes `level` before any nested object of the entry.
level_of() { printf '%s' "$1" | sed -n "s/.*\"$2\":{[^{}]*\"level\":\"\([a-z_]*\)\".*/\1/p"; }

# Ready for an import: both core services available; or, in a redacted answer, overall available/degraded.
ready() {
  es=$(level_of "$1" elasticsearch)
  so=$(level_of "$1" savedObjects)
  if [ -n "$es$so" ]; then
    [ "$es" = available ] && [ "$so" = available ]
  else
    case $(level_of "$1" overall) in available | degraded) true ;; *) false ;; esac
  fi
}

# The deadline is wall-clock time: each status request gets at most what is left of it (and 10 s)
now() { date +%s; }
deadline=$(($(now) + KIBANA_SETUP_TIMEOUT))
log "waiting for Kibana at $KIBANA_URL (up to ${KIBANA_SETUP_TIMEOUT}s)"
status=''
while :; do
  left=$((deadline - $(now)))
  if [ "$left" -gt 0 ]; then
    call=$((left < 10 ? left : 10))
    status=$(kibana_curl --connect-timeout "$call" --max-time "$call" "$KIBANA_URL/api/status" 2>/dev/null) || status=''
    flat_status=$(compact "$status")
    ready "$flat_status" && break
  fi
  left=$((deadline - $(now)))
  if [ "$left" -le 0 ]; then
    flat_status=$(compact "$status")
    seen="overall: $(level_of "$flat_status" overall), elasticsearch: $(level_of "$flat_status" elasticsearch), savedObjects: $(level_of "$flat_status" savedObjects)"
    [ -n "$flat_status" ] || seen='no answer'
    fail "Kibana at $KIBANA_URL was not ready to import within ${KIBANA_SETUP_TIMEOUT}s (last status: $seen)"
  fi
  sleep "$((left < KIBANA_SETUP_INTERVAL ? left : KIBANA_SETUP_INTERVAL))"
done
log "Kibana is ready (elasticsearch: ${es:-?}, savedObjects: ${so:-?}, overall: $(level_of "$flat_status" overall))"

# --- 2. import ----------------------------------------------------------------------------------------
space_path=''
suffix=''
if [ -n "$KIBANA_SPACE" ] && [ "$KIBANA_SPACE" != default ]; then
  space_path="/s/$KIBANA_SPACE"
  suffix="--$KIBANA_SPACE"
fi
expected=$(grep -c '[^[:space:]]' "$KIBANA_SAVED_OBJECTS") || fail "$KIBANA_SAVED_OBJECTS holds no saved objects"

# The file's ids (all `tuxwatch-…`), as ids and as references, also inside the dashboard's JSON strings,
# with the space's suffix; streamed to curl, since the compose service's file system is read-only.
objects() { sed 's/\(\\\{0,1\}"id\\\{0,1\}":\\\{0,1\}"tuxwatch-[a-z0-9-]*\)/\1'"$suffix"'/g' "$KIBANA_SAVED_OBJECTS"; }

# body, then the HTTP status on a line of its own
answer=$(objects | kibana_curl --max-time 60 -X POST "$KIBANA_URL$space_path/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: true' \
  --form "file=@-;filename=tuxwatch-saved-objects.ndjson;type=application/x-ndjson" \
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
# Kibana gives an object a new id (destinationId) when its id is taken in another space
case $flat in *'"destinationId"'*) log "WARNING: Kibana gave some objects new ids (destinationId; the ids are taken in another space): $body" ;; esac

log "imported $imported saved objects into $KIBANA_URL$space_path (overwrite=true); dashboard:" \
  "$KIBANA_URL$space_path/app/dashboards#/view/tuxwatch-overview$suffix"
