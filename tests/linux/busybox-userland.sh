#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# Debian's busybox userland through its own shell, ash (issue 23's acceptance): files, text tools,
# archives, find and xargs, the system's state (ps, free, df, uptime, dmesg, date, hwclock), and the
# shell itself (subshells, $(...), here-documents, trap, background jobs, redirections). Each line
# prints what it produced and its exit status. Nothing that differs between two correct kernels is
# printed (no times, pids, inode numbers, sizes of memory): the system's state is shown as yes/no
# evidence (a pid compared with $$, a count compared with 0, a year with the clock's year).
exec </dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
unset TZ
umask 022
# keel mounts /proc at boot; the Linux reference's init does too: mount it if it is missing.
grep -q '^proc /proc proc ' /proc/mounts 2>/dev/null || { mkdir -p /proc; mount -t proc proc /proc; }
rm -rf /tmp/u && mkdir -p /tmp/u && cd /tmp/u && echo "cd: $? in $(pwd)"

echo "== files"
printf 'one\ntwo\nthree\n' > f && echo "printf >: $? $(wc -l < f) lines"
echo four >> f && echo ">>: $(tail -n 1 f)"
cp f g && cmp f g && echo "cp, cmp: $?"
echo changed >> g; cmp -s f g; echo "cmp -s of different files: $?"
mv g h && [ ! -e g ] && [ -f h ] && echo "mv: $?"
ln -s h link && echo "ln -s, readlink: $(readlink link) $(wc -l < link)"
chmod 750 h && echo "chmod, stat: $(stat -c '%s %F %a' h)"
stat -c '%F %a' /tmp/u link
[ -d /tmp ] && [ ! -e /nonexistent ] && [ -x /bin/busybox ] && test -L link && echo "test: $?"
touch empty && [ -s empty ]; echo "test -s of an empty file: $?"
mkfifo p && { echo "through a fifo" > p & cat p; wait; }
ln f hard && echo "ln: $(stat -c %h f) links"
rm link hard && echo "rm: $? $(ls | tr '\n' ' ')"
cat /nonexistent 2>&1; echo "cat of a missing file: $?"
ls -d /nonexistent /tmp 2>&1; echo "ls: $?"
basename /a/b/c.txt .txt; dirname /a/b/c.txt
ls /proc/self/fd >/dev/null && echo "ls /proc/self/fd: $?"
exec 5</etc/passwd && echo "exec 5<: $(readlink /proc/self/fd/5)"; exec 5<&-
exec 3>out && echo "via fd 3" >&3 && echo "and again" >&3 && exec 3>&- && echo "exec 3>: $(cat out | tr '\n' ' ')"
{ echo to stdout; echo to stderr >&2; } > both 2>&1; echo "2>&1: $(sort both | tr '\n' ' ')"
echo "<: $(tr a-z A-Z < f | head -n 1)"
echo tee | tee t1 t2 >/dev/null && echo "tee: $(cat t1 t2 | tr '\n' ' ')"
dd if=/dev/zero bs=512 count=4 2>/dev/null | wc -c
truncate -s 1000 big && echo "truncate: $(stat -c %s big)"

echo "== text"
grep -n t f; echo "grep: $?"
grep -c zzz f; echo "grep with no match: $?"
grep -v -e one -e two f | tr '\n' ' '; echo
sed -n '2,3p' f | tr '\n' ' '; echo
echo "hello world, hello sed" | sed 's/hello/bye/g'
sed -e '/two/d' -e 's/^/> /' f
seq 1 100 | awk '{ s += $1 } END { print "awk sum:", s, "mean:", s / NR }'
awk 'BEGIN { printf "awk float: %.4f %d %s\n", 22 / 7, 1024 * 3, substr("keel kernel", 6) }'
awk -F: '$3 == 0 { print "awk -F:", $1, $6 }' /etc/passwd
printf '10\n9\n100\n1\n' | sort -n -r | tr '\n' ' '; echo
printf 'b\na\nc\na\nb\na\n' | sort | uniq -c
printf 'b\na\nc\na\n' | sort -u | tr '\n' ' '; echo
cut -d: -f1 /etc/passwd
cut -c 1-4 /etc/hostname
wc -l -w -c < f
printf 'AB\n\001\377' | od -An -tx1
printf 'hexdump\n' | hexdump -C
printf 'keel\n' | md5sum
printf 'keel\n' | sha256sum
printf 'keel' | base64
tr -d 'aeiou' < f | tr '\n' ' '; echo
head -n 2 f | tail -n 1
seq 5 | tail -n +4 | tr '\n' ' '; echo
printf '%05d|%-4s|%x|%s\n' 42 ab 255 "$(seq -s, 3)"
expr 6 \* 7 + 1; expr length keel; expr 1 / 0 2>&1; echo "expr 1 / 0: $?"
echo "rev" | rev; printf 'a\nb\n' | nl | tr -s ' \t' ' '
printf 'x\ny\n' > d1; printf 'x\nz\n' > d2
diff d1 d1; echo "diff of the same: $?"
diff d1 d2 | tail -n +3; echo "diff: $?"
cat /etc/passwd | cut -d: -f7 | sort | uniq -c | sort -rn | head -n 1 | tr -s ' '

echo "== archives"
mkdir -p tree/sub && echo alpha > tree/a && echo beta > tree/sub/b
tar czf tree.tgz tree && echo "tar czf: $?"
tar tzf tree.tgz | sort
mkdir x && tar xzf tree.tgz -C x && echo "tar xzf: $? $(cat x/tree/a x/tree/sub/b | tr '\n' ' ')"
tar cf - tree | tar tf - | sort | tr '\n' ' '; echo
gzip -c f | gzip -dc | cmp - f && echo "gzip -c | gzip -d: the same"
gzip -k f && gzip -t f.gz && echo "gzip -t: $?"; rm f.gz
gzip -dc /nonexistent.gz 2>/dev/null; echo "gzip of a missing file: $?"

echo "== find, xargs"
find tree | sort
find tree -name '*b*' -type f
find . -type d -name sub | sort
find tree -type f | sort | xargs cat | tr '\n' ' '; echo
seq 6 | xargs -n 2 echo
seq 3 | xargs -I{} echo "item {}"
find tree -type f | xargs wc -l | sort | tail -n 1 | tr -s ' '

echo "== system"
id; id -u; id -un; whoami
hostname -F /etc/hostname && echo "hostname: $(hostname), uname -n: $(uname -n)"
uname -m
which sh ls free hwclock
grep -c ^Pid /proc/self/status
echo "cmdline of the script: $(tr '\0' ' ' < /proc/$$/cmdline)"
ps -o pid,comm | head -n 1 | tr -s ' '
ps -o pid,comm | awk -v me=$$ '$1 == me { print "ps: the script is", $2 }'
ps -o pid,args | awk -v me=$$ '$1 == me { $1 = ""; print "ps: its arguments" $0 }'
sleep 5 & s=$!
# the child names itself sleep once it runs: wait for that (up to 5 s), not for a time
for i in $(seq 50); do [ -n "$(pidof sleep)" ] && break; usleep 100000; done
[ "$(pidof sleep)" = "$s" ] && echo "pidof sleep: its pid" || echo "pidof sleep: $(pidof sleep | wc -w) pids"
kill $s; wait $s 2>/dev/null; echo "sleep killed: $?"
free | awk 'NR == 1 { print $1, $2, $3 } NR == 2 { print $1, ($2 > 0), ($2 >= $3) }'
mkdir m && mount -t tmpfs -o size=1m tmpfs m && echo "mount -t tmpfs: $?"
df m | awk 'NR == 1 { print $1, $2, $NF } NR > 1 { print $1, $2, $3, $NF }'
grep -c ' /tmp/u/m tmpfs ' /proc/mounts
umount m && echo "umount: $? $(grep -c ' /tmp/u/m ' /proc/mounts)"
uptime | grep -c 'up .*load average: [0-9.]*, [0-9.]*, [0-9.]*$'
dmesg > /dev/null; echo "dmesg: $?"
[ "$(dmesg | wc -l)" -gt 0 ] && echo "dmesg has lines: yes" || echo "dmesg has lines: no"
[ "$(date +%Y)" -ge 2025 ] && echo "date: the year is 2025 or later" || echo "date: the year is $(date +%Y)"
date -d @0 -u; date -u -d '2024-02-29 12:00' +%j; date -u -d @86399 +%T
hwclock -r > hw 2>&1; echo "hwclock -r: $?"
[ "$(awk '{ print $5 }' hw)" = "$(date +%Y)" ] && echo "hwclock's year is date's: yes" || echo "hwclock's year: $(cat hw)"
start=$(date +%s); sleep 2; took=$(( $(date +%s) - start ))
[ $took -ge 1 ] && [ $took -le 10 ] && echo "sleep 2: took about 2 s" || echo "sleep 2: took $took s"
cal 2 2024
grep -c '^proc /proc proc ' /proc/mounts

echo "== shell"
( exit 3 ); echo "( exit 3 ): $?"
( cd /; pwd ); pwd
echo "nested: $(echo $(echo inner) outer) `echo backticks`"
x=expanded
cat <<EOF
here-document: $x $((6 * 7)) $(echo substituted)
EOF
cat <<'EOF'
quoted here-document: $x $((6 * 7))
EOF
read a b <<EOF
first second third
EOF
echo "read: a=$a b=$b"
printf 'l1\nl2\nl3\n' | while read line; do n=$((n + 1)); done; echo "a pipe's loop runs in a subshell: n=${n:-unset}"
trap 'echo trapped USR1' USR1; kill -USR1 $$; echo "after the trap: $?"; trap - USR1
( trap 'echo trapped EXIT in a subshell' EXIT; exit 4 ); echo "subshell: $?"
sh -c 'kill -9 $$'; echo "killed by SIGKILL: $?"
sh -c 'kill -TERM $$'; echo "killed by SIGTERM: $?"
timeout 1 sleep 10; echo "timeout: $?"
sleep 1 & wait $!; echo "sleep 1 & wait: $?"
( exit 7 ) & a=$!; ( sleep 1; exit 2 ) & b=$!; wait $b; echo "wait b: $?"; wait $a; echo "wait a: $?"
sh -c 'sleep 5 & jobs; kill %1; wait %1 2>/dev/null; echo "jobs, kill %1, wait %1: $?"; jobs; echo "jobs: $?"'
f() { local v=local; echo "function: $1 $v $#"; return 5; }; f arg; echo "return: $?"
set -- a b c; shift; echo "set, shift: $# $*"
case keel in k*l) echo "case: matched";; *) echo "case: no";; esac
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo "while: $i"
for w in $(seq 3); do printf '%s.' $w; done; echo
echo "kill -l 15: $(kill -l 15)"; kill -0 $$ && echo "kill -0 \$\$: $?"
false || echo "||: $?"; true && echo "&&: $?"; ! false; echo "!: $?"
echo "umask: $(umask)"
cd / && rm -r /tmp/u && echo "cleaned up: $?"
