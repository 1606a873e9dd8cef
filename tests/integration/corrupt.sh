#!/usr/bin/env bash
# Corrupt input fails only the collector that reads it: a copy of the fixture
# tree with a truncated /proc/meminfo line, a non-numeric /proc/loadavg and an
# empty /proc/net/dev. The scrape still answers 200 with everything else.
# Usage: corrupt.sh NODE_HEALTH_BIN
source "$(dirname "$0")/lib.sh"
bin=$1
cp -a "$FIXTURES/node_health" "$WORK/fx"
fx=$WORK/fx
printf 'MemTotal:       16303428 kB\nMemFree:\n' >"$fx/proc/meminfo"
printf '0.21 zero 0.39 1/719 19737\n' >"$fx/proc/loadavg"
: >"$fx/proc/net/dev"

start_exporter "$bin" --path.procfs="$fx/proc" --path.sysfs="$fx/sys" --path.rootfs="$fx/rootfs" \
  --path.udev.data="$fx/udev/data" --collector.textfile.directory="$fx/textfile"
code=$(curl -s -o "$WORK/scrape.prom" -w '%{http_code}' "$URL/metrics")
[ "$code" = 200 ] || fail "scrape answered $code, want 200"
text=$(cat "$WORK/scrape.prom")

failed=$(grep -E '^node_health_scrape_collector_success\{collector="[a-z_]+"\} 0$' <<<"$text" |
  sed -E 's/.*collector="([a-z_]+)".*/\1/' | sort | tr '\n' ' ')
[ "$failed" = "loadavg meminfo netdev " ] || fail "failed collectors are [$failed], want [loadavg meminfo netdev ]"
ok "only loadavg, meminfo and netdev report success 0"

succeeded=$(grep -cE '^node_health_scrape_collector_success\{.*\} 1$' <<<"$text")
[ "$succeeded" -ge 15 ] || fail "only $succeeded collectors succeeded"
for series in 'node_cpu_seconds_total{cpu="0",mode="idle"}' 'node_boot_time_seconds' 'node_filefd_maximum'; do
  metric_value "$text" "$series" >/dev/null || fail "$series missing from the scrape"
done
# A failed collector contributes nothing, not half of its samples.
if grep -qE '^node_(memory_|load1 |network_receive)' <<<"$text"; then
  fail "samples of a failed collector leaked into the scrape"
fi
ok "$succeeded other collectors still answer, failed ones add no samples"
grep -q 'collector failed.*collector=meminfo' "$WORK/exporter.log" || fail "no error logged for meminfo"
ok "the failure is logged with the collector's name"
