#!/usr/bin/env bash
# No leaks across many scrapes (node_exporter's TestFileDescriptorLeak, #578):
# node_health on this machine's /proc serves 600 requests of every kind —
# kept-alive and new connections, plain and gzip, collect[]/exclude[], an
# unknown collector (400), an unknown path (404), HEAD, a request cut off
# mid-head — and afterwards holds about the same descriptors and threads as
# after its first scrapes (at most 3 more, the most connections open at
# once), and its resident memory no longer grows.
# Usage: leak.sh NODE_HEALTH_BIN
source "$(dirname "$0")/lib.sh"
bin=$1
mkdir -p "$WORK/textfile"
printf '# TYPE leak_test gauge\nleak_test 1\n' >"$WORK/textfile/leak.prom"
start_exporter "$bin" --collector.textfile.directory="$WORK/textfile"

usage() {  # fds threads rss_kb
  echo "$(ls /proc/$EXPORTER_PID/fd | wc -l) $(awk '/^Threads:/ {print $2}' /proc/$EXPORTER_PID/status)" \
    "$(awk '/^VmRSS:/ {print $2}' /proc/$EXPORTER_PID/status)"
}

# load ROUNDS: each round is 12 requests of different kinds; prints the
# status codes seen, "code:count" sorted.
load() {
  python3 - "$PORT" "$1" <<'PY'
import collections, http.client, socket, sys
port, rounds = int(sys.argv[1]), int(sys.argv[2])
seen = collections.Counter()
kept = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
def get(conn, path, headers={}, method="GET"):
    conn.request(method, path, headers=headers)
    r = conn.getresponse()
    r.read()
    seen[r.status] += 1
for i in range(rounds):
    get(kept, "/metrics")
    get(kept, "/metrics", {"Accept-Encoding": "gzip"})
    get(kept, "/metrics?collect[]=cpu&collect[]=meminfo")
    get(kept, "/metrics?exclude[]=filesystem")
    get(kept, "/metrics?collect[]=nosuchcollector")
    get(kept, "/nothing")
    get(kept, "/metrics", method="HEAD")
    get(kept, "/-/healthy")
    fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    get(fresh, "/metrics")
    fresh.close()
    fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    get(fresh, "/metrics", {"Accept-Encoding": "gzip"})
    get(fresh, "/")
    fresh.close()
    # A client that goes away in the middle of its request head.
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    s.close()
kept.close()
print(" ".join(f"{k}:{v}" for k, v in sorted(seen.items())))
PY
}

# Warm up: descriptors kept open, server threads and their buffers made.
load 10 >/dev/null
sleep 0.5
read -r fds0 threads0 rss0 < <(usage)
codes=$(load 50)
[ "$codes" = "200:450 400:50 404:50" ] || fail "unexpected status codes: $codes"
sleep 0.5  # let the server notice the clients that went away
read -r fds1 threads1 rss1 < <(usage)
load 50 >/dev/null
sleep 0.5
read -r fds2 threads2 rss2 < <(usage)
# At most 3 connections are open at once here, so a thread or two more than
# after the warm-up can be a busier moment, not a leak; a leak of one per
# connection would be 100 per batch.
[ "$fds1" -le $((fds0 + 3)) ] && [ "$fds2" -le $((fds0 + 3)) ] || fail "descriptors grew: $fds0 -> $fds1 -> $fds2"
[ "$threads1" -le $((threads0 + 3)) ] && [ "$threads2" -le $((threads0 + 3)) ] || fail "threads grew: $threads0 -> $threads1 -> $threads2"
# Allocators settle a little after warm-up; a leak grows with every batch.
# (Under ASan freed memory sits in quarantine and TSan keeps shadow memory,
# so memory is not judged there; ASan's leak checker is.)
if ldd "$bin" | grep -qE 'lib[at]san'; then
  echo "note: sanitizer build, resident memory not judged"
else
  [ $((rss2 - rss1)) -le 256 ] || fail "resident memory grew by $((rss2 - rss1)) kB over the last 600 requests ($rss0 -> $rss1 -> $rss2 kB)"
fi
ok "2 x 600 requests ($codes each, 50 cut off): descriptors $fds0 -> $fds1 -> $fds2, threads $threads0 -> $threads1 -> $threads2, RSS $rss0 -> $rss1 -> $rss2 kB"
