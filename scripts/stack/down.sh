#!/usr/bin/env bash
# Stop the local Kafka and Elasticsearch started by scripts/stack/up.sh (TERM, then KILL after a grace period).
# Idempotent: nothing running is not an error. Data and logs stay under $TUXWATCH_STACK_DIR until the next up.
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ! -d "$STACK_DIR" ]]; then
  log "not running (no $STACK_DIR)"
  exit 0
fi
exec 9>"$STACK_DIR/.lock"
flock -w 600 9 || die "another stack:up/down holds $STACK_DIR/.lock"

any=0
for svc in elasticsearch kafka; do
  if [[ "$svc" == kafka ]]; then file="$KAFKA_PID_FILE" marker="$KAFKA_MARKER"; else file="$ES_PID_FILE" marker="$ES_MARKER"; fi
  if running "$file" "$marker" >/dev/null; then
    any=1
    # stop both at once: each gets its own grace period
    stop_pid "$file" "$marker" "$svc" &
  else
    rm -f "$file"
  fi
done
wait
rm -f "$STACK_DIR/env"
if [[ "$any" == 1 ]]; then log "stopped"; else log "not running"; fi
