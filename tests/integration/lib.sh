# Helpers shared by the integration suites. Source it; it sets -euo pipefail.
# Everything started here listens on 127.0.0.1 only and is stopped on exit.
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
ok() { echo "ok: $*"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vigil-test.XXXXXX")
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${CLEANUP_EXTRA:-}" ]; then eval "$CLEANUP_EXTRA" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Prints a TCP port on 127.0.0.1 that is free right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL [seconds]: waits until URL answers 200 (at most `seconds`).
wait_http() {
  local url=$1 limit=${2:-10} i
  for ((i = 0; i < limit * 10; i++)); do
    if curl -sf -o /dev/null "$url"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# start_exporter BIN ARGS...: starts BIN on a free loopback port; sets PORT,
# URL and EXPORTER_PID; its log goes to $WORK/exporter.log.
start_exporter() {
  local bin=$1
  shift
  PORT=$(free_port)
  URL="http://127.0.0.1:$PORT"
  "$bin" --web.listen-address="127.0.0.1:$PORT" "$@" >"$WORK/exporter.log" 2>&1 &
  EXPORTER_PID=$!
  PIDS+=("$EXPORTER_PID")
  if ! wait_http "$URL/-/healthy" 10; then
    cat "$WORK/exporter.log" >&2
    fail "$bin did not start"
  fi
}

# metric_value TEXT SERIES: prints the value of the exact series in TEXT.
metric_value() {
  awk -v s="$2" 'substr($0, 1, length(s) + 1) == s " " { print substr($0, length(s) + 2); found = 1 } END { if (!found) exit 1 }' <<<"$1"
}

# The node_health fixture flags: every path at the fixture tree.
fixture_flags() {
  local f=$FIXTURES/node_health
  echo "--path.procfs=$f/proc --path.sysfs=$f/sys --path.rootfs=$f/rootfs --path.udev.data=$f/udev/data --collector.textfile.directory=$f/textfile"
}
