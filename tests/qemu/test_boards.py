#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""keel on four QEMU machines and two boot chains: each boots to `keel> ` and answers `echo ok`
and `dt`.

virt (ns16550a); sifive_u with 2 harts (sifive,uart0; hart 0 is the E51 monitor core and keel
runs on hart 1); spike (no UART: the SBI console); virt through U-Boot's booti with keel.bin; and
a keel linked at 0x90200000 run from 0x80200000 (relocation).
"""
import argparse
import os
import re
import struct
import time

from harness import KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True, help="build/keel.elf (keel.bin beside it)")
parser.add_argument("--relocated", required=True, help="the .bin of keel linked at 0x90200000")
parser.add_argument("--u-boot", default="/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

KEEL_BIN = os.path.splitext(args.kernel)[0] + ".bin"


def answers_echo_and_dt(sh, console, harts):
    assert sh.run("echo ok") == "ok\n"
    dt = sh.run("dt")
    assert f"  console   {console}" in dt, f"dt shows another console:\n{dt}"
    assert f"  harts     {harts}\n" in dt, f"dt shows other harts:\n{dt}"
    return dt


def qemu_virt_with_ns16550a():
    with KeelShell(args.kernel) as sh:
        answers_echo_and_dt(sh, "ns16550a at 0x10000000, irq 10", "0")


def qemu_sifive_u_runs_on_hart_1_with_the_sifive_uart():
    with KeelShell(args.kernel, machine="sifive_u", smp=2) as sh:
        banner = sh.text()
        assert "boot hart 1," in banner, "keel did not boot on hart 1"
        assert re.search(r"console sifive,uart0 \(sifive,uart0\) at 0x10010000 \(irq 4\)", banner), banner
        assert "hart 1 context 2; console input by interrupt" in banner
        dt = answers_echo_and_dt(sh, "sifive,uart0 at 0x10010000, irq 4", "0 (no S-mode) 1")
        assert "SiFive HiFive Unleashed" in dt, dt


def qemu_spike_uses_the_sbi_console():
    # spike's console is the firmware's (HTIF behind SBI). QEMU's HTIF holds one input byte at a
    # time, and input typed in the first moments after the prompt is lost (seen with QEMU 7.2 and
    # OpenSBI 1.1, whatever keel does), so type slowly, after a pause.
    with KeelShell(args.kernel, machine="spike", key_delay=0.03) as sh:
        time.sleep(1.0)
        assert "console sbi-legacy\n" in sh.text(), "spike's console is not the SBI one"
        answers_echo_and_dt(sh, "SBI firmware console (no UART keel drives)", "0")


def image_header_is_what_booti_checks():
    image = open(KEEL_BIN, "rb").read()
    code0, code1, text_offset, image_size, flags, version = struct.unpack_from("<IIQQQI", image, 0)
    magic, magic2 = struct.unpack_from("<8sI", image, 0x30)
    assert code0 & 0x7F == 0x6F, f"code0 {code0:#x} is not a 4-byte jal (a c.j would be 2 bytes)"
    assert text_offset == 0x200000 and flags == 0 and version == 2, (text_offset, flags, version)
    assert magic == b"RISCV\0\0\0" and magic2 == 0x05435352, (magic, hex(magic2))
    assert len(image) <= image_size <= 4 << 20, f"image_size {image_size} vs file {len(image)}"


def qemu_virt_through_u_boot_booti():
    loader = ["-device", f"loader,file={KEEL_BIN},addr=0x84000000"]
    with KeelShell(args.u_boot, wait=False, extra=loader) as sh:
        sh.expect(rb"Hit any key to stop autoboot", timeout=30)
        sh.send(b" ")
        sh.expect(rb"=> ")
        sh.type("booti 0x84000000 - ${fdtcontroladdr}\r")
        sh.expect(rb"## Flattened Device Tree blob at")
        sh.wait_for_prompt()
        assert "boot hart " in sh.text()
        answers_echo_and_dt(sh, "ns16550a at 0x10000000, irq 10", "0")


def linked_at_0x90200000_runs_from_0x80200000():
    with KeelShell(args.relocated, append="selftest=fault:load") as sh:
        banner = sh.text()
        assert "relocated: linked at 0x90200000, running at 0x80200000 (offset -0x10000000)" in banner
        # The fault report still names functions: the symbol table is read with the offset.
        assert re.search(r"#0 0x00000000802[0-9a-f]{5} keel::\(anonymous namespace\)::fault_load\+", banner), banner
        answers_echo_and_dt(sh, "ns16550a at 0x10000000, irq 10", "0")
        assert sh.run("alloc 1K").startswith("alloc: 1024 bytes at 0x802")


run_checks([
    qemu_virt_with_ns16550a,
    qemu_sifive_u_runs_on_hart_1_with_the_sifive_uart,
    qemu_spike_uses_the_sbi_console,
    image_header_is_what_booti_checks,
    qemu_virt_through_u_boot_booti,
    linked_at_0x90200000_runs_from_0x80200000,
], only=args.checks)
