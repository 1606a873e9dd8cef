#!/usr/bin/env bash
# Golden test: node_health on the fixture tree, its scrape diffed with
# tests/golden/node_health.prom after dropping series that depend on the
# machine or the clock. -u rewrites the golden file; -k keeps the exporter up.
# Usage: golden.sh NODE_HEALTH_BIN [-u] [-k]
source "$(dirname "$0")/lib.sh"
bin=$1
shift
update=0 keep=0
for a in "$@"; do
  case $a in -u) update=1 ;; -k) keep=1 ;; *) fail "unknown option $a" ;; esac
done
golden=$GOLDEN/node_health.prom
# Machine- or time-dependent: process_*, build info, durations, file mtimes,
# the clock, adjtimex, and statfs numbers of real directories.
skip_re='^(process_|node_health_build_info|node_health_scrape_collector_duration_seconds|node_textfile_mtime_seconds|node_time_seconds|node_time_zone_offset_seconds|node_timex_|node_filesystem_(size_bytes|free_bytes|avail_bytes|files|files_free)\{)'

# shellcheck disable=SC2046
start_exporter "$bin" $(fixture_flags) --collector.stat.softirq --log.level=debug
curl -sf "$URL/metrics" -o "$WORK/scrape.prom" || fail "scrape failed"
# The checkout's location shows in textfile HELP texts: write it as @FIXTURES@.
grep -Ev "$skip_re" "$WORK/scrape.prom" | sed "s|$FIXTURES|@FIXTURES@|g" >"$WORK/filtered.prom"

if [ "$update" = 1 ]; then
  cp "$WORK/filtered.prom" "$golden"
  echo "updated $golden"
elif ! diff -u "$golden" "$WORK/filtered.prom"; then
  fail "scrape differs from $golden (run tests/integration/golden.sh BIN -u to accept)"
fi
ok "golden scrape matches ($(grep -vc '^#' "$WORK/filtered.prom") series)"

# Every collector succeeded on the fixtures (timex reads the live clock).
if grep -E '^node_health_scrape_collector_success\{.*\} 0$' "$WORK/scrape.prom"; then
  cat "$WORK/exporter.log" >&2
  fail "a collector failed on the fixture tree"
fi
ok "all collectors succeed on the fixtures"

if [ "$keep" = 1 ]; then
  echo "exporter at $URL/metrics; Ctrl-C to stop"
  wait "$EXPORTER_PID"
fi
