#!/usr/bin/env bash
# node_health on this machine's real /proc and /sys: exact values checked
# against the files and syscalls they come from.
# Usage: live.sh NODE_HEALTH_BIN
source "$(dirname "$0")/lib.sh"
bin=$1
start_exporter "$bin"
text=$(curl -sf "$URL/metrics") || fail "scrape failed"

memtotal_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
got=$(metric_value "$text" node_memory_MemTotal_bytes) || fail "no node_memory_MemTotal_bytes"
[ "$got" = "$((memtotal_kb * 1024))" ] || fail "MemTotal_bytes $got, want $((memtotal_kb * 1024))"
ok "node_memory_MemTotal_bytes = $got = MemTotal ${memtotal_kb} kB x 1024"

want=$(python3 -c 'import os; s=os.statfs("/") if hasattr(os,"statfs") else None; v=os.statvfs("/"); print(v.f_blocks*v.f_frsize)')
got=$(grep -E '^node_filesystem_size_bytes\{[^}]*mountpoint="/",' <<<"$text" | head -1 | awk '{print $NF}')
[ -n "$got" ] || fail "no node_filesystem_size_bytes for /"
[ "$got" = "$want" ] || fail "size of / is $got, statvfs says $want"
ok "node_filesystem_size_bytes{mountpoint=\"/\"} = $got = statvfs(/)"

cpus=$(getconf _NPROCESSORS_ONLN)
idle=$(grep -c '^node_cpu_seconds_total{cpu="[0-9]*",mode="idle"}' <<<"$text")
[ "$idle" = "$cpus" ] || fail "$idle idle series, want $cpus CPUs"
ok "$idle node_cpu_seconds_total{mode=\"idle\"} series = $cpus online CPUs"

max=$(awk '{print $3}' /proc/sys/fs/file-nr)
got=$(metric_value "$text" node_filefd_maximum)
[ "$got" = "$max" ] || fail "node_filefd_maximum $got, want $max"
ok "node_filefd_maximum = $max"

btime=$(awk '/^btime/ {print $2}' /proc/stat)
got=$(metric_value "$text" node_boot_time_seconds)
[ "$got" = "$btime" ] || fail "node_boot_time_seconds $got, want $btime"
ok "node_boot_time_seconds = $btime"

release=$(uname -r)
grep -q "^node_uname_info{.*release=\"$release\"" <<<"$text" || fail "node_uname_info lacks release $release"
ok "node_uname_info release = $release"

# Only a collector whose source is absent on this machine may report 0.
absent="none"
[ -d /sys/class/hwmon ] || absent="$absent|hwmon"
[ -e /proc/sys/net/netfilter/nf_conntrack_count ] || absent="$absent|conntrack"
[ -e /proc/pressure/cpu ] || absent="$absent|pressure"
bad=$(grep -E '^node_health_scrape_collector_success\{.*\} 0$' <<<"$text" | grep -vE "collector=\"($absent)\"" || true)
[ -z "$bad" ] || fail "collectors failed on this machine: $bad"
ok "every collector whose source exists here succeeds"

# The mount table is re-read only when the kernel says it changed: a new mount
# and an umount must each show on the very next scrape (only mountinfo names
# them). A remount read-only shows too (statfs flags say so as well; the
# unit test MountTableFile checks that a remount wakes poll).
if [ "$(id -u)" = 0 ]; then
  mnt=$(realpath "$WORK")/mnt
  mkdir -p "$mnt"
  CLEANUP_EXTRA="umount -l '$mnt' 2>/dev/null"
  start_exporter "$bin" --collector.disable-defaults --collector.filesystem \
    --collector.filesystem.mount-points-include="^$mnt\$"
  size="node_filesystem_size_bytes{device=\"vigiltest\",mountpoint=\"$mnt\",fstype=\"tmpfs\",device_error=\"\"}"
  ro="node_filesystem_readonly{device=\"vigiltest\",mountpoint=\"$mnt\",fstype=\"tmpfs\",device_error=\"\"}"
  text=$(curl -sf "$URL/metrics")
  ! grep -q "mountpoint=\"$mnt\"" <<<"$text" || fail "$mnt reported before it was mounted"
  mount -t tmpfs -o size=1m vigiltest "$mnt"
  text=$(curl -sf "$URL/metrics")
  got=$(metric_value "$text" "$size") || fail "new tmpfs mount not reported on the next scrape"
  [ "$got" = 1048576 ] || fail "size of the 1m tmpfs is $got"
  [ "$(metric_value "$text" "$ro")" = 0 ] || fail "fresh tmpfs reported read-only"
  mount -o remount,ro "$mnt"
  text=$(curl -sf "$URL/metrics")
  [ "$(metric_value "$text" "$ro")" = 1 ] || fail "remount read-only not seen on the next scrape"
  umount "$mnt"
  text=$(curl -sf "$URL/metrics")
  ! grep -q "mountpoint=\"$mnt\"" <<<"$text" || fail "$mnt still reported after umount"
  ok "a tmpfs mount (size 1048576) and its umount each show on the next scrape; readonly 1 after a remount ro"
else
  echo "skip: mount changes need root"
fi
