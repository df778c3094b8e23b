#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Memory: keel reports the RAM QEMU gives it (-m 16M to 8G) in its banner and in `mem`; `pages`
takes pages until there are none, gets each zeroed, and gives them all back; `vm` walks the kernel
map; and QEMU's own view of the MMU (`info mem`, through gdb) agrees with what keel says it mapped.
A program that holds every page leaves the shell working.
"""
import argparse
import re

import shutil

from harness import Gdb, KeelShell, free_port, layout, run_checks, virt_tree
from harness import symbol as harness_symbol

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="the build's initrd.cpio (keel's programs)")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

MEMORY_LINE = re.compile(r"^memory: (\d+) MiB RAM, (\d+) KiB kernel, (\d+) KiB reserved, (\d+) pages free$", re.M)


def counters(out, when):
    """The counters on the line that starts with `when` (pages's before:/taken:/freed:, mem's pages:)."""
    line = re.search(rf"^{when} +(.*)$", out, re.M)
    assert line, f"no {when} line in {out}"
    return {k: int(v) for k, v in re.findall(r"(total|reserved|free|in use|peak) (\d+)", line[1])}


def the_banner_and_mem_report_the_ram_qemu_gives():
    table_pages = {}
    for size, mib in (("64M", 64), ("2G", 2048), ("8G", 8192)):
        with KeelShell(args.kernel, mem=size, deadline=60) as sh:
            line = MEMORY_LINE.search(sh.text())
            assert line and int(line[1]) == mib, f"-m {size}: {line and line[0]}"
            table_pages[size] = int(re.search(r"^paging: Sv39, kernel map in (\d+) table pages ",
                                              sh.text(), re.M)[1])
            mem = sh.run("mem", timeout=20)
            end = 0x80000000 + mib * 1024 * 1024
            assert re.search(rf"^  0x0080000000\.\.{end:#012x} ", mem, re.M), f"-m {size}:\n{mem}"
            assert f"RAM ({mib * 256} pages):" in mem, mem
            total = counters(mem, "pages:")
            # Since the banner, only tasks (the shell), the object caches and the root file
            # system's files (/dev's nodes) took pages.
            taken = sum(int(re.search(pattern, mem, re.M)[1]) for pattern in (
                r"^tasks: \d+ tasks? in (\d+) pages", r"^caches: (\d+) pages",
                r"^files: tmpfs at / holds (\d+) pages"))
            assert total["total"] == mib * 256 and total["free"] == int(line[4]) - taken, \
                (total, taken, line[0])
            assert total["reserved"] + total["free"] + total["in use"] == total["total"], total
            out = sh.run("pages 4096", timeout=30)
            assert "not zeroed: 0 words, overwritten: 0" in out, out
            assert counters(out, "freed:")["free"] == counters(out, "before:")["free"], out
    # RAM past the first GiB is mapped by 1 GiB pages: more of it takes no more table pages.
    assert len(set(table_pages.values())) == 1, table_pages


def pages_until_there_are_none_then_all_come_back():
    with KeelShell(args.kernel, mem="16M", deadline=60) as sh:
        free = counters(sh.run("mem"), "pages:")["free"]
        assert free < 4096, f"16 MiB should leave fewer than 4096 pages free, not {free}"
        out = sh.run("pages 4096", timeout=30)
        assert f"pages: got {free} of 4096: out of memory" in out, out
        assert counters(out, "taken:")["free"] == 0, out
        assert counters(out, "freed:")["free"] == free, out
        assert "not zeroed: 0 words, overwritten: 0" in out, out
        assert sh.run("echo alive") == "alive\n"
        again = sh.run("pages 10", timeout=20)  # merged back: still works
        assert "pages: 10 pages" in again, again


def an_initrd_is_reserved_and_never_handed_out():
    """QEMU -initrd puts the file in RAM and names it in /chosen; keel lists it as reserved, and
    its pages stay out of the allocator: `pages` takes every free page and writes a pattern into
    each, and afterwards the initrd's bytes (read by gdb) are still the file's."""
    import tempfile
    data = bytes((i * 7 + i // 256) & 0xff for i in range(300 * 1024))
    with tempfile.NamedTemporaryFile(suffix=".img") as image:
        image.write(data)
        image.flush()
        port = free_port()
        with KeelShell(args.kernel, mem="16M", extra=["-initrd", image.name], gdb_port=port,
                       wait=False, deadline=90) as sh, Gdb(args.kernel, port, deadline=90) as gdb:
            gdb.run(f"target remote 127.0.0.1:{port}", timeout=20)
            gdb.run("break keel_trap if frame->scause == 3")
            gdb.send("continue\n")
            sh.wait_for_prompt()
            mem = sh.run("mem")
            found = re.search(r"^  (0x[0-9a-f]+)\.\.(0x[0-9a-f]+) +\d+ KiB  initrd$", mem, re.M)
            assert found, mem
            start, end = int(found[1], 16), int(found[2], 16)
            assert end - start == len(data), f"initrd {start:#x}..{end:#x}"
            out = sh.run("pages 4096", timeout=30)
            assert "out of memory" in out and "not zeroed: 0 words, overwritten: 0" in out, out
            sh.type("fault breakpoint\r")
            gdb.expect(r"Breakpoint 1", timeout=20)
            direct = layout(args.kernel).DIRECT_MAP  # where keel, and so gdb, sees physical memory
            for offset in (0, 4096, len(data) // 2, len(data) - 16):
                shown = gdb.run(f"x/16xb {direct + start + offset:#x}", timeout=10)
                got = bytes(int(b, 16) for b in re.findall(r"0x([0-9a-f]{2})\b", shown.split(":", 1)[1]))
                assert got == data[offset:offset + 16], f"initrd +{offset:#x}: {got.hex()} vs {data[offset:offset + 16].hex()}"
            gdb.run("delete")
            gdb.send("continue\n")


def a_tree_under_a_memreserve_still_boots():
    """U-Boot may put a /memreserve/ over the device tree itself. That memory must not be handed
    out, but keel reads the tree for as long as it runs: it must stay mapped. QEMU's own virt tree
    with such an entry, passed with -dtb."""
    import tempfile
    dtc = shutil.which("dtc")
    assert dtc, "dtc is missing: scripts/install-deps.sh installs device-tree-compiler"
    with tempfile.TemporaryDirectory() as directory:
        edited = virt_tree(directory, ("/dts-v1/;", "/dts-v1/;\n/memreserve/ 0x87e00000 0x2000;"),
                           name="reserved", dtc=dtc)
        with KeelShell(args.kernel, extra=["-dtb", edited], deadline=60) as sh:
            assert "riscv-virtio,qemu" in sh.text(), sh.text()[-1500:]
            mem = sh.run("mem")
            assert re.search(r"^  0x0087e00000\.\.0x0087e02000 +8 KiB  device tree memory reservation$",
                             mem, re.M), mem
            assert "model     riscv-virtio,qemu" in sh.run("dt")  # reads the blob after paging is on


def the_shell_survives_a_program_that_holds_every_page():
    """`hog hold` takes every free page and keeps it (MAP_POPULATE stops short without a kill).
    Then what needs a task of its own must say it could not have one and leave the shell alive:
    `fault stack-overflow` (which once recursed on the shell's own stack, ending the shell for
    good), `smp-print` and `smp-alloc` (which once counted harts that never ran them). Once hog is
    killed they work again and every page comes back."""
    with KeelShell(args.kernel, mem="64M", smp=2, extra=["-initrd", args.initrd], deadline=120) as sh:
        before = counters(sh.run("mem"), "pages:")["free"]
        start = len(sh.output)
        pid = re.search(r"\[pid (\d+)\] hog runs in the background", sh.run("hog hold &"))[1]
        sh.expect(rb"hog: holding every page \(\d+ MiB mapped\)", timeout=60, since=start)
        assert counters(sh.run("mem"), "pages:")["free"] == 0
        out = sh.run("fault stack-overflow", timeout=20)
        assert "fault: stack-overflow not provoked: no task could be started for it (out of pages)\n" in out, out
        assert "TRAP" not in out and "ended: stack overflow" not in out, out
        assert sh.run("echo alive") == "alive\n"
        out = sh.run("smp-print 3", timeout=20)
        printed = set(re.findall(r"^hart (\d+) line \d: the quick brown fox", out, re.M))
        missed = re.search(r"^smp-print: (\d+) of 2 harts printed 3 lines each; no task could be "
                           r"started on hart (\d+) \(out of pages, or too many tasks\)$", out, re.M)
        assert missed and int(missed[1]) == len(printed) == 1 and missed[2] not in printed, out
        out = sh.run("smp-alloc 10", timeout=20)
        assert out.startswith("smp-alloc: 1 hart x 10 requests") and \
            f"  hart {missed[2]}: not run: no task could be started on it\n" in out, out
        start = len(sh.output)
        sh.run(f"kill {pid}")
        sh.expect(rb"hog killed: by kill \(SIGKILL\)\n", timeout=20, since=start)
        out = sh.run("smp-print 3", timeout=20)
        assert len(set(re.findall(r"^hart (\d+) line \d", out, re.M))) == 2, out
        assert "fault: recovered; back to the shell" in sh.run("fault stack-overflow", timeout=20)
        assert counters(sh.run("mem"), "pages:")["free"] == before


def symbol(name):
    return harness_symbol(args.kernel, name)


def vm_walks_the_kernel_map():
    """The image at its link address, backed by where QEMU loaded it; RAM in the direct map but
    for OpenSBI's memory and the image itself; nothing in the lower half."""
    kmain, data = symbol("kmain"), symbol("__data_start")
    map_ = layout(args.kernel)
    physical = lambda address: address - map_.LINK_BASE + map_.LOAD_BASE  # noqa: E731
    with KeelShell(args.kernel) as sh:
        out = sh.run(f"vm {kmain:#x}")
        assert re.search(rf"^  maps to {physical(kmain):#x} \(R X G A\)$", out, re.M), out  # R X, not W
        out = sh.run(f"vm {data:#x}")
        assert re.search(rf"^  maps to {physical(data):#x} \(R W G A D\)$", out, re.M), out  # R W, not X
        for user in (0, 0x10000, 0x80000000, map_.USER_TOP - 1):
            out = sh.run(f"vm {user:#x}")
            assert "invalid" in out and "not mapped: the walk stopped at level" in out, out
        assert "not a Sv39 address" in sh.run(f"vm {map_.USER_TOP:#x}")
        for left_out in (0x80000000, map_.LOAD_BASE):  # OpenSBI's memory; the image's alias
            out = sh.run(f"vm {map_.DIRECT_MAP + left_out:#x}")
            assert "not mapped" in out, out
        out = sh.run(f"vm {map_.DIRECT_MAP + 0x87000000:#x}")  # free RAM
        assert re.search(r"^  maps to 0x87000000 \(R W G A D\)$", out, re.M), out


def the_mmu_sees_what_the_kernel_says():
    """QEMU's own view of the map (`info mem` through gdb's monitor command), on 4 harts: no page
    both writable and executable, .text r-x and .rodata r--, nothing below the user top (256 GiB)
    and no user page at all, OpenSBI's memory unmapped, all other RAM mapped once (the image at
    its link address, the rest in the direct map); and every hart's satp is the kernel map's."""
    kmain, rodata, data = symbol("kmain"), symbol("__rodata_start"), symbol("__data_start")
    stacks = symbol("__stacks_start")
    layout_ = layout(args.kernel)
    stride, guard_size = layout_.STACK_STRIDE, layout_.STACK_GUARD  # each slot: guard, then stack
    port = free_port()
    with KeelShell(args.kernel, smp=4, gdb_port=port, wait=False) as sh, \
            Gdb(args.kernel, port, deadline=90) as gdb:
        gdb.run(f"target remote 127.0.0.1:{port}", timeout=20)
        gdb.run("break keel_trap if frame->scause == 3")  # stop inside keel, paging on
        gdb.send("continue\n")
        sh.wait_for_prompt()
        satp = int(re.search(r"satp (0x[0-9a-f]+)", sh.run("vm 0"))[1], 16)
        sh.type("fault breakpoint\r")
        gdb.expect(r"Breakpoint 1", timeout=20)
        table = gdb.run("monitor info mem", timeout=20)
        satps = gdb.run("thread apply all p/x $satp", timeout=20)
        gdb.run("delete")
        gdb.send("continue\n")
    ranges = [(int(v, 16), int(s, 16), attr) for v, _, s, attr in
              re.findall(r"^([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16}) (\S+)$", table, re.M)]
    assert ranges, table

    def attr_at(address):
        return next((a for v, s, a in ranges if v <= address < v + s), None)

    assert all(not ("w" in a and "x" in a) for _, _, a in ranges), f"a page is W and X:\n{table}"
    assert attr_at(kmain).startswith("r-x"), table
    assert attr_at(rodata).startswith("r--"), table
    assert attr_at(data).startswith("rw-"), table
    assert all(v >= layout_.DIRECT_MAP for v, _, _ in ranges), f"a page in the lower half:\n{table}"
    assert all("u" not in a for _, _, a in ranges), f"a user page in the kernel's map:\n{table}"
    assert attr_at(layout_.DIRECT_MAP + 0x80000000) is None, table
    for slot in (0, 1, 63):  # each hart slot's guard page is unmapped, the stack above it mapped
        guard = stacks + slot * stride
        assert attr_at(guard) is None and attr_at(guard + guard_size - 1) is None, \
            f"slot {slot}'s guard:\n{table}"
        assert attr_at(guard + guard_size).startswith("rw-"), table
    direct_ram = range(layout_.DIRECT_MAP + 0x80000000, layout_.DIRECT_MAP + 0x88000000)
    ram = sum(s for v, s, _ in ranges if v in direct_ram or v >= layout_.KERNEL_WINDOW)
    guards = layout_.MAX_HARTS * guard_size
    assert ram == 128 * 1024 * 1024 - 512 * 1024 - guards, f"{ram:#x} bytes of RAM mapped:\n{table}"
    values = [int(v, 16) for v in re.findall(r"= (0x[0-9a-f]+)", satps)]
    assert len(values) == 4 and set(values) == {satp}, f"satp per hart {satps}, kernel {satp:#x}"


def the_mmu_sees_a_program_only_in_the_lower_half():
    """QEMU's own view while a program runs (stopped in its first syscall, its table loaded): every
    page below the user top (256 GiB) is a user page and every user page is below it, the kernel's
    pages are all above it, and no page is both writable and executable."""
    layout_ = layout(args.kernel)
    port = free_port()
    with KeelShell(args.kernel, extra=["-initrd", args.initrd], gdb_port=port, wait=False) as sh, \
            Gdb(args.kernel, port, deadline=90) as gdb:
        gdb.run(f"target remote 127.0.0.1:{port}", timeout=20)
        gdb.run("break keel_user_syscall")  # only a program makes syscalls (every one comes here)
        gdb.send("continue\n")
        sh.wait_for_prompt()
        sh.type("hello\r")
        gdb.expect(r"Breakpoint 1", timeout=20)
        table = gdb.run("monitor info mem", timeout=20)
        gdb.run("delete")
        gdb.send("continue\n")
        sh.expect(rb"hello from user mode")
    ranges = [(int(v, 16), int(s, 16), attr) for v, _, s, attr in
              re.findall(r"^([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16}) (\S+)$", table, re.M)]
    user = [(v, s, a) for v, s, a in ranges if "u" in a]
    assert user, f"no user page while a program runs:\n{table}"
    assert all(v + s <= layout_.USER_TOP for v, s, _ in user), f"a user page above the user top:\n{table}"
    assert all("u" in a for v, _, a in ranges if v < layout_.USER_TOP), \
        f"a kernel page below the user top:\n{table}"
    assert any(v >= layout_.KERNEL_WINDOW and a.startswith("r-x") for v, _, a in ranges), table
    assert all(not ("w" in a and "x" in a) for _, _, a in ranges), f"a page is W and X:\n{table}"


run_checks([the_banner_and_mem_report_the_ram_qemu_gives, pages_until_there_are_none_then_all_come_back,
            vm_walks_the_kernel_map, the_mmu_sees_what_the_kernel_says,
            an_initrd_is_reserved_and_never_handed_out, a_tree_under_a_memreserve_still_boots,
            the_mmu_sees_a_program_only_in_the_lower_half,
            the_shell_survives_a_program_that_holds_every_page], args.checks)
