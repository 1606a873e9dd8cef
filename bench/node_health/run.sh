#!/usr/bin/env bash
# node_health against Debian's prometheus-node-exporter, side by side in one
# run on this machine: same fixture-free live host, same collectors, same
# filters; plain and gzip scrapes over a kept-alive connection (as
# Prometheus scrapes), and plain scrapes with a new connection each time.
# Usage: bench/node_health/run.sh [--scrapes N] [--rounds N]
# Needs a built build/exporters/node_health/node_health (./scripts/test or
# cmake --build build) and prometheus-node-exporter (scripts/install-deps).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
nh=$root/build/exporters/node_health/node_health
ne=$(command -v prometheus-node-exporter) || { echo "install prometheus-node-exporter" >&2; exit 1; }
[ -x "$nh" ] || { echo "build node_health first: cmake -S . -B build && cmake --build build" >&2; exit 1; }

ten="cpu meminfo filesystem diskstats netdev loadavg pressure uname time stat"
full=$("$nh" --help | sed -nE 's/^ *--collector\.([a-z_]+),--no-collector.*/\1/p' | tr '\n' ' ')
filters=("--collector.filesystem.mount-points-exclude=^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)(\$|/)"
  "--collector.netdev.device-exclude=^none\$" "--collector.textfile.directory=$root/bench/node_health/textfile")

scenarios=$(mktemp)
trap 'rm -f "$scenarios"' EXIT
python3 - "$nh" "$ne" "$ten" "$full" "${filters[@]}" >"$scenarios" <<'PY'
import json, sys
nh, ne, ten, full, *filters = sys.argv[1:]
def cmd(binary, collectors):
    return [binary, '--web.listen-address=127.0.0.1:{port}', '--collector.disable-defaults',
            *[f'--collector.{c}' for c in collectors.split()], *filters]
out = []
for label, cols in (('10 collectors', ten), ('full default set', full)):
    for gzip in (False, True):
        out.append({'name': f'{label}, {"gzip" if gzip else "plain"}, keep-alive', 'gzip': gzip,
                    'keepalive': True,
                    'exporters': [{'name': 'node_health', 'cmd': cmd(nh, cols)},
                                  {'name': 'node_exporter 1.5', 'cmd': cmd(ne, cols)}]})
out.append({'name': '10 collectors, plain, new connection', 'gzip': False, 'keepalive': False,
            'exporters': [{'name': 'node_health', 'cmd': cmd(nh, ten)},
                          {'name': 'node_exporter 1.5', 'cmd': cmd(ne, ten)}]})
print(json.dumps(out))
PY
echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "full default set: $full"
python3 bench/scrape_bench.py --scenarios "$scenarios" "$@"
