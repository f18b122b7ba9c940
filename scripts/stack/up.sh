#!/usr/bin/env bash
# Start a local single-node Kafka (KRaft) and Elasticsearch without Docker; return once both answer.
# See scripts/stack/README.md. Idempotent: services already running (by pid file) are left as they are.
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$CACHE_DIR" "$STACK_DIR" "$LOG_DIR"
chmod 755 "$STACK_DIR" 2>/dev/null || true
exec 9>"$STACK_DIR/.lock"
flock -w 600 9 || die "another stack:up/down holds $STACK_DIR/.lock"

T_START="$(now_ms)"
ES_JAVA_HOME_RESOLVED="$(es_java_home)"
ES_JAVA="$ES_JAVA_HOME_RESOLVED/bin/java"
JAVAC="$ES_JAVA_HOME_RESOLVED/bin/javac"
KAFKA_JAVA="$(kafka_java)"
[[ "$(java_feature "$KAFKA_JAVA")" -ge 17 ]] || die "Kafka $KAFKA_VERSION needs Java 17+ ($KAFKA_JAVA); set KAFKA_JAVA_HOME"

src_hash() { sha256sum "$1" | cut -c1-12; }

# ---------------------------------------------------------------------------------------------- fetch (cached)
KAFKA_CACHE="$CACHE_DIR/kafka-$KAFKA_VERSION"
ES_CACHE="$CACHE_DIR/elasticsearch-$ES_VERSION"

fetch_kafka() {
  [[ -f "$KAFKA_CACHE/.complete" ]] && return 0
  log "fetching Kafka $KAFKA_VERSION (kafka_2.13 + log4j-slf4j-impl $KAFKA_LOG4J_VERSION) from Maven Central"
  local tmp="$KAFKA_CACHE.tmp.$$"
  rm -rf "$tmp"
  mvn_copy "$STACK_SRC/kafka/pom.xml" "$tmp/lib" -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$KAFKA_LOG4J_VERSION"
  ls "$tmp/lib"/kafka_2.13-*.jar >/dev/null 2>&1 || die "kafka_2.13 jar missing after fetch"
  # the SLF4J binding must match the log4j-core Kafka brings along
  local core
  core="$(cd "$tmp/lib" && ls log4j-core-*.jar | sed 's/^log4j-core-\(.*\)\.jar$/\1/')"
  [[ "$core" == "$KAFKA_LOG4J_VERSION" ]] ||
    die "kafka $KAFKA_VERSION uses log4j-core $core: set TUXWATCH_KAFKA_LOG4J_VERSION=$core (and the default in lib.sh)"
  rm -rf "$KAFKA_CACHE"
  mv "$tmp" "$KAFKA_CACHE"
  touch "$KAFKA_CACHE/.complete"
}

fetch_es() {
  [[ -f "$ES_CACHE/.complete" ]] && return 0
  log "fetching Elasticsearch $ES_VERSION (server + transport-netty4) from Maven Central"
  local tmp="$ES_CACHE.tmp.$$" jar name mod
  rm -rf "$tmp"
  mvn_copy "$STACK_SRC/elasticsearch/pom.xml" "$tmp/jars" -Des.version="$ES_VERSION"
  mod="$tmp/modules/transport-netty4"
  mkdir -p "$tmp/lib" "$mod"
  for jar in "$tmp/jars"/*.jar; do
    name="$(basename "$jar")"
    case "$name" in
      # the module's own jars live in its bundle directory, like in the distribution
      transport-netty4-* | netty-* | elasticsearch-ssl-config-*) mv "$jar" "$mod/" ;;
      *) mv "$jar" "$tmp/lib/" ;;
    esac
  done
  rmdir "$tmp/jars"
  # the bundle descriptor (and entitlement policy) ship inside the module jar
  mkdir -p "$tmp/jars.x"
  (cd "$tmp/jars.x" && "$ES_JAVA_HOME_RESOLVED/bin/jar" xf "$mod"/transport-netty4-*.jar META-INF/es-plugins/transport-netty4)
  cp "$tmp/jars.x/META-INF/es-plugins/transport-netty4/"* "$mod/"
  rm -rf "$tmp/jars.x"
  [[ -f "$mod/plugin-descriptor.properties" ]] || die "transport-netty4 plugin descriptor missing"
  rm -rf "$ES_CACHE"
  mv "$tmp" "$ES_CACHE"
  touch "$ES_CACHE/.complete"
}

# compiled helpers, keyed by source hash (they change with this repo, not with the downloads)
KAFKA_TOOLS="$KAFKA_CACHE/tools-$(src_hash "$STACK_SRC/kafka/KafkaReady.java")"
ES_LAUNCHER="$ES_CACHE/launcher-$(src_hash "$STACK_SRC/elasticsearch/TuxwatchEs.java")"

compile_helpers() {
  if [[ ! -f "$KAFKA_TOOLS/KafkaReady.class" ]]; then
    rm -rf "$KAFKA_TOOLS.tmp" && mkdir -p "$KAFKA_TOOLS.tmp"
    "$JAVAC" --release 17 -nowarn -cp "$KAFKA_CACHE/lib/*" -d "$KAFKA_TOOLS.tmp" "$STACK_SRC/kafka/KafkaReady.java"
    rm -rf "$KAFKA_TOOLS" && mv "$KAFKA_TOOLS.tmp" "$KAFKA_TOOLS"
  fi
  if [[ ! -f "$ES_LAUNCHER/TuxwatchEs.class" ]]; then
    rm -rf "$ES_LAUNCHER.tmp" && mkdir -p "$ES_LAUNCHER.tmp"
    "$JAVAC" -nowarn -p "$ES_CACHE/lib" --add-modules=ALL-MODULE-PATH -d "$ES_LAUNCHER.tmp" \
      "$STACK_SRC/elasticsearch/TuxwatchEs.java"
    rm -rf "$ES_LAUNCHER" && mv "$ES_LAUNCHER.tmp" "$ES_LAUNCHER"
  fi
}

T_FETCH0="$(now_ms)"
fetch_kafka
fetch_es
compile_helpers
T_FETCH1="$(now_ms)"

# ---------------------------------------------------------------------------------------------------- start
STARTED=() # services started by this invocation (stopped again if up fails)

KAFKA_DIR="$STACK_DIR/kafka"
KAFKA_LOG="$LOG_DIR/kafka.log"
KAFKA_LOG4J="$STACK_SRC/kafka/log4j2.properties"

format_kafka() {
  local cid
  cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  cid="A${cid:1}" # never starts with '-'
  if ! "$KAFKA_JAVA" -Xmx256m -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dtuxwatch.kafka.log.level=WARN \
    -cp "$KAFKA_CACHE/lib/*" kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_DIR/server.properties" \
    >"$LOG_DIR/kafka-format.log" 2>&1; then
    tail_logs "$LOG_DIR/kafka-format.log"
    die "formatting Kafka storage failed"
  fi
}

start_kafka() {
  local pid
  if pid="$(running "$KAFKA_PID_FILE" "$KAFKA_MARKER")"; then
    log "kafka already running (pid $pid)"
    return 0
  fi
  if [[ "${TUXWATCH_STACK_KEEP_DATA:-0}" != "1" ]]; then rm -rf "$KAFKA_DIR"; fi
  mkdir -p "$KAFKA_DIR/data" "$KAFKA_DIR/logs"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_DATA_DIR@|$KAFKA_DIR/data|g" "$STACK_SRC/kafka/server.properties.template" >"$KAFKA_DIR/server.properties"
  if [[ -f "$KAFKA_DIR/data/meta.properties" ]]; then
    log "kafka: keeping the existing data in $KAFKA_DIR/data"
  else
    format_kafka
  fi
  # shellcheck disable=SC2086
  (cd "$KAFKA_DIR" && exec setsid "$KAFKA_JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Dlog4j2.configurationFile="$KAFKA_LOG4J" \
    -Dkafka.logs.dir="$KAFKA_DIR/logs" -cp "$KAFKA_CACHE/lib/*" kafka.Kafka "$KAFKA_DIR/server.properties") \
    >"$KAFKA_LOG" 2>&1 </dev/null 9>&- &
  local started=$!
  echo "$started" >"$KAFKA_PID_FILE"
  STARTED+=(kafka)
  log "kafka $KAFKA_VERSION starting (pid $started) on 127.0.0.1:$KAFKA_PORT, controller :$KAFKA_CONTROLLER_PORT"
  await_exec "$started" "$KAFKA_MARKER" || true # when it is gone, the readiness loop reports it with the log
}

ES_DIR="$STACK_DIR/elasticsearch"
ES_LOG="$LOG_DIR/elasticsearch.log"

ensure_es_user() {
  id -u "$ES_USER" >/dev/null 2>&1 && return 0
  log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER" ||
    id -u "$ES_USER" >/dev/null 2>&1 || die "could not create user $ES_USER"
}

start_es() {
  local pid
  if pid="$(running "$ES_PID_FILE" "$ES_MARKER")"; then
    log "elasticsearch already running (pid $pid)"
    return 0
  fi
  if [[ "${TUXWATCH_STACK_KEEP_DATA:-0}" != "1" ]]; then rm -rf "$ES_DIR"; fi
  local home="$ES_DIR/home"
  rm -rf "$home"
  mkdir -p "$home/config" "$home/plugins" "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/tmp"
  # the jars are shared read-only with the cache (hard links when on the same file system)
  cp -al "$ES_CACHE/lib" "$ES_CACHE/modules" "$home/" 2>/dev/null || {
    rm -rf "$home/lib" "$home/modules"
    cp -a "$ES_CACHE/lib" "$ES_CACHE/modules" "$home/"
  }
  cp -a "$ES_LAUNCHER" "$home/launcher"
  cp "$STACK_SRC/elasticsearch/log4j2.properties" "$home/config/"
  : >"$home/config/elasticsearch.yml"
  chmod -R a+rX "$home"

  local prefix=()
  if [[ "$(id -u)" == "0" ]]; then
    ensure_es_user
    chown -R "$ES_USER:$ES_USER" "$home/config" "$home/plugins" "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/tmp"
    chown "$ES_USER:$ES_USER" "$ES_DIR"
    prefix=(setpriv --reuid="$ES_USER" --regid="$ES_USER" --clear-groups --)
  fi
  # shellcheck disable=SC2086
  (cd "$ES_DIR" && HOME="$ES_DIR" ES_JAVA_HOME="$ES_JAVA_HOME_RESOLVED" exec setsid "${prefix[@]}" "$ES_JAVA" \
    ${ES_JAVA_OPTS:--Xms512m -Xmx512m} -Xss1m -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djava.locale.providers=CLDR \
    -Des.networkaddress.cache.ttl=60 -Des.networkaddress.cache.negative.ttl=10 \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true \
    --enable-native-access=org.elasticsearch.nativeaccess,org.elasticsearch.foreign,org.apache.lucene.core \
    -Djava.io.tmpdir="$ES_DIR/tmp" -Des.path.home="$home" -Des.path.conf="$home/config" \
    -p "$home/lib" --add-modules=ALL-MODULE-PATH -cp "$home/launcher" TuxwatchEs \
    -E node.name=tuxwatch-es -E cluster.name=tuxwatch-local -E discovery.type=single-node \
    -E network.host=127.0.0.1 -E http.port="$ES_PORT" -E transport.port="$ES_TRANSPORT_PORT" \
    -E path.data="$ES_DIR/data" -E path.logs="$ES_DIR/logs" \
    -E cluster.routing.allocation.disk.threshold_enabled=false -E action.destructive_requires_name=false) \
    >"$ES_LOG" 2>&1 </dev/null 9>&- &
  local started=$!
  echo "$started" >"$ES_PID_FILE"
  STARTED+=(elasticsearch)
  local as_user
  as_user="$(id -un)"
  [[ ${#prefix[@]} -gt 0 ]] && as_user="$ES_USER"
  log "elasticsearch $ES_VERSION starting (pid $started) on http://127.0.0.1:$ES_PORT as $as_user"
  await_exec "$started" "$ES_MARKER" || true # when it is gone, the readiness loop reports it with the log
}

# fail MESSAGE: logs, shows the tails of the logs and exits 1 (the EXIT trap stops what was started)
fail() {
  log "$*"
  tail_logs "$KAFKA_LOG" "$LOG_DIR/kafka-ready.log" "$ES_LOG"
  exit 1
}

# ports of services that are not running yet must be free (checked before starting anything)
if ! running "$KAFKA_PID_FILE" "$KAFKA_MARKER" >/dev/null; then
  port_open "$KAFKA_PORT" && die "127.0.0.1:$KAFKA_PORT is in use by a process this stack did not start (KAFKA_PORT)"
  port_open "$KAFKA_CONTROLLER_PORT" &&
    die "127.0.0.1:$KAFKA_CONTROLLER_PORT is in use by a process this stack did not start (KAFKA_CONTROLLER_PORT)"
fi
if ! running "$ES_PID_FILE" "$ES_MARKER" >/dev/null; then
  port_open "$ES_PORT" && die "127.0.0.1:$ES_PORT is in use by a process this stack did not start (ES_PORT)"
fi

# whatever goes wrong from here on: stop what this invocation started
cleanup_on_failure() {
  local rc=$? s
  ((rc == 0)) && return 0
  for s in "${STARTED[@]}"; do
    case "$s" in
      kafka) stop_pid "$KAFKA_PID_FILE" "$KAFKA_MARKER" kafka ;;
      elasticsearch) stop_pid "$ES_PID_FILE" "$ES_MARKER" elasticsearch ;;
    esac
  done
  return "$rc"
}
trap cleanup_on_failure EXIT

T_START0="$(now_ms)"
start_kafka
start_es

# ---------------------------------------------------------------------------------------------------- ready?
DEADLINE=$(($(date +%s) + STACK_TIMEOUT))

# Kafka: an Admin call (describeCluster + listTopics) through kafka-clients, retried until the deadline
"$KAFKA_JAVA" -Xmx128m -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dtuxwatch.kafka.log.level=ERROR \
  -cp "$KAFKA_CACHE/lib/*:$KAFKA_TOOLS" KafkaReady "127.0.0.1:$KAFKA_PORT" "$STACK_TIMEOUT" \
  >"$LOG_DIR/kafka-ready.log" 2>&1 9>&- &
READY_PID=$!

ES_UP=0
while (($(date +%s) < DEADLINE)); do
  if ! running "$ES_PID_FILE" "$ES_MARKER" >/dev/null; then
    kill "$READY_PID" 2>/dev/null || true
    fail "elasticsearch exited during startup"
  fi
  if ! running "$KAFKA_PID_FILE" "$KAFKA_MARKER" >/dev/null; then
    kill "$READY_PID" 2>/dev/null || true
    fail "kafka exited during startup"
  fi
  if [[ "$(http_status "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s")" == "200" ]]; then
    ES_UP=1
    break
  fi
  sleep 0.5
done
T_ES="$(now_ms)"
[[ "$ES_UP" == "1" ]] || {
  kill "$READY_PID" 2>/dev/null || true
  fail "elasticsearch did not reach yellow within ${STACK_TIMEOUT}s"
}

while kill -0 "$READY_PID" 2>/dev/null; do
  if ! running "$KAFKA_PID_FILE" "$KAFKA_MARKER" >/dev/null; then
    kill "$READY_PID" 2>/dev/null || true
    fail "kafka exited during startup"
  fi
  sleep 0.2
done
wait "$READY_PID" || fail "kafka did not answer an admin request within ${STACK_TIMEOUT}s"
T_KAFKA="$(now_ms)"

MODULES="$(http_get "http://127.0.0.1:$ES_PORT/_nodes/plugins?filter_path=nodes.*.modules.name" |
  grep -o '"name":"[^"]*"' | cut -d'"' -f4 | paste -sd, - || true)"

cat >"$STACK_DIR/env" <<EOF
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT
EOF

log "ready: KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT"
log "kafka $KAFKA_VERSION ($(tail -n1 "$LOG_DIR/kafka-ready.log")), elasticsearch $ES_VERSION (modules: ${MODULES:-?})"
log "timings: fetch+compile $((T_FETCH1 - T_FETCH0)) ms, elasticsearch yellow after $((T_ES - T_START0)) ms," \
  "kafka ready after $((T_KAFKA - T_START0)) ms, total $((T_KAFKA - T_START)) ms; logs in $LOG_DIR"
