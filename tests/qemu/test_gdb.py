#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gdb test: a user's debugging session, automated.

gdb starts through scripts/gdbinit (as `make gdb` does) against QEMU halted with its gdb stub, and
must: stop at kmain and see the hart-id argument; stop on a watchpoint on the allocator's head
inside operator new's fast path and see the block it returns; show with keel-heap the numbers the kernel
prints; see the banner on the console; with keel-user, stop in a busybox applet's main (also in a
child busybox's sh forks), follow its write into the kernel's syscall handler and back to the
instruction after its ecall. Every gdb command has a deadline; QEMU and gdb are reaped.
"""
import argparse
import os
import re
import time

from harness import Gdb, Qemu, free_port, gdb_value, layout, run_checks, symbol, text_range

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True, help="a debug build of keel.elf")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ALLOCATOR = "'keel::heap::(anonymous namespace)::g_allocator'"


def debugging_session_sees_what_the_kernel_does():
    port = free_port()
    with Qemu(args.kernel, deadline=120, gdb_port=port) as qemu, \
            Gdb(args.kernel, port, deadline=120, init="scripts/gdbinit", cwd=REPO) as gdb:
        # scripts/gdbinit connected, broke at kmain and continued to it.
        frame = gdb.run("frame", timeout=30)
        assert re.search(r"kmain \(hartid=0, dtb=0x87e00000\)", frame), f"not stopped in kmain: {frame!r}"
        assert gdb_value(gdb.run("print hartid")) == 0
        assert "keel" not in qemu.text(), "the kernel printed before kmain ran"
        # boot.S's code after the Image header is a function of its own, and the outermost frame.
        bt = gdb.run("bt")
        assert re.search(r"#1 +0x[0-9a-f]+ in boot_hart_entry \(\)", bt), bt
        assert "#2" not in bt and "image_header_end" not in bt, bt

        gdb.run("set width 0")  # one line per stop, whatever the terminal
        gdb.run("set print entry-values no")

        # A watchpoint on the allocator's head stops in operator new's fast path, at the
        # store-conditional that moves it: the old value is where the block starts, the new one
        # where it ends; operator new returns the old value.
        base = gdb_value(gdb.run("print/x &'keel::heap::(anonymous namespace)::g_arena'"))
        gdb.run(f"watch -l {ALLOCATOR}.head_.value_")
        hit = gdb.run("continue", timeout=20)  # heap::init() sets the head to the arena's start
        assert re.search(rf"Old value = 0\s+New value = {base}\b", hit) and "init" in hit, hit
        hit = gdb.run("continue", timeout=20)
        change = re.search(r"Old value = (\d+)\s+New value = (\d+)", hit)
        assert change, f"watchpoint did not fire: {hit!r}"
        start, end = int(change[1]), int(change[2])
        assert start == base and end > start and (end - start) % 16 == 0, change[0]
        bt = gdb.run("bt")
        # gdb shows the inlined fast path: bump() inside allocate_fast() inside operator new.
        assert re.search(r"#0 .*keel::LinearAllocator::bump", bt), bt
        assert re.search(r"#2 .*operator new", bt) and "heap_demo" in bt, bt
        gdb.run("up 2")
        returned = gdb_value(gdb.run("finish", timeout=20))
        assert returned == start, f"operator new returned {returned:#x}, the head was {start:#x}"
        # The next allocation starts where this one ended.
        hit = gdb.run("continue", timeout=20)
        change = re.search(r"Old value = (\d+)\s+New value = (\d+)", hit)
        assert change and int(change[1]) == end and int(change[2]) > end, hit

        # keel-heap shows what the kernel prints once the demo is over.
        gdb.run("delete")
        gdb.run("break keel::heap::print_summary")
        gdb.run("continue", timeout=20)
        gdb.run("finish", timeout=20)
        heap = layout(args.kernel).HEAP_SIZE
        printed = qemu.expect(rf"heap: {heap} bytes at 0x([0-9a-f]+), used (\d+), peak (\d+), "
                              r"allocations (\d+), failures (\d+)\n", timeout=5)
        shown = gdb.run("keel-heap")
        expected = (f"heap: arena {base:#x}..{base + heap:#x} ({heap} bytes), head "
                    f"{base + int(printed[2]):#x}, used {printed[2].decode()}, "
                    f"free {heap - int(printed[2])}, peak {printed[3].decode()}, "
                    f"allocations {printed[4].decode()}, failures {printed[5].decode()}")
        assert expected in shown, f"keel-heap: {shown!r}\nkernel:    {printed[0]!r}"
        harts = gdb.run("keel-harts")
        assert "hart 0 (slot 0): online (boot hart)" in harts, harts
        regs = gdb.run("keel-regs")
        assert regs.startswith("keel-regs: not stopped inside") and "Traceback" not in regs, regs

        gdb.run("delete")
        gdb.send("continue\n")
        qemu.expect(r"boot complete", timeout=10)


def keel_regs_shows_the_trap_frame_of_a_breakpoint():
    port = free_port()
    with Qemu(args.kernel, deadline=120, gdb_port=port, append="selftest=fault:breakpoint") as qemu, \
            Gdb(args.kernel, port, deadline=120, init="scripts/gdbinit", cwd=REPO) as gdb:
        gdb.run("set width 0", timeout=30)
        gdb.run("delete")
        gdb.run("break keel_trap if frame->scause == 3")  # timer interrupts come through here too
        stop = gdb.run("continue", timeout=20)
        assert "keel_trap" in stop, stop
        regs = gdb.run("keel-regs")
        assert re.search(r"scause 0x3 \(breakpoint\)\n", regs), regs
        assert re.search(r"sepc 0x[0-9a-f]{16} \(keel::\(anonymous namespace\)::fault_breakpoint", regs), regs
        sp = gdb_value(gdb.run("print/x frame->regs[2]"))
        assert re.search(rf"  sp {sp:#018x}", regs), f"keel-regs sp differs from frame->regs[2] {sp:#x}"
        gdb.run("delete")
        gdb.send("continue\n")
        qemu.expect(r"selftest: fault breakpoint caught", timeout=10)


def a_busybox_applet_steps_into_its_write_and_back():
    """keel-user busybox echo_main stops `busybox echo hi` at echo_main, in U-mode, before it
    prints; its first syscall is a write (64) of "hi\\n" by that process; finish returns to
    keel_trap_entry from the lean path, and a breakpoint four bytes past the ecall stops in
    busybox again, in U-mode, with the write's result (3) in a0, after "hi" came out."""
    build = os.path.dirname(os.path.abspath(args.kernel))
    symbols = os.path.join(build, "busybox-symbols.elf")
    assert os.path.exists(symbols), (f"no {symbols}: fetch busybox (scripts/fetch-debian-packages "
                                     "busybox-static) and rebuild the debug kernel")
    echo_main = symbol(symbols, "echo_main")  # where busybox's applet_main table says echo is
    code = text_range(symbols)
    port = free_port()
    initrd = os.path.join(build, "initrd.cpio")
    with Qemu(args.kernel, deadline=120, gdb_port=port, extra=["-initrd", initrd]) as qemu, \
            Gdb(args.kernel, port, deadline=120, init="scripts/gdbinit", cwd=REPO) as gdb:
        gdb.run("set width 0", timeout=30)
        missing = gdb.run("keel-user nosuch")
        assert missing.startswith("keel-user: no program nosuch in ") and "\n" not in missing.strip(), missing
        armed = gdb.run("keel-user busybox echo_main")
        assert f"Temporary breakpoint 2 at {echo_main:#x}\n" in armed, armed
        assert "the next process to start busybox stops at echo_main" in armed, armed
        gdb.send("continue\n")
        qemu.expect(r"keel> ", timeout=20)
        qemu.send("busybox echo hi\r")
        started = gdb.expect(r"keel-user: pid \d+ runs /bin/busybox: \$keel_satp = (0x[0-9a-f]+)\n",
                             timeout=20)
        satp = int(started[1], 16)
        stop = gdb.expect(r"Temporary breakpoint 2, (0x[0-9a-f]+) in echo_main \(\)\n", timeout=20)
        assert int(stop[1], 16) == echo_main, stop[0]
        assert gdb_value(gdb.run("p $priv")) == 0, "stopped at echo_main, but not in U-mode"
        assert gdb_value(gdb.run("p/x $satp")) == satp, "stopped in another address space"
        assert gdb_value(gdb.run("p $a0")) == 2, "echo_main's argc is not 2 (echo hi)"
        assert not re.search(r"busybox echo hi\n.*hi\n", qemu.text(), re.S), "echo printed before its main"

        gdb.run("break keel_user_syscall if $satp == $keel_satp")
        hit = gdb.run("continue", timeout=20)
        assert "Breakpoint 3, keel_user_syscall" in hit, hit
        assert gdb_value(gdb.run("p frame->regs[17]")) == 64, "echo's first syscall is not write"
        assert gdb_value(gdb.run("p frame->regs[10]")) == 1 and gdb_value(gdb.run("p frame->regs[12]")) == 3
        task_satp = gdb_value(gdb.run("p/x ((keel::sched::Task*)owner)->satp"))
        assert task_satp == satp, "stopped in another process's syscall"
        exe = gdb.run("p ((keel::sched::Task*)owner)->process->exe")
        assert '"/bin/busybox"' in exe, exe
        sepc = gdb_value(gdb.run("p/x frame->sepc"))
        assert code[0] <= sepc < code[1], f"sepc {sepc:#x} is not in busybox's code"
        back = gdb.run("finish", timeout=20)
        # kDone: straight back (sret); kFinish: handled, but the way back has work (the slice is
        # over, a signal): through keel_trap_finish. Either returns past the ecall.
        returned = re.search(r"Value returned is \$\d+ = keel::UserTrap::k(Done|Finish)\n", back)
        assert "keel_trap_entry ()" in back and returned, back

        gdb.run(f"tbreak *{sepc + 4:#x}")
        again = gdb.run("continue", timeout=20)
        assert f"Temporary breakpoint 4, {sepc + 4:#018x} in " in again, again
        assert gdb_value(gdb.run("p $priv")) == 0, "back past the ecall, but not in U-mode"
        assert gdb_value(gdb.run("p/x $satp")) == satp
        assert gdb_value(gdb.run("p $a0")) == 3, "the write's result is not its 3 bytes"
        qemu.expect(r"busybox echo hi\nhi\n", timeout=5)


def keel_user_follows_busybox_sh_into_the_child_that_runs_ls():
    """busybox's sh runs ls in a forked child, without execve: keel-user's $keel_satp moves from
    sh's address space to the child's, and the stop at ls_main is in the child, in U-mode."""
    build = os.path.dirname(os.path.abspath(args.kernel))
    ls_main = symbol(os.path.join(build, "busybox-symbols.elf"), "ls_main")
    port = free_port()
    initrd = os.path.join(build, "initrd.cpio")
    with Qemu(args.kernel, deadline=120, gdb_port=port, extra=["-initrd", initrd]) as qemu, \
            Gdb(args.kernel, port, deadline=120, init="scripts/gdbinit", cwd=REPO) as gdb:
        gdb.run("set width 0", timeout=30)
        gdb.run("keel-user busybox ls_main")
        gdb.send("continue\n")
        qemu.expect(r"keel> ", timeout=20)
        qemu.send("sh\r")
        started = r"keel-user: pid (\d+) runs /bin/busybox: \$keel_satp = (0x[0-9a-f]+)\n"
        shell = gdb.expect(started, timeout=20)
        qemu.expect(r"keel:/# ", timeout=20)
        qemu.send("ls /etc\r")
        child = gdb.expect(started, timeout=20)
        assert child[1] != shell[1] and child[2] != shell[2], f"{shell[0]!r} then {child[0]!r}"
        stop = gdb.expect(r"Temporary breakpoint 2, (0x[0-9a-f]+) in ls_main \(\)\n", timeout=20)
        assert int(stop[1], 16) == ls_main, stop[0]
        assert gdb_value(gdb.run("p $priv")) == 0, "stopped at ls_main, but not in U-mode"
        assert gdb_value(gdb.run("p/x $satp")) == int(child[2], 16), "not in the child's address space"
        assert '"/etc"' in gdb.run("x/s *(char **)($a1 + 8)"), "ls_main's argv[1] is not /etc"
        assert "passwd" not in qemu.text(), "ls printed before its main ran"


def a_panic_on_a_terminal_that_stops_reading_is_seen_once_it_reads_again():
    """A panic while the host does not read keel's output (Ctrl-S, a pane scrolled back): the
    report is kept back like any text the device has no room for, and must still get out when the
    terminal reads again, before the machine stops (once it was lost with QEMU's end). gdb makes
    the panic where a task waits for the stalled UART: its pc moved to a function that panics."""
    build = os.path.dirname(os.path.abspath(args.kernel))
    port = free_port()
    with Qemu(args.kernel, deadline=120, gdb_port=port, pipe_size=4096,
              extra=["-initrd", os.path.join(build, "initrd.cpio")]) as qemu, \
            Gdb(args.kernel, port, deadline=120, init="scripts/gdbinit", cwd=REPO) as gdb:
        gdb.run("set width 0", timeout=30)
        gdb.run("break 'keel::sched::(anonymous namespace)::nap_for_console'")
        gdb.send("continue\n")
        qemu.expect(r"keel> ", timeout=20)
        qemu.send("run busybox seq 1 100000000\r")
        qemu.expect(r"\n1\n2\n", timeout=20)
        qemu.stop_reading()
        gdb.expect(r"Breakpoint 2, .*nap_for_console", timeout=30)
        gdb.run("delete")
        gdb.run("set $pc = 'keel::sched::(anonymous namespace)::task_returned'")
        gdb.send("continue\n")
        time.sleep(2)  # the report waits, kept back
        qemu.resume_reading()
        qemu.expect(r"PANIC: a task's entry returned past exit\(\)\n", timeout=30)
        qemu.expect(r"backtrace:\n", timeout=10)


def gdbinit_without_qemu_says_to_start_make_debug_at_once():
    port = free_port()  # nothing listens there
    started = time.monotonic()
    with Gdb(args.kernel, port, deadline=30, init="scripts/gdbinit", cwd=REPO) as gdb:
        gdb.expect(r"start `make debug` first", timeout=10)
        status = gdb.wait_exit(5)
        out = gdb.text()
    assert time.monotonic() - started < 5, "gdb waited for the connection instead of failing at once"
    assert status != 0, "gdb exited 0 although it could not connect"
    assert "Traceback" not in out, out


run_checks([debugging_session_sees_what_the_kernel_does, keel_regs_shows_the_trap_frame_of_a_breakpoint,
            a_busybox_applet_steps_into_its_write_and_back,
            keel_user_follows_busybox_sh_into_the_child_that_runs_ls,
            a_panic_on_a_terminal_that_stops_reading_is_seen_once_it_reads_again,
            gdbinit_without_qemu_says_to_start_make_debug_at_once], only=args.checks)
