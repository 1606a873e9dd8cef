#!/usr/bin/env bash
# The shared HTTP runtime, through node_health: flags, exit codes, endpoints,
# gzip, per-scrape collector filters, --web.max-requests and shutdown.
# Usage: server.sh NODE_HEALTH_BIN
source "$(dirname "$0")/lib.sh"
bin=$1

# expect_exit CODE PATTERN ARGS...: the binary exits CODE with one stderr line
# matching PATTERN, and listens on nothing.
expect_exit() {
  local want=$1 pattern=$2 code=0
  shift 2
  timeout 10 "$bin" "$@" >"$WORK/out" 2>"$WORK/err" || code=$?
  [ "$code" = "$want" ] || { cat "$WORK/err" >&2; fail "$* exited $code, want $want"; }
  local lines
  lines=$(grep -vc '^ts=' "$WORK/err" || true)
  [ "$lines" = 1 ] || { cat "$WORK/err" >&2; fail "$*: $lines error lines, want 1"; }
  grep -v '^ts=' "$WORK/err" | grep -qE -- "$pattern" || { cat "$WORK/err" >&2; fail "$*: message does not match $pattern"; }
  ok "$* -> exit $code: $(grep -v '^ts=' "$WORK/err")"
}
expect_exit 2 'not expected: --no-such-flag' --no-such-flag
expect_exit 2 '--web.max-requests' --web.max-requests=many
expect_exit 2 '--log.level: unknown level "loud"' --log.level=loud
expect_exit 2 '--web.listen-address: invalid address "localhost:99999"' --web.listen-address=localhost:99999
expect_exit 2 '--collector.filesystem.mount-points-include and --collector.filesystem.mount-points-exclude cannot be used together' \
  --collector.filesystem.mount-points-include=/ --collector.filesystem.mount-points-exclude=/x
expect_exit 2 '--collector.netdev.device-exclude: invalid regular expression' '--collector.netdev.device-exclude=('
expect_exit 2 '--collector.filesystem.mount-timeout: invalid duration "soon"' --collector.filesystem.mount-timeout=soon
expect_exit 2 '--collector.filesystem.stat-workers' --collector.filesystem.stat-workers=0

"$bin" --version >"$WORK/version" && grep -q '^node_health version ' "$WORK/version" || fail "--version"
"$bin" --help >"$WORK/help" && grep -q -- '--web.max-requests' "$WORK/help" || fail "--help lacks --web.max-requests"
ok "--version and --help exit 0"

start_exporter "$bin" --web.max-requests=2 --collector.textfile.directory="$WORK/textfile" --log.level=debug
mkdir -p "$WORK/textfile"

# A port in use is exit 1 with a clear message.
expect_exit 1 'cannot listen on 127.0.0.1:'"$PORT"'.*in use' --web.listen-address=127.0.0.1:"$PORT"

code=$(curl -s -o "$WORK/landing" -w '%{http_code}' "$URL/")
[ "$code" = 200 ] && grep -q 'href="/metrics"' "$WORK/landing" || fail "landing page ($code)"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/healthy")" = 200 ] || fail "/-/healthy"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/ready")" = 200 ] || fail "/-/ready"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/nothing-here")" = 404 ] || fail "unknown path is not 404"
ok "landing page links /metrics; /-/healthy and /-/ready answer 200; unknown paths 404"

ctype=$(curl -s -o /dev/null -w '%{content_type}' "$URL/metrics")
[ "$ctype" = "text/plain; version=0.0.4; charset=utf-8" ] || fail "content type $ctype"
curl -s -H 'Accept-Encoding: gzip' -D "$WORK/headers" -o "$WORK/body.gz" "$URL/metrics"
grep -qi '^content-encoding: gzip' "$WORK/headers" || fail "no gzip with Accept-Encoding: gzip"
gunzip -c "$WORK/body.gz" >"$WORK/body" || fail "gzip body is not gzip"
grep -q '^node_load1 ' "$WORK/body" || fail "gzip body does not decompress to metrics"
curl -s -H 'Accept-Encoding: br' -D "$WORK/headers" -o /dev/null "$URL/metrics"
if grep -qi '^content-encoding' "$WORK/headers"; then fail "answered br/other encoding to a br-only client"; fi
ok "gzip when asked ($(stat -c %s "$WORK/body.gz") bytes), identity for br-only clients"

only=$(curl -sf "$URL/metrics?collect[]=loadavg" | grep -c '^node_health_scrape_collector_success')
[ "$only" = 1 ] || fail "collect[]=loadavg ran $only collectors"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics?collect[]=nonesuch")
[ "$code" = 400 ] || fail "collect[]=nonesuch answered $code"
text=$(curl -sf "$URL/metrics?exclude[]=loadavg") || fail "exclude[]=loadavg: scrape failed"
! grep -q 'collector="loadavg"' <<<"$text" || fail "exclude[]=loadavg still ran loadavg"
grep -q '^node_health_scrape_collector_success{collector="meminfo"} 1$' <<<"$text" ||
  fail "exclude[]=loadavg dropped the other collectors too"
ok "collect[] runs one collector, exclude[] drops one, an unknown name is 400"

# --web.max-requests=2: two scrapes held open by a FIFO in the textfile
# directory; a third gets 503 at once.
mkfifo "$WORK/textfile/slow.prom"
curl -s -o "$WORK/held1" -w '%{http_code}' "$URL/metrics" >"$WORK/code1" &
h1=$!
curl -s -o "$WORK/held2" -w '%{http_code}' "$URL/metrics" >"$WORK/code2" &
h2=$!
# Both scrapes are inside the handler once two threads wait in the FIFO's
# open for a writer (wchan wait_for_partner); wait for that (bounded), then
# ask a third time.
for ((i = 0; i < 200; i++)); do
  readers=$( (grep -l wait_for_partner /proc/"$EXPORTER_PID"/task/*/wchan 2>/dev/null || true) | wc -l)
  [ "$readers" -ge 2 ] && break
  sleep 0.05
done
[ "$readers" -ge 2 ] || fail "scrapes did not block on the FIFO"
code=$(curl -s -m 5 -o "$WORK/third" -w '%{http_code}' "$URL/metrics")
[ "$code" = 503 ] || fail "third concurrent scrape answered $code, want 503"
grep -q 'Limit of concurrent requests reached (2)' "$WORK/third" || fail "503 body"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/-/healthy")" = 200 ] || fail "/-/healthy blocked by the limit"
printf 'fifo_metric 7\n' >"$WORK/textfile/slow.prom"
wait "$h1" "$h2"
[ "$(cat "$WORK/code1")" = 200 ] && [ "$(cat "$WORK/code2")" = 200 ] || fail "held scrapes did not finish with 200"
rm "$WORK/textfile/slow.prom"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics")" = 200 ] || fail "scrape after the limit"
ok "over --web.max-requests=2: 503 at once; the held scrapes then finish 200"

kill -TERM "$EXPORTER_PID"
code=0
timeout 10 tail --pid="$EXPORTER_PID" -f /dev/null || fail "no exit within 10 s of SIGTERM"
wait "$EXPORTER_PID" || code=$?
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
grep -q 'msg=stopped' "$WORK/exporter.log" || fail "no clean-stop log line"
ok "SIGTERM: clean exit 0"
