#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Traps, panic, timer, interrupts and power, driven through selftest= on the kernel command line.

Each check boots keel with one selftest and reads what the console shows (and how QEMU exits).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

from harness import Qemu, layout, run_checks, text_range

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

def address_of(name):
    """The address of keel::(anonymous namespace)::NAME in the kernel (src/kernel/faults.cpp), from
    its symbol table: the test's own knowledge of where a fault must be, not the kernel's report."""
    nm = shutil.which("riscv64-unknown-elf-nm") or shutil.which("llvm-nm") or "nm"
    out = subprocess.run([nm, "-C", args.kernel], capture_output=True, text=True, check=True, timeout=30).stdout
    found = re.findall(rf"^([0-9a-f]+) \w keel::\(anonymous namespace\)::{name}\b", out, re.M)
    assert len(found) == 1, f"{name}: {found}"
    return int(found[0], 16)


# kind: (cause, scause, the faulting function, the line that says what the address is, if any,
# the address stval must hold: the one the faulting function touches, or None where the privileged
# spec leaves stval to the implementation)
FAULTS = {
    "illegal": ("illegal instruction", 0x2, "fault_illegal_instruction", None, None),
    "load": ("load page fault", 0xd, "fault_load", r"the kernel touched user address 0x1000", 0x1000),
    "store": ("store/AMO page fault", 0xf, "fault_store",
              r"access to unmapped address 0xffffffc080000000", 0xffffffc080000000),
    "breakpoint": ("breakpoint", 0x3, "fault_breakpoint", None, None),
}

# The memory faults: unguarded, so the kernel panics after a report that says what the address was.
# kind: (cause, scause, the line that says what the address is, the faulting function or None,
# the address stval must hold: a field 8 bytes into a null pointer, the store's target (the first
# byte of the function that stores), the data jumped to)
MEMORY_FAULTS = {
    "null": ("load page fault", 0xd, r"null pointer dereference \(address 0x8\)", "fault_null", lambda: 0x8),
    "write-text": ("store/AMO page fault", 0xf,
                   r"write to read-only kernel text at (0x[0-9a-f]{16}) keel::\(anonymous namespace\)::"
                   r"fault_write_text\+0x0", "fault_write_text", lambda: address_of("fault_write_text")),
    "exec-data": ("instruction page fault", 0xc, r"execute from non-executable memory \(\.data\)", None,
                  lambda: address_of("g_data_code")),
}
TEXT = text_range(args.kernel)


def backtrace_frames(report):
    """[(address, name)] of the first backtrace in `report`, checking every frame is a code address."""
    block = report[report.index("backtrace:\n") + len("backtrace:\n"):]
    frames = []
    for line in block.splitlines():
        match = re.fullmatch(r"  #(\d+) 0x([0-9a-f]{16})(?: (.+?)\+0x[0-9a-f]+)?", line)
        if not match:
            break
        assert int(match[1]) == len(frames), f"frame numbers skip:\n{block}"
        address = int(match[2], 16)
        assert TEXT[0] <= address < TEXT[1], f"#{match[1]} {address:#x} is not a code address:\n{block}"
        assert match[3], f"#{match[1]} {address:#x} has no name:\n{block}"
        frames.append((address, match[3]))
    assert frames, f"no frames:\n{block}"
    return frames


def check_names_function_and_caller(frames, function, caller):
    """The faulting function, then (right below it) the function that called it."""
    names = [name for _, name in frames]
    at = next((i for i, name in enumerate(names) if name.endswith(function)), None)
    assert at is not None, f"{function} is not in the backtrace: {names}"
    assert at + 1 < len(names) and names[at + 1].endswith(caller), f"{function}'s caller is not {caller}: {names}"
    # Boot selftests run in the shell's task: the walk ends where every task starts.
    assert "keel::(anonymous namespace)::shell_task" in names, names
    assert names[-1] == "keel_context_entry", f"the walk does not end at keel_context_entry: {names}"


def boot(selftest, deadline=20, extra=()):
    return Qemu(args.kernel, deadline=deadline, append=f"selftest={selftest}", extra=extra)


def check_fault(kind):
    cause, code, function, says, address = FAULTS[kind]
    with boot(f"fault:{kind}") as q:
        q.expect(rf"TRAP: {re.escape(cause)} \(scause={code:#x}\) on hart 0\n")
        if says:
            q.expect(rf"  {says}\n", timeout=5)
        sepc = q.expect(rb"  sepc=(0x[0-9a-f]{16}) (.+?)\+0x[0-9a-f]+\n")
        assert sepc[2].decode().endswith(function), f"sepc names {sepc[2]!r}, not {function}"
        stval = int(q.expect(rb"  stval=(0x[0-9a-f]{16})")[1], 16)
        assert address is None or stval == address, f"{kind}: stval {stval:#x}, want {address:#x}"
        q.expect(rb"\s+ra=0x[0-9a-f]{16}\s+sp=0x[0-9a-f]{16}")
        q.expect(rb"backtrace:\n")
        first = q.expect(rb"  #0 (0x[0-9a-f]{16}) (.+?)\+0x[0-9a-f]+\n")
        assert first[1] == sepc[1], "the backtrace does not start at sepc"
        assert first[2].decode().endswith(function), first[0]
        q.expect(rf"selftest: fault {kind} caught, kernel carries on")
        q.expect(rb"keel: boot complete")
        report = q.text()[q.text().index("TRAP:"):]
    check_names_function_and_caller(backtrace_frames(report), function, "keel::run_guarded")
    # scripts/symbolize names the source line of the faulting instruction.
    symbolize = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "symbolize")
    run = subprocess.run([sys.executable, symbolize, "--elf", args.kernel], input=report,
                         capture_output=True, text=True, timeout=30)
    out = run.stdout + run.stderr
    assert re.search(rf"  #0 0x[0-9a-f]+ .*{function}\+0x[0-9a-f]+\n\s+.*{function}\(void\*\) at "
                     rf"\S*src/kernel/faults\.cpp:\d+\n", out), f"symbolize did not place #0:\n{out}"


def illegal_instruction_is_reported_and_survived():
    check_fault("illegal")


def load_from_an_unmapped_address_is_reported_and_survived():
    check_fault("load")


def store_into_the_firmwares_memory_is_reported_and_survived():
    check_fault("store")


def check_memory_fault(kind):
    cause, code, says, function, address = MEMORY_FAULTS[kind]
    with boot(f"fault:{kind}") as q:
        q.expect(rf"TRAP: {re.escape(cause)} \(scause={code:#x}\) on hart 0\n")
        named = q.expect(rf"  {says}\n", timeout=5)
        sepc = int(q.expect(rb"  sepc=(0x[0-9a-f]{16})")[1], 16)
        stval = int(q.expect(rb"  stval=(0x[0-9a-f]{16})")[1], 16)
        q.expect(rf"PANIC: unhandled {re.escape(cause)} in the kernel\n")
        assert q.wait_exit(timeout=5) == 1, f"{kind}: QEMU did not exit 1 after the panic"
        report = q.text()[q.text().index("TRAP:"):q.text().index("PANIC:")]
    assert stval == address(), f"{kind}: stval {stval:#x}, want {address():#x}"
    if named.re.groups:  # the report names the address: the one that faulted
        assert int(named[1], 16) == stval, named[0]
    if function is None:  # exec-data: sepc is the data it jumped to, not code
        assert sepc == stval and not TEXT[0] <= sepc < TEXT[1], f"sepc {sepc:#x}, stval {stval:#x}"
        return
    frames = backtrace_frames(report)
    assert frames[0][1].endswith(function), frames[:3]
    check_names_function_and_caller(frames, function, "keel::provoke_fault")


def null_pointer_dereference_is_named_and_panics():
    check_memory_fault("null")


def write_to_kernel_text_is_named_with_the_function_it_hit_and_panics():
    check_memory_fault("write-text")


def executing_data_is_named_and_panics():
    check_memory_fault("exec-data")


def a_task_stack_overflow_is_named_and_ends_only_that_task():
    # The recursion runs in a task of its own; its stack runs into the unmapped pages under it.
    # The report (from the hart's emergency stack) names the task; the task ends with -11 and
    # the kernel goes on to the prompt.
    with boot("fault:stack-overflow") as q:
        q.expect(rb"TRAP: store/AMO page fault \(scause=0xf\) on hart 0\n")
        named = q.expect(rb"  task stack overflow: task (\d+) \(overflow\), (\d+) bytes under its "
                         rb"stack at (0x[0-9a-f]+)\n", timeout=5)
        stval = int(q.expect(rb"  stval=(0x[0-9a-f]{16})")[1], 16)
        q.expect(rb"backtrace:\n")
        ended = q.expect(rb"task (\d+) \(overflow\) ended: stack overflow \(exit value -11\)\n")
        q.expect(rb"selftest: fault stack-overflow caught, kernel carries on\n")
        q.expect(rb"keel: boot complete")
        report = q.text()[q.text().index("TRAP:"):q.text().index("task " + ended[1].decode() + " (overflow) ended")]
    assert named[1] == ended[1], (named[0], ended[0])
    low = int(named[3], 16)
    assert low - int(named[2]) == stval and stval < low, (hex(stval), named[0])
    frames = backtrace_frames(report)
    assert frames[0][1].endswith("recurse") and len(frames) > 8, frames  # the recursion, walked


def freeing_a_page_that_was_never_handed_out_panics_with_address_and_caller():
    with boot("page-free") as q:
        freed = int(q.expect(rb"selftest: page-free: freeing (0x[0-9a-f]+), ")[1], 16)
        panic = q.expect(rb"PANIC: page free of (0x[0-9a-f]+) \(order 0\) from (0x[0-9a-f]+): not page aligned\n")
        assert q.wait_exit(timeout=5) == 1
        text = q.text()
    assert int(panic[1], 16) == freed, panic[0]
    caller = int(panic[2], 16)
    frames = backtrace_frames(text[text.index("PANIC:"):])
    assert (caller, "keel::(anonymous namespace)::bad_page_free") in frames, (hex(caller), frames)


def interrupts_at_the_bottom_of_the_stack_hand_back_the_same_sp():
    # The ticks that come while sp is 256 bytes above the stack's bottom are handled on the
    # emergency stack; the interrupted code must get its own sp back.
    with boot("stack-edge") as q:
        seen = q.expect(rb"selftest: stack-edge: sp (0x[0-9a-f]+) before, (0x[0-9a-f]+) after (\d+) timer "
                        rb"interrupts? there\n")
        q.expect(rb"keel: boot complete")
    assert int(seen[3]) >= 1, "no timer interrupt came while sp was at the bottom"
    assert seen[1] == seen[2], f"sp {seen[1].decode()} became {seen[2].decode()}"


def breakpoint_is_reported_and_survived():
    check_fault("breakpoint")


def fatal_fault_panics_and_the_panic_backtrace_crosses_the_trap():
    with boot("fault:fatal") as q:
        q.expect(rb"TRAP: illegal instruction \(scause=0x2\) on hart 0\n")
        q.expect(rb"PANIC: unhandled illegal instruction in the kernel\n")
        assert q.wait_exit(timeout=5) == 1
        text = q.text()
    trap = text[text.index("TRAP:"):text.index("PANIC:")]
    check_names_function_and_caller(backtrace_frames(trap), "fault_illegal_instruction", "keel::provoke_fault")
    # The panic's own walk goes from the handler through trap.S's frame into the faulting code.
    frames = backtrace_frames(text[text.index("PANIC:"):])
    names = [name for _, name in frames]
    assert "keel_trap_entry" in names, names
    check_names_function_and_caller(frames, "fault_illegal_instruction", "keel::provoke_fault")


def early_panic_before_the_console_still_exits_nonzero():
    with boot("early-panic") as q:
        q.expect(rb"PANIC: selftest: an early panic, before the console is attached\n")
        status = q.wait_exit(timeout=5)
        assert status == 1, f"QEMU exited {status} after an early panic"
        assert "keel 0." not in q.text(), "the banner came before the early panic"


def stray_ebreak_is_reported_and_stepped_over():
    with boot("ebreak") as q:
        q.expect(rb"TRAP: breakpoint \(scause=0x3\) on hart 0\n  sepc=0x[0-9a-f]{16} keel::run_boot_selftest\+")
        q.expect(rb"trap: breakpoint: continuing after it\n")
        q.expect(rb"selftest: ebreak: still running after it\n")


def panic_stops_and_exits_nonzero_within_two_seconds():
    with boot("panic") as q:
        q.expect(rb"PANIC: selftest: panic requested on the command line\n"
                 rb"  at src/kernel/selftest.cpp:\d+ on hart 0\n")
        q.expect(rb"backtrace:\n")
        q.expect(rb"  #\d+ 0x[0-9a-f]{16} keel::run_boot_selftest\+")
        status = q.wait_exit(timeout=2)  # raises if QEMU is still running 2 s after the report
        assert status != 0, f"QEMU exited {status} after a panic"


def panic_inside_panic_still_gets_a_line_out_and_stops():
    with boot("panic-recursive") as q:
        q.expect(rb"PANIC: selftest: a panic whose message faults: ")
        q.expect(rb"TRAP: load (?:page|access) fault \(scause=0x[5d]\)")
        q.expect(rb"PANIC \(recursive\): unhandled load (?:page|access) fault in the kernel\n"
                 rb"  at src/kernel/traps.cpp:\d+ on hart 0\n")
        assert q.wait_exit(timeout=5) == 2, "a recursive panic exits QEMU with status 2"


def failed_throwing_new_panics_with_the_request_and_heap_state():
    with boot("oom") as q:
        q.expect(r"PANIC: out of memory: operator new\(1048576 bytes, align 16\) failed; "
                 rf"heap {layout(args.kernel).HEAP_SIZE} bytes at 0x[0-9a-f]+, used \d+, peak \d+, allocations \d+, "
                 r"failures 1\n")
        assert q.wait_exit(timeout=5) != 0


def check_sleep(extra, mechanism):
    with boot("sleep", extra=extra) as q:
        q.expect(rb"timer: 10000000 Hz timebase, 100 Hz tick via " + re.escape(mechanism) +
                 rb", only while tasks wait for a hart\n")
        before = q.expect(rb"selftest: sleep: uptime (\d+) ms, timer interrupts (\d+); sleeping 300 ms\n")
        after = q.expect(rb"selftest: sleep: woke at uptime (\d+) ms, timer interrupts (\d+)\n")
        slept = int(after[1]) - int(before[1])
        interrupts = int(after[2]) - int(before[2])
        assert slept >= 300, f"slept only {slept} ms"
        assert slept < 300 + 2 * 10 + 50, f"woke {slept - 300} ms late"  # two ticks, and a slow host
        # Nothing else runs: the one alarm that ends the sleep, not a 100 Hz tick (30 of them).
        assert 1 <= interrupts <= 2, f"{interrupts} timer interrupts in {slept} ms of sleep"


def a_sleeping_task_wakes_on_time_with_one_timer_interrupt():
    check_sleep((), b"stimecmp (Sstc)")  # QEMU 7.2 virt harts have Sstc


def a_sleeping_task_wakes_through_sbi_set_timer_without_sstc():
    check_sleep(("-cpu", "rv64,sstc=false"), b"SBI set_timer")


def uart_input_arrives_by_interrupt_and_overflow_drops_the_newest():
    with boot("uart") as q:
        q.expect(rb"console input by interrupt")
        q.expect(rb"selftest: uart: send now\n")
        q.send(b"x" * 1500)
        stats = q.expect(rb"interrupt-driven true, interrupts (\d+), queued (\d+), dropped (\d+), "
                         rb"ring (\d+), drained (\d+)\n")
        interrupts, queued, dropped, ring, drained = (int(v) for v in stats.groups())
        assert interrupts > 0, "no receive interrupt was taken"
        assert queued == ring == drained == 1024, stats[0]
        assert dropped == 1500 - 1024, stats[0]
        q.send(b"hello keel\r")
        q.expect(rb'selftest: uart: line "hello keel"')


def srst_cold_reboot_restarts_the_machine():
    with boot("reboot") as q:
        q.expect(rb"selftest: cold reboot via SBI SRST\n")
        q.expect(rb"OpenSBI v")  # the firmware starts over
        q.expect(rb"keel \d+\.\d+\.\d+ \(")
        q.expect(rb"selftest: cold reboot via SBI SRST\n")  # and keel boots again


def srst_shutdown_exits_qemu_with_status_zero():
    with boot("shutdown") as q:
        q.expect(rb"selftest: shutdown via SBI SRST")
        status = q.wait_exit(timeout=5)
        assert status == 0, f"QEMU exited {status}"


run_checks([
    illegal_instruction_is_reported_and_survived,
    load_from_an_unmapped_address_is_reported_and_survived,
    store_into_the_firmwares_memory_is_reported_and_survived,
    null_pointer_dereference_is_named_and_panics,
    write_to_kernel_text_is_named_with_the_function_it_hit_and_panics,
    executing_data_is_named_and_panics,
    a_task_stack_overflow_is_named_and_ends_only_that_task,
    freeing_a_page_that_was_never_handed_out_panics_with_address_and_caller,
    interrupts_at_the_bottom_of_the_stack_hand_back_the_same_sp,
    breakpoint_is_reported_and_survived,
    fatal_fault_panics_and_the_panic_backtrace_crosses_the_trap,
    early_panic_before_the_console_still_exits_nonzero,
    stray_ebreak_is_reported_and_stepped_over,
    panic_stops_and_exits_nonzero_within_two_seconds,
    panic_inside_panic_still_gets_a_line_out_and_stops,
    failed_throwing_new_panics_with_the_request_and_heap_state,
    a_sleeping_task_wakes_on_time_with_one_timer_interrupt,
    a_sleeping_task_wakes_through_sbi_set_timer_without_sstc,
    uart_input_arrives_by_interrupt_and_overflow_drops_the_newest,
    srst_cold_reboot_restarts_the_machine,
    srst_shutdown_exits_qemu_with_status_zero,
], only=args.checks)
