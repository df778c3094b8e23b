#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile device trees and command lines: keel says what it refuses and why, and runs on.

QEMU virt's own device tree, dumped, edited and compiled again with dtc, is handed to keel through
U-Boot's booti, as a board's firmware hands it over (OpenSBI and U-Boot keep QEMU's own tree, so
they still print): a console UART with an impossible reg-shift, one in RAM, one at address 0,
one that never becomes ready to send; timebase-frequency = <0>; a PLIC claiming 2^32 - 1
sources. And escape bytes in the kernel command line must not reach the terminal raw.
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
        escape_bytes_on_the_command_line_are_printed_escaped,
    ], only=args.checks)
finally:
    import shutil
    shutil.rmtree(SCRATCH, ignore_errors=True)
