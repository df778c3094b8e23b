#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The vDSO each build made (BUILD/vdso.so) is one that glibc accepts, and the kernel embeds it.

The object is read the way glibc's static startup reads AT_SYSINFO_EHDR (elf/setup-vdso.h,
dl-lookup.c): program headers, not sections, lead to the dynamic table, and __vdso_rt_sigreturn
is looked up through both DT_GNU_HASH and DT_HASH with its version (LINUX_4.15, .gnu.version and
.gnu.version_d: ELF gABI "Dynamic Section", LSB "Symbol Versioning"). Checked: ELF64 RISC-V
ET_DYN; one PT_LOAD, r-x, at 0; a read-only PT_DYNAMIC; soname linux-vdso.so.1; no relocations;
only the symbols keel implements exported; the trampoline's bytes are `li a7,139; ecall` (the
encodings libgcc and gdb match; objdump must read them so too); its CFI marks a signal frame
(readelf); the file fits two pages; generated/keel/kernel/vdso_symbols.h has its offset and size;
keel.elf holds it byte for byte, page aligned, zero-padded to whole pages. Before that it checks
itself: a copy of the real vdso.so with each of a few defects must fail.
Usage: check_vdso.py BUILD [BUILD...]
"""
import os
import re
import shutil
import struct
import subprocess
import sys

PAGE = 4096
EXPORTED = {"__vdso_rt_sigreturn": "LINUX_4.15", "__vdso_clock_gettime": "LINUX_4.15",
            "__vdso_gettimeofday": "LINUX_4.15", "__vdso_clock_getres": "LINUX_4.15"}  # grow it as keel implements more
TRAMPOLINE = struct.pack("<II", 0x08B00893, 0x00000073)  # li a7, 139 (rt_sigreturn); ecall
PT_LOAD, PT_DYNAMIC, PF_X, PF_W, PF_R = 1, 2, 1, 2, 4
DT = {"NULL": 0, "PLTRELSZ": 2, "HASH": 4, "STRTAB": 5, "SYMTAB": 6, "RELASZ": 8, "SONAME": 14,
      "RELSZ": 18, "TEXTREL": 22, "GNU_HASH": 0x6FFFFEF5, "VERSYM": 0x6FFFFFF0, "VERDEF": 0x6FFFFFFC}


class Elf:
    """An ELF64 little-endian file in memory, read through its program headers as a loader would."""

    def __init__(self, data):
        self.data = data
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError("not a little-endian ELF64 file")
        (self.type, self.machine, _, _, self.phoff, self.shoff, _, _, self.phentsize, self.phnum,
         self.shentsize, self.shnum, _) = struct.unpack_from("<HHIQQQIHHHHHH", data, 16)

    def phdrs(self):
        for i in range(self.phnum):
            yield struct.unpack_from("<IIQQQQQQ", self.data, self.phoff + i * self.phentsize)

    def sections(self):
        for i in range(self.shnum):
            yield struct.unpack_from("<IIQQQQIIQQ", self.data, self.shoff + i * self.shentsize)

    def u32(self, offset):
        return struct.unpack_from("<I", self.data, offset)[0]

    def string(self, offset):
        return self.data[offset:self.data.index(b"\0", offset)].decode()


def elf_hash(name):
    """The System V hash (gABI "Hash Table"), which DT_HASH and vd_hash use."""
    h = 0
    for c in name.encode():
        h = ((h << 4) + c) & 0xFFFFFFFF
        h = (h ^ (h >> 24 & 0xF0)) & 0x0FFFFFFF
    return h


def gnu_hash(name):
    h = 5381
    for c in name.encode():
        h = (h * 33 + c) & 0xFFFFFFFF
    return h


def dynamic_table(elf, problems):
    """The PT_DYNAMIC entries, {tag: value}; the object is linked at 0, so a d_ptr is an offset."""
    loads = [p for p in elf.phdrs() if p[0] == PT_LOAD]
    dynamic = [p for p in elf.phdrs() if p[0] == PT_DYNAMIC]
    if len(loads) != 1 or loads[0][3] != 0 or loads[0][2] != 0 or loads[0][1] & 7 != PF_R | PF_X:
        problems.append(f"want one PT_LOAD, r-x, at offset and address 0; have {loads}")
    if len(dynamic) != 1 or dynamic[0][1] & PF_W:
        problems.append("want one read-only PT_DYNAMIC (glibc writes to a writable one)")
        return {}
    table, offset = {}, dynamic[0][2]
    while True:
        tag, value = struct.unpack_from("<qQ", elf.data, offset)
        if tag == DT["NULL"]:
            return table
        table[tag] = value
        offset += 16


def symbol(elf, dyn, index):
    """(name, value, info, shndx) of dynamic symbol `index`."""
    name, info, _, shndx, value, _ = struct.unpack_from("<IBBHQQ", elf.data, dyn[DT["SYMTAB"]] + 24 * index)
    return elf.string(dyn[DT["STRTAB"]] + name), value, info, shndx


def lookup_sysv(elf, dyn, name):
    nbucket, _ = struct.unpack_from("<II", elf.data, dyn[DT["HASH"]])
    chains = dyn[DT["HASH"]] + 8 + 4 * nbucket
    index = elf.u32(dyn[DT["HASH"]] + 8 + 4 * (elf_hash(name) % nbucket))
    while index and symbol(elf, dyn, index)[0] != name:
        index = elf.u32(chains + 4 * index)
    return index


def lookup_gnu(elf, dyn, name):
    base = dyn[DT["GNU_HASH"]]
    nbuckets, symoffset, bloom_size, shift = struct.unpack_from("<IIII", elf.data, base)
    buckets = base + 16 + 8 * bloom_size
    h = gnu_hash(name)
    bloom = struct.unpack_from("<Q", elf.data, base + 16 + 8 * (h // 64 % bloom_size))[0]
    if not (bloom >> (h % 64)) & (bloom >> ((h >> shift) % 64)) & 1:
        return 0  # the Bloom filter, which glibc asks first, says it is not there
    index = elf.u32(buckets + 4 * (h % nbuckets))
    while index >= symoffset:
        chain = elf.u32(buckets + 4 * nbuckets + 4 * (index - symoffset))
        if (chain | 1) == (h | 1) and symbol(elf, dyn, index)[0] == name:
            return index
        if chain & 1:
            return 0
        index += 1
    return 0


def version_name(elf, dyn, index):
    """The name of the version definition a symbol's .gnu.version entry points at, or None."""
    wanted = struct.unpack_from("<H", elf.data, dyn[DT["VERSYM"]] + 2 * index)[0] & 0x7FFF
    offset = dyn[DT["VERDEF"]]
    while True:
        _, _, ndx, _, vd_hash, aux, following = struct.unpack_from("<HHHHIII", elf.data, offset)
        if ndx == wanted:
            name = elf.string(dyn[DT["STRTAB"]] + elf.u32(offset + aux))
            return name if vd_hash == elf_hash(name) else f"{name} (vd_hash wrong)"
        if not following:
            return None
        offset += following


def check_object(data, problems):
    """Everything about vdso.so alone; returns {name: value} of the exported symbols found."""
    elf = Elf(data)
    if elf.type != 3 or elf.machine != 243:
        problems.append(f"want ET_DYN (3), EM_RISCV (243); have e_type {elf.type}, e_machine {elf.machine}")
    if len(data) > 2 * PAGE:
        problems.append(f"{len(data)} bytes: more than two pages")
    dyn = dynamic_table(elf, problems)
    needed = ("STRTAB", "SYMTAB", "HASH", "GNU_HASH", "SONAME", "VERSYM", "VERDEF")
    missing = [tag for tag in needed if DT[tag] not in dyn]
    if missing:
        problems.append(f"no DT_{', DT_'.join(missing)}")
        return {}
    if elf.string(dyn[DT["STRTAB"]] + dyn[DT["SONAME"]]) != "linux-vdso.so.1":
        problems.append("soname is not linux-vdso.so.1")
    if any(dyn.get(DT[tag], 0) for tag in ("RELASZ", "RELSZ", "PLTRELSZ")) or DT["TEXTREL"] in dyn:
        problems.append("has relocations: nothing relocates the vDSO")
    count = elf.u32(dyn[DT["HASH"]] + 4)  # nchain: the number of dynamic symbols
    exported = {}
    for index in range(1, count):
        name, value, info, shndx = symbol(elf, dyn, index)
        if info >> 4 == 1 and shndx != 0 and shndx != 0xFFF1:  # global, defined, not a version's ABS
            exported[name] = value
            if EXPORTED.get(name) != version_name(elf, dyn, index):
                problems.append(f"exports {name} as {version_name(elf, dyn, index)}; want only {EXPORTED}")
            if lookup_sysv(elf, dyn, name) != index or lookup_gnu(elf, dyn, name) != index:
                problems.append(f"{name}: DT_HASH or DT_GNU_HASH does not find it")
    for name in EXPORTED.keys() - exported.keys():
        problems.append(f"does not export {name}")
    offset = exported.get("__vdso_rt_sigreturn")
    if offset is not None and data[offset:offset + 8] != TRAMPOLINE:
        problems.append(f"__vdso_rt_sigreturn is {data[offset:offset + 8].hex()}, not li a7,139; ecall")
    return exported


def tool(*names):
    for name in names:
        if shutil.which(name):
            return name
    sys.exit(f"check_vdso: none of {', '.join(names)} found (scripts/install-deps.sh installs them)")


def check_tools(path, offset, problems):
    """objdump's reading of the trampoline, and readelf's of its CFI: a signal frame, CFA sp+304."""
    objdump = tool("riscv64-unknown-elf-objdump", "riscv64-linux-gnu-objdump", "llvm-objdump")
    text = subprocess.run([objdump, "-d", f"--start-address={offset}", f"--stop-address={offset + 8}", path],
                          capture_output=True, text=True, check=True).stdout
    words = re.findall(r"^\s*[0-9a-f]+:\s+(?:[0-9a-f]{2} ?){4}\s+(.*)$", text, re.M)
    if [re.sub(r"[\s,]+", " ", w).strip() for w in words] != ["li a7 139", "ecall"]:
        problems.append(f"{objdump} reads __vdso_rt_sigreturn as {words}")
    readelf = tool("riscv64-unknown-elf-readelf", "riscv64-linux-gnu-readelf", "readelf")
    frames = subprocess.run([readelf, "--debug-dump=frames-interp", path], capture_output=True,
                            text=True).stdout
    saved = r"\s+".join(f"c\\+{8 * n}" for n in [*range(1, 32), 0])
    if not re.search(r'CIE "zRS".* ra=64\b', frames) or not re.search(rf"sp\+304\s+{saved}\s", frames):
        problems.append(f"the CFI is not the signal frame's (augmentation S, return column 64, CFA "
                        f"sp+304, x1..x31 and pc saved):\n{frames}")


def check_build(build):
    path = os.path.join(build, "vdso.so")
    with open(path, "rb") as f:
        data = f.read()
    problems = []
    exported = check_object(data, problems)
    offset = exported.get("__vdso_rt_sigreturn", 0)
    check_tools(path, offset, problems)
    with open(os.path.join(build, "generated", "keel", "kernel", "vdso_symbols.h"), encoding="utf-8") as f:
        header = f.read()
    if f"kVdsoSigreturnOffset = {offset:#x};" not in header or f"kVdsoFileSize = {len(data)};" not in header:
        problems.append(f"vdso_symbols.h does not say offset {offset:#x}, size {len(data)}:\n{header}")
    with open(os.path.join(build, "keel.elf"), "rb") as f:
        check_embedded(Elf(f.read()), data, problems)
    return problems


def check_embedded(kernel, data, problems):
    """keel.elf's keel_vdso_start..keel_vdso_end is the file, page aligned, zero-padded to pages."""
    sections = list(kernel.sections())
    symtab = next(s for s in sections if s[1] == 2)  # SHT_SYMTAB
    names, addresses = sections[symtab[6]][4], {}
    for offset in range(symtab[4], symtab[4] + symtab[5], 24):
        name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", kernel.data, offset)
        addresses[kernel.string(names + name)] = value
    start, end = addresses.get("keel_vdso_start"), addresses.get("keel_vdso_end")
    if start is None or end is None or start % PAGE or end - start != -(-len(data) // PAGE) * PAGE:
        problems.append(f"keel.elf: keel_vdso_start {start}, keel_vdso_end {end}: not the image's pages")
        return
    home = next(s for s in sections if s[3] <= start and end <= s[3] + s[5] and s[1] == 1)  # PROGBITS
    embedded = kernel.data[home[4] + start - home[3]:home[4] + end - home[3]]
    if embedded[:len(data)] != data or embedded[len(data):].strip(b"\0"):
        problems.append("keel.elf: the embedded image is not vdso.so")


def self_check(data):
    """Each defect, made in a copy of the real object, must be found."""
    elf = Elf(data)
    strtab = dynamic_table(elf, [])[DT["STRTAB"]]
    load = next(elf.phoff + i * elf.phentsize for i, p in enumerate(elf.phdrs()) if p[0] == PT_LOAD)
    offset = check_object(data, [])["__vdso_rt_sigreturn"]
    defects = {"a writable PT_LOAD": (load + 4, bytes([PF_R | PF_W | PF_X])),
               "another system call number": (offset + 3, b"\x09"),  # the top byte of li's immediate
               "another version": (data.index(b"LINUX_4.15\0", strtab), b"LINUX_2.6\0\0"),
               "another soname": (data.index(b"linux-vdso.so.1", strtab), b"linux-gate")}
    for defect, (where, replacement) in defects.items():
        problems = []
        check_object(data[:where] + replacement + data[where + len(replacement):], problems)
        if not problems:
            sys.exit(f"check_vdso: a copy with {defect} passes: the check is broken")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    failed = False
    for build in sys.argv[1:]:
        with open(os.path.join(build, "vdso.so"), "rb") as f:
            self_check(f.read())
        problems = check_build(build)
        for problem in problems:
            print(f"{build}/vdso.so: {problem}")
        print(f"{'FAIL' if problems else 'ok  '} {build}/vdso.so")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
