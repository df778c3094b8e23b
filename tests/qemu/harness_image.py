# SPDX-License-Identifier: MIT
"""What keel's QEMU tests read from a built kernel (for harness.py): its memory map as the build
wrote it, the addresses of its executable bytes, and its symbols."""
import os
import re
import shutil
import subprocess


def layout(kernel):
    """keel's memory map as the build of `kernel` wrote it: keel_layout.py beside it, made from
    include/keel/arch/riscv/memlayout.h (cmake/layout.py.in). Tests take numbers from here."""
    import runpy
    import types
    values = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(kernel)), "keel_layout.py"))
    return types.SimpleNamespace(**{name: value for name, value in values.items() if name.isupper()})


def text_range(elf):
    """(start, end) of the executable bytes of an ELF64 file: its PF_X LOAD segments (stdlib only)."""
    import struct
    with open(elf, "rb") as f:
        data = f.read()
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    start, end = None, None
    for i in range(phnum):
        p_type, p_flags, _, p_vaddr, _, _, p_memsz = struct.unpack_from("<IIQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_flags & 1:  # PT_LOAD, PF_X
            start = p_vaddr if start is None else min(start, p_vaddr)
            end = p_vaddr + p_memsz if end is None else max(end, p_vaddr + p_memsz)
    return start, end


def symbol(elf, name):
    """The address of symbol `name` in `elf` (nm from the cross binutils, llvm's, or the host's)."""
    nm = shutil.which("riscv64-unknown-elf-nm") or shutil.which("llvm-nm") or "nm"
    out = subprocess.run([nm, elf], capture_output=True, text=True, check=True, timeout=30).stdout
    match = re.search(rf"^([0-9a-f]+) \w {re.escape(name)}$", out, re.M)
    assert match, f"{name} is not in {elf}"
    return int(match[1], 16)
