# SPDX-License-Identifier: MIT
# The fuzzers, by name: fuzz_<name>.cpp builds fuzz_<name>, seeded from corpus/<name>/. Read by
# tests/fuzz/CMakeLists.txt (to build them) and cmake/fuzz.cmake (to run them).
set(KEEL_FUZZ_TARGETS
    boot_info     # the device-tree reader and read_boot_info on any blob
    cpio          # the initramfs reader: any archive
    elf           # the ELF executable checker: any file
    format        # the formatter: any format string, a few arguments of each kind
    line_discipline  # the tty line discipline: any termios, keys, reads and writes
    line_editor   # the line editor: any keys; its line, cursor and echo
    number        # parse_number against its model
    path          # the path walk over a fake tree of symlinks, against its model
    regions       # a process's region list against its page model
    riscv_isa     # the ISA string riscv_hwprobe reads: any text
    signal_frame  # rt_sigreturn's reading of a signal frame: any bytes
    tmpfs_options # tmpfs's mount options: any mount data
    tokenizer     # tokenize against its model
    unpack        # unpacking an initramfs into a fake tree: any entries, in any order
)
