// SPDX-License-Identifier: MIT
// kmain: the boot hart's path from boot.S to an idle kernel, one stage per call, in order:
// per-hart block, heap, device tree -> BootInfo, console, banner, traps, timer, interrupts.
#include <stdint.h>

#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/image_header.h>
#include <keel/arch/riscv/interrupts.h>
#include <keel/arch/riscv/plic.h>
#include <keel/arch/riscv/timer.h>
#include <keel/arch/riscv/trap.h>
#include <keel/drivers/console_uart.h>
#include <keel/kernel/boot_info.h>
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/panic.h>
#include <keel/kernel/power.h>
#include <keel/kernel/selftest.h>
#include <keel/kernel/smp.h>
#include <keel/kernel/version.h>
#include <keel/lib/memory.h>
#include <keel/lib/string.h>
#include <keel/lib/vector.h>
#include <keel/mm/heap.h>
#include <keel/shell/shell.h>

namespace keel {
namespace {

// boot.S wrote the Image header field by field; check it matches the layout booti reads.
void check_image_header() {
    const auto& header = *reinterpret_cast<const ImageHeader*>(__kernel_start);
    const auto size = static_cast<uint64_t>(__kernel_end - __kernel_start);
    if (header.magic2 != kImageMagic2 || header.magic != kImageMagic || header.version != kImageVersion ||
        header.text_offset != kImageTextOffset || header.image_size != size) {
        panic("the Image header at the start of keel is wrong (boot.S and image_header.h disagree)");
    }
}

void print_banner(uint64_t hartid, const BootInfo& info) {
    console::print("\nkeel {} ({}, {} {}) - a small RISC-V kernel\n", KEEL_VERSION, KEEL_GIT_HASH,
                   KEEL_COMPILER, KEEL_BUILD_TYPE);
    console::print("boot hart {}, device tree at {:#x}", hartid, info.tree_address);
    if (info.tree_ok) {
        console::print(" ({} bytes): {}\n", info.tree_size, info.model);
    } else {
        console::print(": unusable ({}); using QEMU virt defaults\n", fdt::error_name(info.tree_error));
    }
    console::print("memory {:#x}..{:#x} ({} MiB), console {}", info.memory.address,
                   info.memory.address + info.memory.size, info.memory.size >> 20, console::device()->name());
    if (info.console.driver != UartDriver::kSbi) {
        console::print(" ({}) at {:#x} (irq {})", info.console.compatible, info.console.base, info.console.irq);
    }
    console::print("\nkernel {:#x}..{:#x}, {} hart stacks of {} KiB\n",
                   reinterpret_cast<uintptr_t>(__kernel_start), reinterpret_cast<uintptr_t>(__kernel_end),
                   memlayout::kMaxHarts, memlayout::kStackSize / 1024);
    if (keel_load_offset != 0) {
        console::print("relocated: linked at {:#x}, running at {:#x} (offset {:#x})\n",
                       reinterpret_cast<uintptr_t>(__kernel_start) - keel_load_offset,
                       reinterpret_cast<uintptr_t>(__kernel_start), keel_load_offset);
    }
    heap::print_summary();
}

// stimecmp is usable only if the ISA has Sstc and M-mode firmware enabled it (menvcfg.STCE);
// otherwise reading it traps, which the quiet guard turns into "no".
bool stimecmp_usable(const HartInfo& hart) {
    if (!hart.has_sstc) return false;
    return !run_guarded([](void*) { (void)KEEL_CSR_READ(0x14d); }, nullptr, true);
}

void start_timer(uint64_t hartid, const BootInfo& info) {
    timer::init(info.timebase_hz, stimecmp_usable(info.harts[hartid]));
    console::print("timer: {} Hz timebase, {} Hz tick via {}\n", timer::frequency(), timer::kTickHz,
                   timer::uses_sstc() ? "stimecmp (Sstc)" : "SBI set_timer");
    timer::start_tick();
}

void start_interrupts(uint64_t hartid, const BootInfo& info) {
    this_hart().plic_context = info.harts[hartid].plic_context;
    if (info.plic_base != 0) irq::plic().init(info.plic_base, info.plic_sources);
    const bool console_irq = info.console.irq != 0 && console::enable_receive_interrupt(info.console.irq);
    console::print("interrupts: PLIC at {:#x} ({} sources), hart {} context {}; console input {}\n",
                   info.plic_base, info.plic_sources, hartid, this_hart().plic_context,
                   console_irq ? "by interrupt" : "polled");
    irq::enable_on_this_hart();
}

// Puts the heap to real use: a growable vector and a heap-built string, both through new/delete.
void heap_demo(uint64_t hartid) {
    Vector<uint64_t> squares;
    uint64_t sum = 0;
    for (uint64_t i = 1; i <= 100; ++i) {
        if (!squares.push_back(i * i)) panic("heap demo: vector push_back failed at {}", i);
    }
    for (uint64_t s : squares) sum += s;

    String greeting;
    if (!greeting.append_format("hello from hart {} with {} squares", hartid, squares.size())) {
        panic("heap demo: string append failed");
    }
    console::print("heap demo: vector of {} squares (capacity {}), sum {}; string \"{}\" ({} bytes)\n",
                   squares.size(), squares.capacity(), sum, greeting.view(), greeting.size());
}

}  // namespace
}  // namespace keel

extern "C" [[noreturn]] void kmain(uint64_t hartid, uintptr_t dtb) {
    using namespace keel;
    hart_online(hartid, true);
    install_trap_vector();  // from here on a fault is reported, not a silent hang
    heap::init();
    const BootInfo info = read_boot_info(dtb);
    console::attach(make_console_uart(info.console));
    power::init(info.test_finisher);
    print_banner(hartid, info);
    check_image_header();

    start_timer(hartid, info);
    start_interrupts(hartid, info);
    smp::start_secondary_harts(info);

    heap_demo(hartid);
    heap::print_summary();
    run_boot_selftest(StringView{info.bootargs, strlen(info.bootargs)});

    console::print("keel: boot complete on hart {}; type 'help' (QEMU: Ctrl-A X quits)\n", hartid);
    shell::run(info);
}
