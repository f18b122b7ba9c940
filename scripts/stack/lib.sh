# Shared settings and helpers for scripts/stack/up.sh and down.sh (sourced, not executed).
# shellcheck shell=bash

STACK_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

KAFKA_VERSION="${TUXWATCH_KAFKA_VERSION:-4.3.1}"
KAFKA_LOG4J_VERSION="${TUXWATCH_KAFKA_LOG4J_VERSION:-2.25.4}" # log4j-core version kafka_2.13 $KAFKA_VERSION uses
ES_VERSION="${TUXWATCH_ES_VERSION:-9.5.3}"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
ES_PORT="${ES_PORT:-9200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300-9399}"

CACHE_DIR="${TUXWATCH_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tuxwatch-stack}"
STACK_DIR="${TUXWATCH_STACK_DIR:-/tmp/tuxwatch-stack}"
LOG_DIR="$STACK_DIR/logs"
KAFKA_PID_FILE="$STACK_DIR/kafka.pid"
ES_PID_FILE="$STACK_DIR/elasticsearch.pid"
ES_USER="${TUXWATCH_ES_USER:-tuxwatch-es}"

STACK_TIMEOUT="${TUXWATCH_STACK_TIMEOUT:-180}" # seconds for both services to answer
STOP_GRACE="${TUXWATCH_STACK_STOP_GRACE:-30}"  # seconds between TERM and KILL

log() { printf '[stack] %s\n' "$*" >&2; }
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}

now_ms() { date +%s%3N; }

# pid_alive PID MARKER: true when PID runs and its command line contains MARKER (guards against reused pids)
pid_alive() {
  local pid="$1" marker="$2"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# running PIDFILE MARKER: prints the pid and succeeds when the process of PIDFILE is alive
running() {
  local file="$1" marker="$2" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  pid_alive "$pid" "$marker" || return 1
  printf '%s' "$pid"
}

# await_exec PID MARKER: a service started in the background is a fork of this shell (command line: up.sh) until
# its exec, so a liveness check right after the start can see no MARKER and report an exit that never happened (CI run
# of ba7c043: "elasticsearch exited during startup" with an empty log, then "stopping elasticsearch" on cleanup).
# Waits until PID's command line carries MARKER (0) or PID is gone (1), at most 30 s.
await_exec() {
  local pid="$1" marker="$2" i
  for ((i = 0; i < 300; i++)); do
    pid_alive "$pid" "$marker" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

KAFKA_MARKER="kafka.Kafka"
ES_MARKER="TuxwatchEs"

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# http_status URL: prints the HTTP status code (000 when nothing answers)
http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true
  else
    node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(5000)}).then(r=>console.log(r.status),()=>console.log("000"))' "$1"
  fi
}

# http_get URL: prints the body
http_get() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -m 10 "$1"
  else
    node -e 'fetch(process.argv[1]).then(r=>r.text()).then(t=>process.stdout.write(t))' "$1"
  fi
}

# java_feature JAVA_BIN: prints the feature version (17, 21, 25, ...)
java_feature() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

# Java for Kafka (17+): KAFKA_JAVA_HOME, else JAVA_HOME, else java on PATH
kafka_java() {
  local home="${KAFKA_JAVA_HOME:-${JAVA_HOME:-}}"
  if [[ -n "$home" && -x "$home/bin/java" ]]; then
    printf '%s' "$home/bin/java"
  else
    command -v java || die "no java found for Kafka (set KAFKA_JAVA_HOME)"
  fi
}

# JDK for Elasticsearch (21+): ES_JAVA_HOME, else the newest JDK >= 21 under /usr/lib/jvm
es_java_home() {
  if [[ -n "${ES_JAVA_HOME:-}" ]]; then
    [[ -x "$ES_JAVA_HOME/bin/java" ]] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java"
    printf '%s' "$ES_JAVA_HOME"
    return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [[ -x "$d/bin/java" && -x "$d/bin/javac" ]] || continue
    v="$(java_feature "$d/bin/java")"
    if [[ -n "$v" && "$v" -ge 21 && "$v" -gt "$best_v" ]]; then
      best="$d"
      best_v="$v"
    fi
  done
  [[ -n "$best" ]] || die "Elasticsearch $ES_VERSION needs a JDK 21+ (set ES_JAVA_HOME)"
  printf '%s' "$best"
}

# mvn_copy POM OUTDIR -Dprop=value...: copies the dependencies of POM into OUTDIR via the cache's local repository
mvn_copy() {
  local pom="$1" out="$2"
  shift 2
  command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
  local mlog="$CACHE_DIR/mvn-$(basename "$(dirname "$pom")").log"
  if ! mvn -B -q -Dstyle.color=never -f "$pom" -Dmaven.repo.local="$CACHE_DIR/m2" "$@" \
    "$DEPENDENCY_PLUGIN:copy-dependencies" -DoutputDirectory="$out" -DincludeScope=runtime >"$mlog" 2>&1; then
    tail -n 40 "$mlog" >&2
    die "maven could not fetch $(basename "$(dirname "$pom")") (log: $mlog)"
  fi
}

# tail_logs FILE...: prints the last lines of each log to stderr
tail_logs() {
  local f
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    printf '\n----- last lines of %s -----\n' "$f" >&2
    tail -n "${TUXWATCH_STACK_TAIL:-40}" "$f" >&2
  done
}

# stop_pid PIDFILE MARKER NAME: TERM, wait up to STOP_GRACE seconds, then KILL; removes the pid file
stop_pid() {
  local file="$1" marker="$2" name="$3" pid i
  if ! pid="$(running "$file" "$marker")"; then
    rm -f "$file"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_GRACE * 10; i++)); do
    pid_alive "$pid" "$marker" || break
    sleep 0.1
  done
  if pid_alive "$pid" "$marker"; then
    log "$name did not stop within ${STOP_GRACE}s, killing"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid" "$marker" || break
      sleep 0.1
    done
  fi
  rm -f "$file"
}
