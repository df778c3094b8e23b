# SPDX-License-Identifier: MIT
"""Kernel-aware gdb commands for keel: keel-heap, keel-harts, keel-regs, keel-user.

Load with `source scripts/gdb/keel.py` (scripts/gdbinit does). Each command reads keel's own data
structures through the debug symbols of build/keel.elf and prints a one-line error, never a Python
traceback, when a symbol it needs is missing (for example a kernel built without it).
"""
import os
import struct

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
        if where.startswith("No symbol") and sepc < 2**63:
            where = "no symbol: keel-user PROGRAM loads a program's"
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


# keel-user: a program's symbols beside the kernel's, and a stop in the one process running it.
IMAGE_RECORDED = "keel::process::remember_image"  # (p, image): p's new image, in its own space
FIRST_RUN = "keel::process::run"  # (argument): the Process a new task runs, spawned or forked
PROCESS_TYPE = "keel::process::Process"
SV39_MODE = 8  # satp.MODE (include/keel/mm/page_table.h: PageTable::satp())
SATP_VARIABLE = "keel_satp"


def elf_entry_and_code(path):
    """(entry, [(start, end)] of the PF_X LOAD segments) of a little-endian ELF64 executable."""
    with open(path, "rb") as f:
        data = f.read(1 << 16)
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise KeelError(f"{path} is not a 64-bit ELF program (a #! script runs busybox: keel-user busybox)")
    entry, phoff = struct.unpack_from("<QQ", data, 0x18)
    if entry >= 2**63:
        raise KeelError(f"{path} runs in the kernel's half of the address space: not a user program")
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    code = []
    for i in range(phnum):
        kind, flags, _, vaddr, _, _, memsz = struct.unpack_from("<IIQQQQQ", data, phoff + i * phentsize)
        if kind == 1 and flags & 1:  # PT_LOAD, PF_X
            code.append((vaddr, vaddr + memsz))
    return entry, code


def program_file(name):
    """(path, the file name it has in the initramfs) for NAME: keel's programs (build/debug/user,
    built with -g), the glibc test programs (build/linux), busybox (build*/busybox-symbols.elf)."""
    if os.sep in name:
        if not os.path.isfile(name):
            raise KeelError(f"no file {name}")
        base = os.path.basename(name)
        return name, "busybox" if base == "busybox-symbols.elf" else base
    kernel = gdb.current_progspace().filename or "build/debug/keel.elf"
    here = os.path.relpath(os.path.dirname(kernel))
    parent = os.path.normpath(os.path.join(here, os.pardir))
    if name == "busybox":
        places = [os.path.join(d, "busybox-symbols.elf") for d in (here, parent)]
    else:
        places = [os.path.join(d, sub, name) for d in (here, parent) for sub in ("user", "linux")]
    for path in places:
        if os.path.isfile(path):
            return path, name
    if name == "busybox":
        raise KeelError(f"no {places[0]}: the build writes it once busybox is fetched "
                        "(scripts/fetch-debian-packages busybox-static)")
    folders = sorted({os.path.dirname(p) for p in places if os.path.isdir(os.path.dirname(p))})
    raise KeelError(f"no program {name} in {', '.join(folders) or here}")


def satp_of(process):
    """satp for a process's address space: its own, or the one a vfork child borrows."""
    borrowed = process["borrowed"]
    space = borrowed.dereference() if int(borrowed) else process["memory"]
    return SV39_MODE << 60 | int(space["table_"]["root_"]) >> 12


class ProgramWatch(gdb.Breakpoint):
    """Where a process starts running a program: when it is the program keel-user names,
    $keel_satp becomes that process's address space. Never stops (internal)."""

    names = set()  # the program's file names (keel-user sets them)

    def __init__(self, spec):
        super().__init__(spec, internal=True)

    def process_and_exe(self, frame):
        raise NotImplementedError

    def stop(self):
        try:
            process, exe = self.process_and_exe(gdb.selected_frame())
            if os.path.basename(exe) not in self.names:
                return False
            satp = satp_of(process)
            gdb.set_convenience_variable(SATP_VARIABLE, satp)
            # A process keel's shell starts has no pid before its task does: it is announced at
            # its first run (an execve's is not run again, a fork's has no new image).
            pid = int(process["pid"])
            if pid != 0:
                gdb.write(f"keel-user: pid {pid} runs {exe}: ${SATP_VARIABLE} = {satp:#x}\n")
        except (gdb.error, gdb.MemoryError) as error:
            gdb.write(f"keel-user: cannot read the process at {self.location} ({error})\n")
        return False


class FirstRun(ProgramWatch):
    """A process's first run (spawned by keel's shell, or forked: the same program)."""

    def __init__(self):
        super().__init__(FIRST_RUN)

    def process_and_exe(self, frame):
        process = frame.read_var("argument").cast(gdb.lookup_type(PROCESS_TYPE).pointer()).dereference()
        return process, process["exe"].string()


class NewImage(ProgramWatch):
    """A new image in a process (keel's shell's, before its first run; or an execve)."""

    def __init__(self):
        super().__init__(IMAGE_RECORDED)

    def process_and_exe(self, frame):
        return frame.read_var("p").referenced_value(), frame.read_var("image")["exe"].string()


class KeelUser(KeelCommand):
    """keel-user PROGRAM [FUNCTION]: debug a user program: its symbols, and a stop in its process.

    Loads PROGRAM's symbols (add-symbol-file; in place of the last program's): hello, cat, ...
    (build/debug/user), a glibc test program (build/linux), busybox (its applets' mains, as
    NAME_main), or a path. From then on, each process that starts running PROGRAM (started by
    keel's shell, by execve, or forked from one running it) sets $keel_satp to its address
    space, and a temporary breakpoint at FUNCTION
    (default: main, or the entry point where there is none) stops only where $satp ==
    $keel_satp: every program is linked at 0x10000, so an address alone would stop in whichever
    one is there. Run keel-user again for another stop.
    The same condition stops that process's traps: break keel_user_syscall if $satp == $keel_satp."""

    name = "keel-user"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_BREAKPOINTS)
        self.loaded = None
        self.breakpoint = None
        self.watches = None

    def body(self, argument):
        words = gdb.string_to_argv(argument)
        if not words or len(words) > 2:
            raise KeelError("usage: keel-user PROGRAM [FUNCTION] "
                            "(keel-user hello; keel-user busybox echo_main)")
        path, name = program_file(words[0])
        entry, code = elf_entry_and_code(path)
        if self.watches is None:
            for needed in (IMAGE_RECORDED, FIRST_RUN):
                if gdb.lookup_global_symbol(needed) is None:
                    raise KeelError(f"{needed} not found: is build/debug/keel.elf loaded?")
            self.watches = (FirstRun(), NewImage())
        if self.breakpoint is not None and self.breakpoint.is_valid():
            self.breakpoint.delete()
        if self.loaded is not None and any(o.filename == self.loaded for o in gdb.objfiles()):
            gdb.execute(f"remove-symbol-file {self.loaded}", to_string=True)
        self.loaded = os.path.abspath(path)  # the name gdb gives the objfile
        gdb.execute(f"add-symbol-file {self.loaded}", to_string=True)
        ProgramWatch.names = {name, "keel-" + name}  # keel's cat is /bin/keel-cat beside busybox's
        if gdb.convenience_variable(SATP_VARIABLE) is None:
            gdb.set_convenience_variable(SATP_VARIABLE, 0)  # no process yet: no user code matches
        function = words[1] if len(words) == 2 else "main"
        address = self.address_of(function, code, default=entry if len(words) == 1 else None, path=path)
        # Temporary: stopped on an instruction whose page the program has not touched yet (keel
        # maps pages at first use), gdb cannot read it, so it could not step past a breakpoint
        # there; with the breakpoint gone, continue needs no step.
        self.breakpoint = gdb.Breakpoint(f"*{address:#x}", temporary=True)
        self.breakpoint.condition = f"$satp == ${SATP_VARIABLE}"
        where = gdb.execute(f"info symbol {address:#x}", to_string=True).split(" in section")[0]
        print(f"keel-user: symbols from {path}; the next process to start {name} stops at {where} "
              f"($satp == ${SATP_VARIABLE})")

    @staticmethod
    def address_of(function, code, default, path):
        """FUNCTION's address, which must be in the program's code (not the kernel's)."""
        try:
            address = int(gdb.parse_and_eval(f"(unsigned long) &'{function}'"))
        except gdb.error:
            address = None
        if address is not None and any(low <= address < high for low, high in code):
            return address
        if default is not None:
            return default
        raise KeelError(f"no function {function} in {path}")


KeelHeap()
KeelHarts()
KeelRegs()
KeelUser()
