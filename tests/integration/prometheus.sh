#!/usr/bin/env bash
# Debian's Prometheus scrapes node_health (fixture tree and live host) on
# loopback: both targets are up, with no scrape error, and a query returns
# the exact fixture value. This is Prometheus's own parser on our output.
# Usage: prometheus.sh NODE_HEALTH_BIN
source "$(dirname "$0")/lib.sh"
bin=$1
command -v prometheus >/dev/null || fail "prometheus is not installed (scripts/install-deps installs it)"

# shellcheck disable=SC2046
start_exporter "$bin" $(fixture_flags)
fixture_port=$PORT
start_exporter "$bin"
live_port=$PORT
prom_port=$(free_port)
cat >"$WORK/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: fixture
    static_configs: [{targets: ['127.0.0.1:$fixture_port']}]
  - job_name: live
    static_configs: [{targets: ['127.0.0.1:$live_port']}]
YML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
api="http://127.0.0.1:$prom_port/api/v1"
for ((i = 0; i < 300; i++)); do
  targets=$(curl -sf "$api/targets" || true)
  if [ "$(grep -o '"health":"up"' <<<"$targets" | wc -l)" = 2 ]; then break; fi
  sleep 0.1
done
[ "$(grep -o '"health":"up"' <<<"$targets" | wc -l)" = 2 ] || { echo "$targets" >&2; fail "targets not up within 30 s"; }
if grep -o '"lastError":"[^"]\+"' <<<"$targets"; then fail "a scrape reported an error"; fi
ok "Prometheus scrapes both node_health targets: up, no lastError"

query() { curl -sf --get "$api/query" --data-urlencode "query=$1"; }
load=$(query 'node_load1{job="fixture"}')
grep -q '"value":\[[0-9.]*,"0.21"\]' <<<"$load" || { echo "$load" >&2; fail "node_load1 of the fixture is not 0.21"; }
samples=$(query 'scrape_samples_scraped{job="fixture"}' | grep -o '"value":\[[0-9.]*,"[0-9]*"\]' | grep -o '"[0-9]*"\]' | tr -d '"]')
[ "${samples:-0}" -gt 400 ] || fail "only ${samples:-0} samples scraped from the fixture"
ok "node_load1{job=\"fixture\"} = 0.21; $samples samples per fixture scrape"
