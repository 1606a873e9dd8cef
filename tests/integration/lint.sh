#!/usr/bin/env bash
# promtool check metrics on node_health's output, on the fixture tree and on
# this machine: it must parse, and lint clean except for the node_exporter
# names the lint rejects by design, listed with their reasons in
# tests/integration/lint_allowed.txt.
# Usage: lint.sh NODE_HEALTH_BIN
source "$(dirname "$0")/lib.sh"
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
grep -Ev '^\s*(#|$)' "$here/lint_allowed.txt" >"$WORK/allowed"

check() {
  local what=$1 file=$2 code=0
  "$PROMTOOL" check metrics <"$file" >"$WORK/lint.out" 2>&1 || code=$?
  # promtool exits 1 when it cannot parse the text, 3 for lint findings.
  if [ "$code" != 0 ] && [ "$code" != 3 ]; then
    cat "$WORK/lint.out" >&2
    fail "$what: promtool could not parse the output (exit $code)"
  fi
  if grep -vEf "$WORK/allowed" "$WORK/lint.out" >"$WORK/unexpected"; then
    cat "$WORK/unexpected" >&2
    fail "$what: lint findings not in lint_allowed.txt"
  fi
  ok "$what: parses; $(wc -l <"$WORK/lint.out") findings, all allowed node_exporter names"
}

# shellcheck disable=SC2046
start_exporter "$bin" $(fixture_flags) --collector.stat.softirq
curl -sf "$URL/metrics" >"$WORK/fixture.prom"
check "fixture scrape" "$WORK/fixture.prom"
kill "$EXPORTER_PID"
wait "$EXPORTER_PID" || true

start_exporter "$bin"
curl -sf "$URL/metrics" >"$WORK/live.prom"
check "live scrape" "$WORK/live.prom"
