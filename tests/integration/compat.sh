#!/usr/bin/env bash
# Compatibility with node_exporter: Debian's prometheus-node-exporter and
# node_health run on the same fixture tree with the same collectors and
# filters; the metric names with their types and label names must agree,
# except for the differences listed with their reasons in
# tests/integration/compat_node_exporter.txt.
# Usage: compat.sh NODE_HEALTH_BIN
source "$(dirname "$0")/lib.sh"
bin=$1
ne=$(command -v prometheus-node-exporter || true)
[ -n "$ne" ] || fail "prometheus-node-exporter is not installed (scripts/install-deps installs it)"
here=$(cd "$(dirname "$0")" && pwd)
collectors="conntrack cpu diskstats filefd filesystem hwmon loadavg meminfo netdev netstat os pressure sockstat stat textfile time timex uname vmstat"
f=$FIXTURES/node_health
common_flags=(--path.procfs="$f/proc" --path.sysfs="$f/sys" --path.rootfs="$f/rootfs" --path.udev.data="$f/udev/data"
  --collector.textfile.directory="$f/textfile" --collector.disable-defaults
  "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+)($|/)"
  "--collector.netdev.device-exclude=^none$")
enable=()
for c in $collectors; do enable+=("--collector.$c"); done

start_exporter "$bin" "${common_flags[@]}" "${enable[@]}"
curl -sf "$URL/metrics" | python3 "$here/signatures.py" | grep -Ev '^(process_|node_health_)' >"$WORK/ours"
ne_port=$(free_port)
"$ne" --web.listen-address="127.0.0.1:$ne_port" "${common_flags[@]}" "${enable[@]}" >"$WORK/ne.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$ne_port/metrics" 10 || { cat "$WORK/ne.log" >&2; fail "node_exporter did not start"; }
curl -sf "http://127.0.0.1:$ne_port/metrics" | python3 "$here/signatures.py" |
  grep -Ev '^(process_|go_|promhttp_|node_exporter_|node_scrape_collector_)' >"$WORK/theirs"

diff "$WORK/theirs" "$WORK/ours" | grep -E '^[<>]' | sed -e 's/^< /- /' -e 's/^> /+ /' | sort >"$WORK/actual" || true
{ grep -Ev '^\s*(#|$)' "$here/compat_node_exporter.txt" || true; } | sed -E 's/\s+#.*$//' | sort >"$WORK/expected"
echo "families: node_exporter $(wc -l <"$WORK/theirs"), node_health $(wc -l <"$WORK/ours"), same $(comm -12 "$WORK/theirs" "$WORK/ours" | wc -l)"
if ! diff -u "$WORK/expected" "$WORK/actual"; then
  fail "differences from node_exporter changed: list each in tests/integration/compat_node_exporter.txt with its reason"
fi
ok "$(wc -l <"$WORK/actual") differences, each listed with its reason"
