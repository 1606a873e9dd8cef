#!/usr/bin/env bash
# promtool check metrics on node_health's output, on the fixture tree and on
# this machine: it must parse, and lint clean except for the node_exporter
# names the lint rejects by design, listed with their reasons in
# tests/integration/lint_allowed.txt.
# Usage: lint.sh NODE_HEALTH_BIN
source "$(dirname "$0")/lib.sh"
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
allowed=$(grep -Ev '^\s*(#|$)' "$here/lint_allowed.txt" | sed -E 's/\s+#.*$//' | paste -sd'|')

check() {
  local what=$1 file=$2 out code=0
  out=$("$PROMTOOL" check metrics <"$file" 2>&1) || code=$?
  if grep -qiE 'error|parse' <<<"$out" && ! grep -qE '^[a-zA-Z_:]+: ' <<<"$out"; then
    echo "$out" >&2
    fail "$what: promtool could not parse the output"
  fi
  local unexpected
  unexpected=$(grep -vE "^($allowed)[^ ]*: " <<<"$out" || true)
  if [ -n "$unexpected" ]; then
    echo "$unexpected" >&2
    fail "$what: lint findings not in lint_allowed.txt"
  fi
  ok "$what: parses; $(grep -c . <<<"$out" || true) findings, all on allowed node_exporter names (exit $code)"
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
