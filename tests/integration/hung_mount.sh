#!/usr/bin/env bash
# A real hung mount: a bindfs FUSE mount whose daemon is stopped with SIGSTOP.
# The scrape still answers within --collector.filesystem.mount-timeout, the
# mount is reported with device_error="mountpoint timeout", later scrapes skip
# it without waiting, and it comes back once the daemon runs again.
# Usage: hung_mount.sh NODE_HEALTH_BIN   (needs root, /dev/fuse and bindfs)
source "$(dirname "$0")/lib.sh"
bin=$1
if [ "$(id -u)" != 0 ] || [ ! -e /dev/fuse ] || ! command -v bindfs >/dev/null; then
  echo "skip: needs root, /dev/fuse and bindfs"
  exit 125
fi
mkdir -p "$WORK/src" "$WORK/mnt"
bindfs "$WORK/src" "$WORK/mnt"
CLEANUP_EXTRA="kill -CONT \$(pgrep -f 'bindfs $WORK/src') 2>/dev/null; umount -l '$WORK/mnt' 2>/dev/null"
daemon=$(pgrep -f "bindfs $WORK/src" | head -1)
[ -n "$daemon" ] || fail "bindfs daemon not found"
mnt=$(realpath "$WORK/mnt")

start_exporter "$bin" --collector.disable-defaults --collector.filesystem \
  --collector.filesystem.mount-points-include="^($mnt|/)\$" --collector.filesystem.mount-timeout=1s
series="node_filesystem_device_error{device=\"$(realpath "$WORK/src")\",mountpoint=\"$mnt\",fstype=\"fuse\",device_error=\"\"}"
text=$(curl -sf "$URL/metrics")
[ "$(metric_value "$text" "$series")" = 0 ] || { echo "$text" | grep filesystem >&2; fail "bind mount not reported as healthy (device_error 0)"; }
ok "healthy FUSE mount reported"

kill -STOP "$daemon"
start=$(date +%s.%N)
text=$(curl -s -m 10 "$URL/metrics") || fail "scrape did not answer within 10 s with a hung mount"
took=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
python3 -c "import sys; sys.exit(0 if $took < 3.0 else 1)" || fail "scrape took ${took}s with mount-timeout=1s"
grep -qE "^node_filesystem_device_error\{[^}]*mountpoint=\"$mnt\",[^}]*device_error=\"mountpoint timeout\"\} 1$" <<<"$text" ||
  { echo "$text" | grep filesystem >&2; fail "hung mount not reported as mountpoint timeout"; }
grep -qE '^node_filesystem_size_bytes\{[^}]*mountpoint="/",' <<<"$text" || fail "healthy / lost while another mount hangs"
grep -q '^node_health_scrape_collector_success{collector="filesystem"} 1$' <<<"$text" || fail "collector failed"
ok "scrape answered in ${took}s (timeout 1s): device_error=\"mountpoint timeout\" 1, / still reported"

# Later scrapes skip the stuck mount at once, and threads stay bounded.
start=$(date +%s.%N)
for i in 1 2 3 4 5; do
  curl -sf -m 5 "$URL/metrics" -o "$WORK/again" || fail "scrape $i failed"
done
took=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
python3 -c "import sys; sys.exit(0 if $took < 2.5 else 1)" || fail "5 scrapes took ${took}s: the stuck mount is not skipped"
grep -q 'device_error="mountpoint timeout"} 1$' "$WORK/again" || fail "stuck mount no longer reported"
threads=$(ls /proc/"$EXPORTER_PID"/task | wc -l)
[ "$threads" -le 20 ] || fail "$threads threads after 6 scrapes of a stuck mount"
ok "5 more scrapes in ${took}s skip the stuck mount; $threads threads"

kill -CONT "$daemon"
for ((i = 0; i < 50; i++)); do
  text=$(curl -sf "$URL/metrics")
  if grep -qE "^node_filesystem_size_bytes\{[^}]*mountpoint=\"$mnt\",[^}]*device_error=\"\"\}" <<<"$text"; then break; fi
  sleep 0.1
done
grep -qE "^node_filesystem_size_bytes\{[^}]*mountpoint=\"$mnt\"," <<<"$text" || fail "mount did not recover after SIGCONT"
ok "after SIGCONT the mount is reported normally again"
