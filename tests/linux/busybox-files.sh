#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# Debian's busybox on files, through its own shell (issue 21's acceptance): mkdir -p, touch, >, >>,
# cp, mv, ln -s, rm, find, sort | uniq, and what each left behind. Prints nothing that differs
# between two correct kernels (no times, no inode numbers).
/bin/busybox mkdir -p /tmp/applets
/bin/busybox --install -s /tmp/applets
export PATH=/tmp/applets:/bin

mkdir -p /w/a/b/c && cd /w && echo "mkdir -p: $? in $(pwd)"
touch t && echo "touch: $(stat -c '%s bytes, %F, mode %a' t)"
echo x > f && echo y >> f && echo "> and >>: $(cat f | tr '\n' ' ')"
cp f g && cmp f g && echo "cp: the same bytes, $(stat -c %s g) of them"
mv g a/b/h && test ! -e g && echo "mv: a/b/$(ls a/b | tr '\n' ' ')"
echo "sizes of the directories: $(stat -c %s a a/b a/b/c | tr '\n' ' ')"
ln -s a/b/h l && echo "ln -s: $(readlink l), reads $(cat l | tr '\n' ' ')"
ln f hard && echo "ln: $(stat -c %h f) links"
for word in pear apple pear fig apple pear; do echo $word; done > s
echo "sort | uniq -c:"
sort s | uniq -c
echo "uniq of the sorted: $(sort s | uniq | wc -l) words"
echo "find:"
find /w | sort
echo "find -type f: $(find /w -type f | wc -l), -type l: $(find /w -type l)"
echo "wc: $(wc -c < s) bytes"
head -n 2 s | tail -n 1
grep -c pear s
rm -r a && echo "rm -r: $? ($(ls | tr '\n' ' '))"
cat l 2>&1
echo "cat of the dangling link: $?"
rm f hard l s t && cd / && rmdir /w && echo "rmdir: the tree is gone"
ls /w 2>&1
echo "ls of it: $?"
mkdir /w 2>&1 && mkdir /w 2>&1
echo "mkdir again: $?"
rmdir /w
/bin/busybox rm -r /tmp/applets
echo "the applets' links are gone: $?"
