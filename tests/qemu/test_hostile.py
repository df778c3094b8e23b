#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile device trees and command lines: keel says what it refuses and why, and runs on.

QEMU virt's own device tree, dumped, edited and compiled again with dtc, is handed to keel through
U-Boot's booti, as a board's firmware hands it over (OpenSBI and U-Boot keep QEMU's own tree, so
they still print): a console UART with an impossible reg-shift, one in RAM, one at address 0,
one that never becomes ready to send; timebase-frequency = <0>; a PLIC claiming 2^32 - 1
sources; a /reserved-memory reg keel cannot decode (that tree goes in with -dtb, through OpenSBI,
which adds its own reservation to it). And escape bytes in the kernel command line must not reach
the terminal raw.
"""
import argparse
import os
import re
import tempfile
import time

import harness
from harness import QEMU, KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--dtc", default="dtc")
parser.add_argument("--u-boot", default="/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

SCRATCH = tempfile.mkdtemp(prefix="keel-hostile-")


def virt_tree(*edits, name):
    return harness.virt_tree(SCRATCH, *edits, name=name, dtc=args.dtc)


# The console UART's reg line, whatever QEMU's dtc writes for it.
UART_REG = r"reg = <0x00 0x10000000 0x00 0x100>;"


KEEL_BIN = os.path.splitext(args.kernel)[0] + ".bin"


def shell_on(dtb):
    """keel booted by U-Boot's booti with `dtb` as its device tree, at its prompt."""
    loaders = ["-device", f"loader,file={KEEL_BIN},addr=0x84000000",
               "-device", f"loader,file={dtb},addr=0x86000000"]
    sh = KeelShell(args.u_boot, wait=False, extra=loaders)
    sh.expect(rb"Hit any key to stop autoboot", timeout=30)
    sh.send(b" ")
    sh.expect(rb"=> ")
    sh.type("booti 0x84000000 - 0x86000000\r")
    sh.expect(rb"## Flattened Device Tree blob at 86000000")
    sh.wait_for_prompt()
    return sh


def refused_uart(reg_line, reason, name):
    dtb = virt_tree((re.escape(UART_REG), reg_line), name=name)
    with shell_on(dtb) as sh:
        boot = sh.text()
        assert re.search(rf"console: not using the ns16550a at 0x[0-9a-f]+: {re.escape(reason)}\n", boot), boot[-1500:]
        assert "console sbi-" in boot, "keel did not fall back to the firmware's console"
        assert sh.run("echo still here") == "still here\n"
        sh.type("panic\r")
        sh.expect(rb"PANIC: the panic command")
        assert sh.wait_exit(5) == 1, "a panic must still end QEMU with status 1"


def uart_with_reg_shift_31_is_refused():
    refused_uart(UART_REG + " reg-shift = <31>;", "its reg-shift is over 3", "reg-shift-31")


def uart_in_ram_is_refused():
    refused_uart("reg = <0x00 0x87000000 0x00 0x100>;", "it sits in RAM", "uart-in-ram")


def uart_at_address_0_is_refused():
    refused_uart("reg = <0x00 0x00 0x00 0x100>;", "it sits at address 0", "uart-at-0")


def uart_that_never_gets_ready_is_abandoned_for_the_sbi_console():
    # 0x10001000 is QEMU's first virtio-mmio slot: its registers read 0, so a 16550 there never
    # shows "transmitter empty". Without a bound keel would wait forever, printing nothing.
    dtb = virt_tree((re.escape(UART_REG), "reg = <0x00 0x10001000 0x00 0x100>;"), name="uart-never-ready")
    started = time.monotonic()
    with shell_on(dtb) as sh:
        boot = sh.text()
        assert "console: the ns16550a at 0x10001000 never became ready to send; using the SBI console\n" in boot, \
            boot[-1500:]
        assert time.monotonic() - started < 15
        assert sh.run("echo still here") == "still here\n"


def timebase_zero_is_not_believed():
    dtb = virt_tree((r"timebase-frequency = <0x989680>;", "timebase-frequency = <0x00>;"), name="timebase-0")
    with shell_on(dtb) as sh:
        assert "timer: 10000000 Hz timebase (assumed: the device tree gives none usable)" in sh.text()
        assert "  timebase  10000000 Hz (assumed: the tree gives none usable)\n" in sh.run("dt")
        first = int(re.search(r"\((\d+) ms\)", sh.run("uptime"))[1])
        started = time.monotonic()
        sh.run("sleep 500")
        slept = time.monotonic() - started
        second = int(re.search(r"\((\d+) ms\)", sh.run("uptime"))[1])
        assert 0.45 < slept < 3, f"sleep 500 took {slept:.2f} s of real time"
        assert second - first >= 500, "uptime did not advance by the sleep"


def a_huge_plic_source_count_is_clamped():
    dtb = virt_tree((r"riscv,ndev = <0x60>;", "riscv,ndev = <0xffffffff>;"), name="plic-huge")
    with shell_on(dtb) as sh:
        assert re.search(r"interrupts: PLIC at 0xc000000 \(1023 sources\)", sh.text()), sh.text()[-800:]
        assert "4294967295" not in sh.text()
        assert sh.run("echo ok") == "ok\n"


def reserved_memory(cells, reg):
    """A /reserved-memory node in front of the memory node, with one carveout at 0x85000000."""
    return (r"\tmemory@80000000 \{",
            f"\treserved-memory {{\n\t\t#address-cells = <{cells}>;\n\t\t#size-cells = <0x02>;\n"
            f"\t\tranges;\n\t\tcarveout@85000000 {{\n\t\t\treg = <{reg}>;\n\t\t\tno-map;\n\t\t}};\n"
            "\t};\n\n\tmemory@80000000 {")


def a_reserved_memory_reg_keel_cannot_decode_keeps_all_ram_out():
    # Which memory such a reg keeps is unknown, so any page handed out could be the firmware's
    # (OpenSBI adds its own child to the tree's /reserved-memory, in that node's cells: handed
    # out, its pages fault on the PMP): keel says so in one line, reserves all of RAM and runs on
    # without a page allocator. The tree goes in with -dtb, through OpenSBI (U-Boot refuses
    # #address-cells 3 there). A reg of two and a half entries; one in cells keel does not read
    # (OpenSBI's child is then unreadable too, and comes first); and, the control, the same
    # carveout readable: reserved, and the rest handed out as usual.
    unreadable = r"(carveout@85000000|mmode_resv\d@80000000)"
    for name, edit, first, why in (
            ("resmem-short-reg", reserved_memory("0x02", "0x00 0x85000000 0x00"), "carveout@85000000",
             "malformed property"),
            ("resmem-3-cells", reserved_memory("0x03", "0x00 0x00 0x85000000 0x00 0x100000"), unreadable,
             "unsupported #address-cells or #size-cells")):
        with KeelShell(args.kernel, extra=["-dtb", virt_tree(edit, name=name)]) as sh:
            boot = sh.text()
            assert re.search(rf"^memory: no page allocator: /reserved-memory/{first} has a reg keel cannot "
                             rf"decode \({re.escape(why)}\), so what the firmware keeps is unknown and no RAM "
                             r"is handed out$", boot, re.M), f"{name}: {boot[-1500:]}"
            assert "pages: there is no page allocator" in sh.run("pages 1"), name
            mem = sh.run("mem")
            assert re.search(r"^  0x0080000000\.\.0x0088000000 +131072 KiB  kept out: a "
                             r"/reserved-memory reg keel cannot decode$", mem, re.M), f"{name}: {mem}"
            assert re.search(r"^pages: total 0, reserved 0, free 0, in use 0, ", mem, re.M), f"{name}: {mem}"
            assert sh.run("echo still here") == "still here\n"
    edit = reserved_memory("0x02", "0x00 0x85000000 0x00 0x100000")
    with KeelShell(args.kernel, extra=["-dtb", virt_tree(edit, name="resmem-ok")]) as sh:
        mem = sh.run("mem")
        assert re.search(r"^  0x0085000000\.\.0x0085100000 +1024 KiB  firmware \(/reserved-memory\), "
                         r"no-map$", mem, re.M), mem
        assert "kept out" not in mem and "pages: 1 page, " in sh.run("pages 1"), mem


def escape_bytes_on_the_command_line_are_printed_escaped():
    with KeelShell(args.kernel, append="selftest=\x1b[2J") as sh:
        assert "selftest: unknown test '\\x1b[2J'" in sh.text(), sh.text()[-800:]
        assert '  bootargs  "selftest=\\x1b[2J"\n' in sh.run("dt")
        assert b"\x1b[2J" not in sh.raw, "an escape sequence from the command line reached the terminal"


try:
    run_checks([
        uart_with_reg_shift_31_is_refused,
        uart_in_ram_is_refused,
        uart_at_address_0_is_refused,
        uart_that_never_gets_ready_is_abandoned_for_the_sbi_console,
        timebase_zero_is_not_believed,
        a_huge_plic_source_count_is_clamped,
        a_reserved_memory_reg_keel_cannot_decode_keeps_all_ram_out,
        escape_bytes_on_the_command_line_are_printed_escaped,
    ], only=args.checks)
finally:
    import shutil
    shutil.rmtree(SCRATCH, ignore_errors=True)
