#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The initramfs: keel finds the cpio newc archive QEMU's -initrd names in /chosen, checks it
whole, maps it read-only, and says in one line what it holds, that there is none, or (for a
damaged archive) the error and the offset of the entry, and boots on either way.

The test reads the archives itself (with the cpio tool and by walking the newc headers here) and
compares what keel says with that."""
import argparse
import os
import re
import shutil
import subprocess
import tempfile

from harness import KeelShell, layout, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="the build's initrd.cpio")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

LINE = re.compile(r"^initramfs: (\d+) files?, (\d+) director(?:y|ies), (\d+) KiB at (0x[0-9a-f]+)$", re.M)


def cpio_tool():
    tool = shutil.which("cpio")
    assert tool, "cpio not found: install it (apt-get install cpio; scripts/install-deps.sh does)"
    return tool


def kinds_by_cpio(path):
    """(files, directories) in the archive, as the cpio tool lists it."""
    with open(path, "rb") as f:
        listing = subprocess.run([cpio_tool(), "-itv"], stdin=f, capture_output=True, text=True,
                                 check=True, timeout=30).stdout
    modes = [line[0] for line in listing.splitlines() if line]
    return modes.count("-"), modes.count("d")


def entry_offsets(data):
    """The header offset of each entry, walking the newc layout (the trailer's included)."""
    offsets, at = [], 0
    while True:
        offsets.append(at)
        name_size = int(data[at + 94:at + 102], 16)
        file_size = int(data[at + 54:at + 62], 16)
        name = data[at + 110:at + 110 + name_size - 1]
        data_at = (at + 110 + name_size + 3) & ~3
        if name == b"TRAILER!!!":
            return offsets
        at = (data_at + file_size + 3) & ~3


def boot(initrd):
    extra = ["-initrd", initrd] if initrd else []
    return KeelShell(args.kernel, extra=extra)


def the_built_initramfs_is_found_whole_and_mapped_read_only():
    files, directories = kinds_by_cpio(args.initrd)
    assert files >= 1, "build/initrd.cpio holds no file"
    with boot(args.initrd) as sh:
        line = LINE.search(sh.text())
        assert line, sh.text()[-800:]
        assert (int(line[1]), int(line[2])) == (files, directories), (line[0], files, directories)
        assert int(line[3]) == (os.path.getsize(args.initrd) + 1023) // 1024, line[0]
        # Read in place, through the direct map, and never written.
        walk = sh.run(f"vm {layout(args.kernel).DIRECT_MAP + int(line[4], 16):#x}")
        flags = re.search(r"maps to 0x[0-9a-f]+ \(([A-Z ]+)\)", walk)
        assert flags and "R" in flags[1].split() and "W" not in flags[1].split(), walk
        assert re.search(rf"^  {int(line[4], 16):#012x}\.\.0x[0-9a-f]+ +\d+ KiB  initrd$", sh.run("mem"), re.M)


ROOTFS = re.compile(r"^rootfs: tmpfs at /, (\d+) files?, (\d+) director(?:y|ies), (\d+) symlinks?, "
                    r"(\d+) other nodes? unpacked from the initramfs(?:; (\d+) entr(?:y|ies) refused)?$", re.M)


def an_archive_made_with_find_dot_cpio_is_read_and_unpacked():
    cat = os.path.join(os.path.dirname(os.path.abspath(args.initrd)), "user", "cat")
    with tempfile.TemporaryDirectory() as tree, tempfile.NamedTemporaryFile(suffix=".cpio") as archive:
        os.makedirs(os.path.join(tree, "bin"))
        os.makedirs(os.path.join(tree, "etc", "deep"))
        for path, text in (("etc/motd", "hello\n"), ("etc/deep/x", "x" * 5000), ("bin/tool", "")):
            with open(os.path.join(tree, path), "w") as f:
                f.write(text)
        shutil.copy(cat, os.path.join(tree, "bin", "cat"))
        os.link(os.path.join(tree, "etc", "motd"), os.path.join(tree, "etc", "hard"))
        os.symlink("etc/motd", os.path.join(tree, "link"))
        names = subprocess.run(["find", "."], cwd=tree, capture_output=True, check=True).stdout
        subprocess.run([cpio_tool(), "-o", "-H", "newc"], cwd=tree, input=names, stdout=archive,
                       stderr=subprocess.DEVNULL, check=True, timeout=30)
        archive.flush()
        with boot(archive.name) as sh:
            line = LINE.search(sh.text())
            # find . lists ".", bin, etc, etc/deep (4 directories: "." is the root), five files (two
            # names of one) and a symlink.
            assert line and (int(line[1]), int(line[2])) == (5, 4), sh.text()[-800:]
            rootfs = ROOTFS.search(sh.text())
            assert rootfs and rootfs.groups() == ("5", "4", "1", "0", None), sh.text()[-800:]
            assert sh.run("cat /link") == "hello\n"  # through the symlink
            assert sh.run("cat /etc/hard") == "hello\n"  # the hard link's data came with one name
        # The same names without etc/deep: Linux makes no missing parent, and neither does keel.
        listing = b"\n".join(n for n in names.split(b"\n") if n != b"./etc/deep") + b"\n"
        archive.seek(0)
        archive.truncate()
        subprocess.run([cpio_tool(), "-o", "-H", "newc"], cwd=tree, input=listing, stdout=archive,
                       stderr=subprocess.DEVNULL, check=True, timeout=30)
        archive.flush()
        with boot(archive.name) as sh:
            rootfs = ROOTFS.search(sh.text())
            assert rootfs and rootfs.groups() == ("4", "3", "1", "0", "1"), sh.text()[-800:]
            assert sh.run("cat /etc/motd") == "hello\n"


def damaged_archives_are_refused_naming_the_entry_and_keel_boots_on():
    data = open(args.initrd, "rb").read()
    offsets = entry_offsets(data)
    assert len(offsets) >= 3, offsets
    with tempfile.TemporaryDirectory() as work:
        cases = []
        cut = os.path.join(work, "cut.cpio")  # ends inside the second entry's header
        with open(cut, "wb") as f:
            f.write(data[:offsets[1] + 50])
        cases.append((cut, offsets[1], "a header runs past the end"))
        magic = os.path.join(work, "magic.cpio")  # the third entry's magic broken
        broken = bytearray(data)
        broken[offsets[2]:offsets[2] + 6] = b"070707"
        with open(magic, "wb") as f:
            f.write(broken)
        cases.append((magic, offsets[2], r"not a cpio newc header \(magic 070701\)"))
        size = os.path.join(work, "size.cpio")  # the second entry's size far past the end
        broken = bytearray(data)
        broken[offsets[1] + 54:offsets[1] + 62] = b"00FFFFFF"
        with open(size, "wb") as f:
            f.write(broken)
        cases.append((size, offsets[1], "a file's data runs past the end"))
        for path, offset, says in cases:
            with boot(path) as sh:
                assert re.search(rf"^initramfs: malformed at offset {offset:#x} of {os.path.getsize(path)} "
                                 rf"bytes: {says}; ignored$", sh.text(), re.M), (path, sh.text()[-600:])
                assert sh.run("echo still booting") == "still booting\n"


def the_built_archive_is_the_same_wherever_the_tree_is_cloned():
    # The README's transcript shows the archive's size in KiB, so a clone at a longer path
    # must not grow it: the user programs' debug info names no absolute path of this machine.
    source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    build = os.path.dirname(os.path.abspath(args.initrd))
    with open(args.initrd, "rb") as f:
        data = f.read()
    for path in (source, build):
        assert path.encode() not in data, f"build/initrd.cpio names {path}"


def no_initramfs_is_fine():
    with boot(None) as sh:
        assert "initramfs: none (no programs to run)\n" in sh.text()


run_checks([
    the_built_initramfs_is_found_whole_and_mapped_read_only,
    an_archive_made_with_find_dot_cpio_is_read_and_unpacked,
    damaged_archives_are_refused_naming_the_entry_and_keel_boots_on,
    the_built_archive_is_the_same_wherever_the_tree_is_cloned,
    no_initramfs_is_fine,
], only=args.checks)
