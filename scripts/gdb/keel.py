# SPDX-License-Identifier: MIT
"""Kernel-aware gdb commands for keel: keel-heap, keel-harts, keel-regs.

Load with `source scripts/gdb/keel.py` (scripts/gdbinit does). Each command reads keel's own data
structures through the debug symbols of build/keel.elf and prints a one-line error, never a Python
traceback, when a symbol it needs is missing (for example a kernel built without it).
"""
import gdb

HEAP_ALLOCATOR = "keel::heap::(anonymous namespace)::g_allocator"
HART_TABLE = "keel::g_harts"
TRAP_HANDLER = "keel_trap"  # src/arch/riscv/trap.cpp; its `frame` argument: the saved registers
# The lean path of a syscall or a page fault from U-mode (src/kernel/user_trap.cpp): its `frame`
# holds every register but s1-s11, which stay in the registers (the C ABI keeps them).
LEAN_TRAP_HANDLERS = ("keel_user_syscall", "keel_user_fault")
LEAN_UNSAVED = {9} | set(range(18, 28))  # s1, s2-s11
CAUSE_NAMES = "keel::kCauseNames"  # src/arch/riscv/trap_cause.cpp: the names keel's reports print
REGISTER_NAMES = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2",
                  "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
                  "s10", "s11", "t3", "t4", "t5", "t6"]


class KeelError(Exception):
    pass


def lookup(expression, what):
    try:
        return gdb.parse_and_eval(f"'{expression}'" if "(" in expression else expression)
    except gdb.error as error:
        raise KeelError(f"{what} not found ({expression}: {error}); is build/keel.elf loaded?")


def atomic(value):
    """The plain value inside a keel::Atomic<T>."""
    return value["value_"]


def cause_name(scause):
    """scause by name, read from the kernel's own table (what its trap reports print)."""
    interrupt, code = scause >> 63, scause & (2**63 - 1)
    try:
        names = lookup(CAUSE_NAMES, "the scause name table")
        if code < 64:
            return names["interrupt" if interrupt else "exception"][code].string()
    except (KeelError, gdb.error, gdb.MemoryError):
        pass
    return "interrupt" if interrupt else "exception"


class KeelCommand(gdb.Command):
    """Base: runs body(), turning expected failures into one line."""

    def invoke(self, argument, from_tty):
        try:
            self.body(argument)
        except (KeelError, gdb.error, gdb.MemoryError) as error:
            print(f"{self.name}: {error}")

    def body(self, argument):
        raise NotImplementedError


class KeelHeap(KeelCommand):
    """keel-heap: the kernel heap's arena, head, used, peak and counts (LinearAllocator)."""

    name = "keel-heap"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def body(self, argument):
        heap = lookup(HEAP_ALLOCATOR, "the kernel heap")
        base = int(heap["arena_"])
        if base == 0:
            print("keel-heap: heap not initialised yet (arena_ is null; heap::init() binds it)")
            return
        capacity = int(heap["end_"]) - base
        used = int(atomic(heap["head_"])) - base
        peak = max(int(atomic(heap["peak_"])), used)  # recorded when the head goes down
        # The heap counts blocks per hart (struct Hart's heap_allocations), as heap::allocations().
        table = lookup(HART_TABLE, "the hart table")
        low, high = table.type.range()
        allocations = sum(int(atomic(table[i]["heap_allocations"])) for i in range(low, high + 1))
        print(f"heap: arena {base:#x}..{base + capacity:#x} ({capacity} bytes), head {base + used:#x}, "
              f"used {used}, free {capacity - used}, peak {peak}, "
              f"allocations {allocations}, failures {int(atomic(heap['failures_']))}")


class KeelHarts(KeelCommand):
    """keel-harts: every hart keel runs, with its id, slot and stage (keel::g_harts)."""

    name = "keel-harts"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def body(self, argument):
        table = lookup(HART_TABLE, "the hart table")
        low, high = table.type.range()
        shown = 0
        for index in range(low, high + 1):
            hart = table[index]
            stage = str(atomic(hart["stage"])).split("::")[-1]
            if stage == "kAbsent":
                continue
            shown += 1
            role = " (boot hart)" if bool(hart["is_boot_hart"]) else ""
            print(f"hart {int(hart['id'])} (slot {int(hart['slot'])}): {stage[1:].lower()}{role}")
        if shown == 0:
            print("keel-harts: no hart has come online yet")


class KeelRegs(KeelCommand):
    """keel-regs: the trap frame (saved registers) of the trap being handled.

    Stop anywhere inside keel's trap handler (it searches the backtrace for it)."""

    name = "keel-regs"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def body(self, argument):
        try:
            gdb.parse_and_eval(TRAP_HANDLER)
        except gdb.error:
            raise KeelError(f"{TRAP_HANDLER} not in this kernel: no trap frames to show")
        frame = gdb.newest_frame() if gdb.selected_thread() else None
        while frame is not None and frame.name() not in (TRAP_HANDLER,) + LEAN_TRAP_HANDLERS:
            frame = frame.older()
        if frame is None:
            raise KeelError("not stopped inside keel's trap handler (break keel_trap, then continue)")
        lean = frame.name() in LEAN_TRAP_HANDLERS
        trap = frame.read_var("frame").dereference()
        word = 2**64 - 1
        sepc = int(trap["sepc"]) & word
        where = gdb.execute(f"info symbol {sepc:#x}", to_string=True).strip()
        scause = int(trap["scause"]) & word
        print(f"trap frame at {int(frame.read_var('frame')) & word:#x}: scause {scause:#x} ({cause_name(scause)})")
        print(f"  sepc {sepc:#018x} ({where})")
        print(f"  stval {int(trap['stval']) & word:#018x}  sstatus {int(trap['sstatus']) & word:#018x}")
        regs = trap["regs"]
        cells = [f"{REGISTER_NAMES[i]:>4} " + (f"{'(not saved)':<18}" if lean and i in LEAN_UNSAVED
                                               else f"{int(regs[i]) & word:#018x}")
                 for i in range(1, 32)]
        for row in range(0, len(cells), 4):
            print("  " + "  ".join(cells[row:row + 4]))


KeelHeap()
KeelHarts()
KeelRegs()
