#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# Debian's busybox on the clocks, through its own shell: date -s sets the time of day, hwclock -w
# copies it to the real-time clock (/dev/rtc0), hwclock -r reads it back, hwclock -s sets the
# time of day from it, and time and sleep. Prints dates it set itself, never the real time.
/bin/busybox mkdir -p /tmp/applets
/bin/busybox --install -s /tmp/applets
export PATH=/tmp/applets:/bin

date -u -s 2030.06.15-12:00:00 > /dev/null && echo "date -s: $(date -u +'%Y-%m-%d %H:%M')"
hwclock -u -w && echo "hwclock -w: $?"
echo "hwclock -r: $(hwclock -u -r | cut -c1-16)"
date -u -s 2001.01.01-00:00:00 > /dev/null && echo "date -s: $(date -u +'%Y-%m-%d %H:%M')"
echo "hwclock -r after: $(hwclock -u -r | cut -c1-16)"
hwclock -u -s && echo "hwclock -s: $(date -u +'%Y-%m-%d %H:%M')"
start=$(date +%s)
sleep 1
end=$(date +%s)
echo "sleep 1 took 1 or 2 s: $( [ $((end - start)) -ge 1 ] && [ $((end - start)) -le 2 ] && echo yes || echo no)"
time -f '%e' sleep 1 2> /tmp/took
echo "time -f %e sleep 1: $(cut -c1-2 /tmp/took)"
echo "hwclock -r on a missing device: $(hwclock -f /dev/nothing -r 2>&1 | cut -d: -f1-2)"
/bin/busybox rm -r /tmp/applets /tmp/took
echo "the applets' links are gone: $?"
