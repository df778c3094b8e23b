#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Files and their pages: what tmpfs takes from the page allocator comes back when the files go,
however much was written, and a full tmpfs is -ENOSPC for the writer and nothing worse. The
counters are mem's own lines (pages, caches, files), read before and after; the programs are
Debian's busybox (dd, rm) run through its sh."""
import argparse
import re

from harness import KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="the build's initrd.cpio (with busybox)")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()


def counters(sh):
    """mem's free pages, the caches' pages and the root tmpfs's pages of data."""
    mem = sh.run("mem")
    free = int(re.search(r"^pages: total \d+, reserved \d+, free (\d+),", mem, re.M)[1])
    caches = int(re.search(r"^caches: (\d+) pages", mem, re.M)[1])
    files = int(re.search(r"^files: tmpfs at / holds (\d+) pages of data", mem, re.M)[1])
    return free, caches, files


# Ten files of 10 MiB each (100 MiB at once), written by dd from /dev/zero, checked, then removed.
WRITE_100_MIB = ('busybox sh -c "for i in 0 1 2 3 4 5 6 7 8 9; do busybox dd if=/dev/zero of=/f$i '
                 'bs=65536 count=160 2>/dev/null || echo dd failed; done; busybox du -sk /; '
                 'busybox rm /f0 /f1 /f2 /f3 /f4 /f5 /f6 /f7 /f8 /f9 && echo removed"')


def writing_and_deleting_100_mib_of_files_gives_every_page_back():
    with KeelShell(args.kernel, extra=["-initrd", args.initrd], mem="256M", smp=2,
                   deadline=300) as sh:
        sh.run(WRITE_100_MIB, timeout=120)  # the first round: the caches' pages for its objects
        before = counters(sh)
        for round in range(3):
            out = sh.run(WRITE_100_MIB, timeout=120)
            assert "dd failed" not in out and out.endswith("removed\n"), out
            kib = int(re.search(r"^(\d+)\s+/$", out, re.M)[1])
            assert kib >= 100 * 1024, f"round {round}: du says only {kib} KiB:\n{out}"
            assert counters(sh) == before, f"round {round}: {before} before, {counters(sh)} after"


def a_full_tmpfs_is_enospc_for_the_writer_only():
    # 64 MiB of RAM: tmpfs may hold half of it. dd asks for 64 MiB and gets what there is.
    with KeelShell(args.kernel, extra=["-initrd", args.initrd], mem="64M", deadline=120) as sh:
        sh.run("busybox true")
        before = counters(sh)
        out = sh.run('busybox sh -c "busybox dd if=/dev/zero of=/big bs=1048576 count=64; '
                     'busybox ls -l /big; echo dd: $?"', timeout=60)
        assert "No space left on device" in out, out
        size = int(re.search(r"^-rw-r--r-- +1 root +root +(\d+) .* /big$", out, re.M)[1])
        free, caches, files = counters(sh)
        assert 28 << 20 <= size <= 32 << 20, f"/big is {size} bytes:\n{out}"
        assert files * 4096 >= size, (files, size)
        assert sh.run("echo the shell goes on") == "the shell goes on\n"
        assert sh.run("busybox rm /big") == ""
        assert counters(sh) == before


def programs_keep_the_console_when_dev_console_is_gone():
    # fds 0-2 are the console's inode, held since boot, not whatever /dev/console names now.
    with KeelShell(args.kernel, extra=["-initrd", args.initrd], deadline=60) as sh:
        assert sh.run("busybox rm /dev/console") == ""
        assert sh.run("busybox touch /dev/console") == ""  # a regular file in its place
        assert sh.run("hello still").startswith("hello from user mode: pid ")
        assert sh.run("busybox ls -l /dev/console").startswith("-rw-r--r--")
        assert sh.run("cat /etc/motd").startswith("Welcome to keel")


run_checks([
    writing_and_deleting_100_mib_of_files_gives_every_page_back,
    a_full_tmpfs_is_enospc_for_the_writer_only,
    programs_keep_the_console_when_dev_console_is_gone,
], only=args.checks)
