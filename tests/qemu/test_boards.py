#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""keel on four QEMU machines and two boot chains: each boots to `keel> ` and answers `echo ok`
and `dt`, and on each of them `panic` and `shutdown` end QEMU with the status the machine can give.

virt (ns16550a); sifive_u with 2 harts (sifive,uart0; hart 0 is the E51 monitor core and keel
runs on hart 1); spike (no UART: the SBI console); virt through U-Boot's booti with keel.bin; and
keel loaded at 0x90200000 instead of 0x80200000 (it maps itself at its link address wherever it
runs).
"""
import argparse
import os
import re
import struct
import time

from harness import KeelShell, layout, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True, help="build/keel.elf (keel.bin beside it)")
parser.add_argument("--relocated", required=True, help="the .elf of keel loaded at 0x90200000")
parser.add_argument("--u-boot", default="/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

KEEL_BIN = os.path.splitext(args.kernel)[0] + ".bin"
RELOCATED = {"mem": "512M"}  # RAM 0x80000000..0xa0000000 holds 0x90200000
SPIKE_KEY_DELAY = 0.03  # keys on spike; see qemu.spike-input for how fast they may come


def answers_echo_and_dt(sh, console, harts):
    echoed = sh.run("echo ok")
    assert echoed == "ok\n", f"echo ok printed {echoed!r}"
    dt = sh.run("dt")
    assert f"  console   {console}" in dt, f"dt shows another console:\n{dt}"
    assert f"  harts     {harts}\n" in dt, f"dt shows other harts:\n{dt}"
    return dt


NO_RTC = "rtc: none; the time of day starts at 1970-01-01\n"


def qemu_virt_with_ns16550a():
    with KeelShell(args.kernel) as sh:
        # virt's goldfish RTC sets the time of day: QEMU starts it at the host's time (UTC).
        rtc = re.search(r"rtc: goldfish at 0x101000, (\d{4})-\d\d-\d\d \d\d:\d\d:\d\d UTC\n", sh.text())
        assert rtc and int(rtc[1]) == time.gmtime().tm_year, sh.text()[-1500:]
        answers_echo_and_dt(sh, "ns16550a at 0x10000000, irq 10", "0")


def qemu_sifive_u_runs_on_hart_1_with_the_sifive_uart():
    with KeelShell(args.kernel, machine="sifive_u", smp=2) as sh:
        banner = sh.text()
        assert "boot hart 1," in banner, "keel did not boot on hart 1"
        assert "console sifive,uart0 at 0x10010000 (irq 4)\n" in banner, banner
        assert "hart 1 context 2; console input by interrupt" in banner
        assert NO_RTC in banner, banner
        dt = answers_echo_and_dt(sh, "sifive,uart0 at 0x10010000, irq 4", "0 (no S-mode) 1")
        assert "SiFive HiFive Unleashed" in dt, dt


def qemu_sifive_u_with_five_harts_boots_where_opensbi_chose():
    # Hart 0 (the E51 monitor core) has no S-mode, so OpenSBI's lottery runs among harts 1..4:
    # a boot hart other than 0, every time. keel must name the one OpenSBI's banner names, give it
    # slot 0, bring the other three up and leave hart 0 alone.
    with KeelShell(args.kernel, machine="sifive_u", smp=5) as sh:
        boot = sh.text()
        chosen = int(re.search(r"Boot HART ID\s*:\s*(\d+)", boot)[1])
        assert chosen in (1, 2, 3, 4), boot[:1500]
        assert f"boot hart {chosen}," in boot and "smp: 4 harts online\n" in boot, boot[-1500:]
        table = sh.run("harts")
        assert re.search(r"^   0     -  no S-mode  STOPPED", table, re.M), table
        assert re.search(rf"^   {chosen}     0  online .*\(boot hart\)$", table, re.M), table
        assert len(re.findall(r"^   [1-4]     [0-3]  online     STARTED", table, re.M)) == 4, table


def qemu_spike_uses_the_sbi_console():
    # spike's console is the firmware's (HTIF behind SBI). How fast keys may come is
    # qemu.spike-input's subject; here they come at a pace a loaded host keeps up with.
    with KeelShell(args.kernel, machine="spike", key_delay=SPIKE_KEY_DELAY) as sh:
        assert "console sbi-legacy\n" in sh.text(), "spike's console is not the SBI one"
        assert NO_RTC in sh.text(), sh.text()
        answers_echo_and_dt(sh, "SBI firmware console (no UART keel drives)", "0")


# How each machine ends, and what QEMU's exit status says. sifive_u has only a reset line
# (GPIO 10), which ends QEMU under -no-reboot (the harness passes it) with status 0, panic or not.
MACHINES = {
    "virt": dict(options={}, panic_status=1),
    "sifive_u": dict(options=dict(machine="sifive_u", smp=2), panic_status=0),
    "spike": dict(options=dict(machine="spike", key_delay=SPIKE_KEY_DELAY, echoed=True), panic_status=1),
}


def u_boot_shell(**options):
    """keel booted through U-Boot's booti, at its prompt."""
    loader = ["-device", f"loader,file={KEEL_BIN},addr=0x84000000"]
    sh = KeelShell(args.u_boot, wait=False, extra=loader, **options)
    sh.expect(rb"Hit any key to stop autoboot", timeout=30)
    sh.send(b" ")
    sh.expect(rb"=> ")
    sh.type("booti 0x84000000 - ${fdtcontroladdr}\r")
    sh.expect(rb"## Flattened Device Tree blob at")
    sh.wait_for_prompt()
    return sh


def programs_run_in_user_mode_on_every_machine():
    """User mode everywhere: with QEMU's -initrd, a program runs, one that faults is killed alone,
    and busybox's sh writes, reads and removes a file and runs a pipe (sifive_u and spike too, and
    the relocated image; U-Boot has its own check below)."""
    initrd = os.path.join(os.path.dirname(args.kernel), "initrd.cpio")
    machines = [(name, args.kernel, m["options"]) for name, m in MACHINES.items()]
    machines.append(("relocated", args.relocated, RELOCATED))
    for name, kernel, options in machines:
        extra = list(options.get("extra", [])) + ["-initrd", initrd]
        with KeelShell(kernel, **{**options, "extra": extra}) as sh:
            assert re.search(r"^initramfs: \d+ files?, ", sh.text(), re.M), f"{name}: no initramfs line"
            assert sh.run("hello on").startswith("hello from user mode: pid "), name
            out = sh.run("crash")
            assert "store page fault at 0x0" in out and "killed: memory fault (SIGSEGV)" in out, f"{name}: {out}"
            out = sh.run('busybox sh -c "echo written > /f; cat /f; echo piped | busybox tr a-z A-Z; '
                         'busybox rm /f; cat /f"')
            assert re.fullmatch(r"written\nPIPED\ncat: can't open '/f': No such file or directory\n\[pid \d+\] exit status 1\n", out), \
                f"{name}: {out}"
            assert sh.run("echo alive") == "alive\n", name


def u_boot_with_initramfs_runs_programs():
    """booti KERNEL INITRD:SIZE FDT: U-Boot writes /chosen's initrd range, keel finds the archive,
    and its programs run."""
    initrd = os.path.join(os.path.dirname(args.kernel), "initrd.cpio")
    size = os.path.getsize(initrd)
    loader = ["-device", f"loader,file={KEEL_BIN},addr=0x84000000",
              "-device", f"loader,file={initrd},addr=0x86000000"]
    with KeelShell(args.u_boot, wait=False, extra=loader) as sh:
        sh.expect(rb"Hit any key to stop autoboot", timeout=30)
        sh.send(b" ")
        sh.expect(rb"=> ")
        sh.type(f"booti 0x84000000 0x86000000:{size:x} ${{fdtcontroladdr}}\r")
        sh.wait_for_prompt()
        line = re.search(r"^initramfs: (\d+) files?, \d+ director(?:y|ies), \d+ KiB at 0x86000000$",
                         sh.text(), re.M)
        assert line, sh.text()[-1500:]
        # This QEMU keeps its own escape key, Ctrl-A, and nothing told keel otherwise.
        assert "type 'help' (QEMU: Ctrl-A then x quits)\n" in sh.text(), sh.text()[-500:]
        assert sh.run("hello via u-boot").startswith("hello from user mode: pid ")


def every_shell():
    """(name, a function that boots keel there, the panic exit status) for every way keel runs."""
    for name, machine in MACHINES.items():
        yield name, (lambda m=machine: KeelShell(args.kernel, **m["options"])), machine["panic_status"]
    yield "u-boot", u_boot_shell, 1
    yield "relocated", lambda: KeelShell(args.relocated, **RELOCATED), 1


def command_ends_qemu_everywhere(command, says, status_of):
    """`command` on every machine: keel prints `says`, then QEMU exits with status_of(panic status)."""
    for name, boot, panic_status in every_shell():
        with boot() as sh:
            sh.type(command + "\r")
            sh.expect(says)
            status = sh.wait_exit(10)
            assert status == status_of(panic_status), f"{name}: QEMU exited {status} after {command}"


def panic_ends_qemu_on_every_machine():
    command_ends_qemu_everywhere("panic", rb"PANIC: the panic command\n", lambda panic_status: panic_status)


def shutdown_ends_qemu_with_status_zero_on_every_machine():
    command_ends_qemu_everywhere("shutdown", rb"powering off\n", lambda panic_status: 0)


def memory_adds_up_and_pages_come_back_on_every_machine():
    """The banner's memory line adds up to the RAM in pages; its kernel share is the kernel line's
    range; `mem` lists that range as the kernel image; `pages 64` takes 64 zeroed pages and leaves
    the counters where they were."""
    for name, boot, _ in every_shell():
        with boot() as sh:
            banner = sh.text()
            line = re.search(r"^memory: (\d+) MiB RAM, (\d+) KiB kernel, (\d+) KiB reserved, "
                             r"(\d+) pages free$", banner, re.M)
            assert line, f"{name}: no memory line in\n{banner[-1500:]}"
            ram_mib, kernel_kib, reserved_kib, free = (int(v) for v in line.groups())
            assert ram_mib * 256 == free + kernel_kib // 4 + reserved_kib // 4, f"{name}: {line[0]}"
            kernel = re.search(r"^kernel (0x[0-9a-f]+)\.\.(0x[0-9a-f]+) at physical (0x[0-9a-f]+),",
                               banner, re.M)
            virtual, end, start = (int(v, 16) for v in kernel.groups())
            end = start + (end - virtual)
            assert kernel_kib == (end - start + 4095) // 4096 * 4, f"{name}: {line[0]} vs {start:#x}..{end:#x}"
            mem = sh.run("mem", timeout=20)
            assert re.search(rf"^  {start:#012x}\.\.{end:#012x} +\d+ KiB  kernel image$", mem, re.M), mem
            assert f"RAM ({ram_mib * 256} pages):" in mem, mem
            out = sh.run("pages 64", timeout=20)
            before = re.search(r"^before: (.*)$", out, re.M)[1]
            after = re.search(r"^freed:  (.*)$", out, re.M)[1]
            assert before.split(", peak")[0] == after.split(", peak")[0], f"{name}: {out}"
            in_use = [int(v) for v in re.findall(r"in use (\d+)", out)]  # before, taken, freed
            assert in_use[1] == in_use[0] + 64 == in_use[2] + 64, f"{name}: {out}"
            assert "not zeroed: 0 words, overwritten: 0" in out, f"{name}: {out}"


def memory_faults_are_named_and_end_qemu_on_every_machine():
    """Paging is on everywhere: each memory fault kind gives its named report, then the panic ends
    QEMU with the machine's panic status."""
    kinds = (("null", rb"  null pointer dereference \(address 0x8\)\n"),
             ("write-text", rb"  write to read-only kernel text at "),
             ("exec-data", rb"  execute from non-executable memory \(\.data\)\n"))
    for name, boot, panic_status in every_shell():
        for kind, says in kinds:
            with boot() as sh:
                sh.type(f"fault {kind}\r")
                sh.expect(says, timeout=10)
                sh.expect(rb"PANIC: unhandled ")
                status = sh.wait_exit(10)
                assert status == panic_status, f"{name}: QEMU exited {status} after fault {kind}"


def tasks_preempt_and_a_stack_overflow_ends_only_its_task_on_every_machine():
    """Tasks everywhere: a task that spins without yielding does not keep the shell from answering
    (on sifive_u keel runs on one hart: only preemption lets the shell in), spawned tasks sleep
    and finish, and a task whose stack overflows is named and ended while the shell goes on."""
    for name, boot, _ in every_shell():
        with boot() as sh:
            busy = re.search(r"busy: task (\d+) spins for 3000 ms", sh.run("busy 3000"))
            assert busy, f"{name}: busy did not start"
            since_busy = len(sh.output)
            start = time.monotonic()
            assert sh.run("echo still here") == "still here\n", name
            assert time.monotonic() - start < 2.5, f"{name}: the shell waited for busy"
            assert re.search(rf"^ +{busy[1]}  busy +(running|runnable) ", sh.run("ps"), re.M), name
            start = len(sh.output)
            sh.run("spawn-demo 2")
            sh.expect(rb"demo 1: task \d+ found 4203 primes below 40000", timeout=20, since=start)
            # busy's end comes when it comes: before the demo's lines too, on a slow console.
            done = rb"busy: task " + busy[1].encode() + rb" done: spun 3\d\d\d ms"
            until = time.monotonic() + 20
            while not re.search(done, sh.output[since_busy:]) and time.monotonic() < until:
                time.sleep(0.05)
            assert re.search(done, sh.output[since_busy:]), f"{name}: busy did not end"
            # spike's HTIF holds one key: on a loaded host, a key typed the moment busy's task
            # ends is sometimes replaced by the next (the reason qemu.spike-input runs alone).
            time.sleep(0.3)
            out = sh.run("fault stack-overflow", timeout=20)
            assert re.search(r"  task stack overflow: task (\d+) \(overflow\), \d+ bytes under its stack", out), \
                f"{name}: {out}"
            assert "ended: stack overflow (exit value -11)" in out and "fault: recovered" in out, f"{name}: {out}"
            assert sh.run("echo alive") == "alive\n", name


def image_header_is_what_booti_checks():
    image = open(KEEL_BIN, "rb").read()
    code0, code1, text_offset, image_size, flags, version = struct.unpack_from("<IIQQQI", image, 0)
    magic, magic2 = struct.unpack_from("<8sI", image, 0x30)
    assert code0 & 0x7F == 0x6F, f"code0 {code0:#x} is not a 4-byte jal (a c.j would be 2 bytes)"
    assert text_offset == 0x200000 and flags == 0 and version == 2, (text_offset, flags, version)
    assert magic == b"RISCV\0\0\0" and magic2 == 0x05435352, (magic, hex(magic2))
    assert len(image) <= image_size <= 4 << 20, f"image_size {image_size} vs file {len(image)}"


def qemu_virt_through_u_boot_booti():
    with u_boot_shell() as sh:
        assert "boot hart " in sh.text()
        answers_echo_and_dt(sh, "ns16550a at 0x10000000, irq 10", "0")


def loaded_at_0x90200000_runs_at_its_link_address():
    """QEMU loads this ELF at 0x90200000 (its load addresses) and jumps there: boot.S maps it at
    the same link address as ever, backed by where it is, and leaves that memory out of the pages
    it hands out."""
    with KeelShell(args.relocated, append="selftest=fault:load", **RELOCATED) as sh:
        banner = sh.text()
        link = layout(args.kernel).LINK_BASE
        assert re.search(rf"^kernel {link:#x}\.\.0x[0-9a-f]+ at physical 0x90200000,", banner, re.M), banner
        assert re.search(r"#0 0xffffffff802[0-9a-f]{5} keel::\(anonymous namespace\)::fault_load\+", banner), banner
        answers_echo_and_dt(sh, "ns16550a at 0x10000000, irq 10", "0")
        heap = layout(args.kernel).HEAP_SIZE
        arena = int(re.search(rf"heap: {heap} bytes at (0x[0-9a-f]+)", sh.text())[1], 16)
        block = int(re.search(r"alloc: 1024 bytes at (0x[0-9a-f]+)", sh.run("alloc 1K"))[1], 16)
        assert arena <= block < arena + heap and arena >> 32 == 0xffffffff, f"{block:#x} vs arena {arena:#x}"
        mem = sh.run("mem", timeout=20)
        assert re.search(r"^  0x0090200000\.\.0x0090[0-9a-f]{6} +\d+ KiB  kernel image$", mem, re.M), mem


run_checks([
    qemu_virt_with_ns16550a,
    qemu_sifive_u_runs_on_hart_1_with_the_sifive_uart,
    qemu_sifive_u_with_five_harts_boots_where_opensbi_chose,
    qemu_spike_uses_the_sbi_console,
    memory_adds_up_and_pages_come_back_on_every_machine,
    memory_faults_are_named_and_end_qemu_on_every_machine,
    tasks_preempt_and_a_stack_overflow_ends_only_its_task_on_every_machine,
    image_header_is_what_booti_checks,
    qemu_virt_through_u_boot_booti,
    u_boot_with_initramfs_runs_programs,
    programs_run_in_user_mode_on_every_machine,
    loaded_at_0x90200000_runs_at_its_link_address,
    panic_ends_qemu_on_every_machine,
    shutdown_ends_qemu_with_status_zero_on_every_machine,
], only=args.checks)
