// SPDX-License-Identifier: MIT
// kmain: the boot hart's path from boot.S to an idle kernel, one stage per call, in order:
// per-hart block, traps, heap, device tree -> BootInfo, pages, the kernel map, tasks, power (how
// to fail), clock, console, banner, initramfs, tick, the time of day, interrupts, the other harts,
// the shell.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/image_header.h>
#include <keel/arch/riscv/irq.h>
#include <keel/arch/riscv/timer.h>
#include <keel/arch/riscv/trap.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/core/panic.h>
#include <keel/core/power.h>
#include <keel/drivers/console_uart.h>
#include <keel/kernel/boot_info.h>
#include <keel/kernel/boot_stages.h>
#include <keel/kernel/clock.h>
#include <keel/kernel/cpus.h>
#include <keel/kernel/initramfs.h>
#include <keel/kernel/kmain.h>
#include <keel/kernel/process.h>
#include <keel/kernel/rtc.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/selftest.h>
#include <keel/kernel/smp.h>
#include <keel/kernel/traps.h>
#include <keel/kernel/version.h>
#include <keel/kernel/vm.h>
#include <keel/lib/cmdline.h>
#include <keel/lib/memory.h>
#include <keel/lib/number.h>
#include <keel/lib/string.h>
#include <keel/lib/vector.h>
#include <keel/mm/heap.h>
#include <keel/mm/pages.h>
#include <stdint.h>

namespace keel {
namespace {

// boot.S wrote the Image header field by field; check it matches the layout booti reads.
void check_image_header() {
    const auto& header = *reinterpret_cast<const ImageHeader*>(__kernel_start);
    const auto size = static_cast<uint64_t>(__kernel_end - __kernel_start);
    if (header.magic2 != kImageMagic2 || header.magic != kImageMagic ||
        header.version != kImageVersion || header.text_offset != kImageTextOffset ||
        header.image_size != size) {
        panic(
            "the Image header at the start of keel is wrong (boot.S and image_header.h disagree)");
    }
}

// The console's driver, from BootInfo. A UART that does not respond is abandoned for the SBI
// console with a line saying why. Returns the console in use.
ConsoleInfo attach_console(const BootInfo& info) {
    const RefusedUart& refused = info.refused_console;
    if (refused.reason != nullptr) {
        console::print("console: not using the {} at {:#x}: {}\n", refused.compatible, refused.base,
                       refused.reason);
    }
    const auto attached = console::attach(make_console_uart(info.console));
    if (attached.ok()) return info.console;
    console::print("console: the {} at {:#x} {}; using the SBI console\n", info.console.compatible,
                   info.console.base, console::attach_error_name(attached.error()));
    return ConsoleInfo{};
}

// "memory: N MiB RAM, N KiB kernel, N KiB reserved, N pages free": reserved is everything that
// is neither kernel nor free (firmware, the device tree, an initrd, the page allocator's state,
// the kernel map's tables), so that the four add up.
void print_memory_line(const BootInfo& info) {
    if (info.unreadable_reservation != nullptr) {
        console::print(
            "memory: no page allocator: /reserved-memory/{:e} has a reg keel cannot decode ({}), "
            "so what the firmware keeps is unknown and no RAM is handed out\n",
            StringView{info.unreadable_reservation, strlen(info.unreadable_reservation)},
            fdt::error_name(info.unreadable_error));
        return;
    }
    if (!pages::ready()) {
        console::print("memory: no page allocator ({})\n", pages::map().ram_count() == 0
                                                               ? "no RAM in the device tree"
                                                               : "no room for its page state");
        return;
    }
    if (info.memory_dropped != 0 || info.reserved_dropped != 0) {
        console::print(
            "memory: the tree has more ranges than keel keeps: {} of RAM ignored (kept "
            "{}), {} reservation{} ignored (kept {}): pages there may be handed out\n",
            info.memory_dropped, kMaxMemoryRanges, info.reserved_dropped,
            plural(info.reserved_dropped), kMaxReservedRanges);
    }
    const mm::PageAllocator::Counters c = pages::counters();
    const uint64_t kernel = pages::map().reserved_page_count(mm::ReservationKind::kKernel);
    console::print("memory: {} MiB RAM, {} KiB kernel, {} KiB reserved, {} pages free\n",
                   c.total * mm::kPageSize >> 20, kernel * mm::kPageSize >> 10,
                   (c.total - kernel - c.free) * mm::kPageSize >> 10, c.free);
}

// Whether the kernel map was built (kmain sets it before the banner).
Result<void, mm::MapError> g_paging = mm::MapError::kNoMemory;

// "paging: Sv39, kernel map in N table pages (1 GiB/2 MiB/4 KiB pages: a/b/c), N KiB of devices",
// or why keel stays on boot.S's early map.
void print_paging_line() {
    if (!g_paging.ok()) {
        console::print(
            "paging: Sv39, boot's early map only (the kernel map could not be built: "
            "{})\n",
            mm::map_error_name(g_paging.error()));
        return;
    }
    const vm::Summary s = vm::summary();
    console::print(
        "paging: Sv39, kernel map in {} table pages (1 GiB/2 MiB/4 KiB pages: {}/{}/{}), "
        "{} KiB of devices\n",
        vm::table_pages(), s.giga_pages, s.mega_pages, s.small_pages, s.device_bytes >> 10);
}

void print_banner(const BootInfo& info, const ConsoleInfo& console) {
    const uint64_t hartid = this_hart().id;
    console::print("\nkeel {} ({}, {} {}) - a small RISC-V kernel\n", KEEL_VERSION, KEEL_GIT_HASH,
                   KEEL_COMPILER, KEEL_BUILD_TYPE);
    console::print("boot hart {}, device tree at {:#x}", hartid, info.tree_address);
    if (info.tree_ok) {
        console::print(" ({} bytes): {}\n", info.tree_size, info.model);
        console::print("memory {:#x}..{:#x} ({} MiB), ", info.memory.address,
                       info.memory.address + info.memory.size, info.memory.size >> 20);
    } else {
        console::print(
            ": unusable ({}); going on without it: no RAM map, the SBI console, polled "
            "input, no interrupt controller, one hart\n",
            fdt::error_name(info.tree_error));
    }
    if (console.driver != UartDriver::kSbi) {
        console::print("console {} at {:#x} (irq {})\n", console.compatible, console.base,
                       console.irq);
    } else {
        console::print("console {}\n", console::device()->name());
    }
    console::print("kernel {:#x}..{:#x} at physical {:#x}, {} hart stacks of {} KiB\n",
                   reinterpret_cast<uintptr_t>(__kernel_start),
                   reinterpret_cast<uintptr_t>(__kernel_end), keel_image_physical,
                   memlayout::kMaxHarts, memlayout::kStackSize / 1024);
    print_memory_line(info);
    print_paging_line();
}

// stimecmp is usable only if the ISA has Sstc and M-mode firmware enabled it (menvcfg.STCE);
// otherwise reading it traps, which the quiet guard turns into "no".
bool stimecmp_usable(const HartInfo* hart) {
    if (hart == nullptr || !hart->has_sstc) return false;
    return !run_guarded([](void*) { (void)KEEL_CSR_READ(stimecmp); }, nullptr, true);
}

void start_tick(const BootInfo& info) {
    console::print("timer: {} Hz timebase{}, {} Hz tick via {}, only while tasks wait for a hart\n",
                   timer::frequency(),
                   info.timebase_assumed ? " (assumed: the device tree gives none usable)" : "",
                   timer::kTickHz, timer::uses_sstc() ? "stimecmp (Sstc)" : "SBI set_timer");
    timer::reset(this_hart().slot);
}

void start_interrupts(const BootInfo& info, const ConsoleInfo& console) {
    const uint64_t hartid = this_hart().id;
    const HartInfo* hart = info.hart(hartid);
    const int plic_context = hart != nullptr ? hart->plic_context : -1;
    traps::set_plic_context(plic_context);
    if (info.plic_base != 0) irq::plic().init(info.plic_base, info.plic_sources);
    const bool console_irq =
        console.irq != 0 && console::enable_receive_interrupt(console.irq, plic_context);
    if (!console_irq) console::poll_input();
    if (info.plic_base == 0) {
        console::print("interrupts: no PLIC in the device tree; console input polled\n");
    } else {
        console::print(
            "interrupts: PLIC at {:#x} ({} sources), hart {} context {}; console input {}\n",
            info.plic_base, info.plic_sources, hartid, plic_context,
            console_irq ? "by interrupt" : "polled");
    }
    irq::enable_on_this_hart();
}

// Puts the heap to real use: a growable vector and a heap-built string, both through new/delete.
void heap_demo() {
    const uint64_t hartid = this_hart().id;
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
    console::print(
        "heap demo: vector of {} squares (capacity {}), sum {}; string \"{}\" ({} bytes)\n",
        squares.size(), squares.capacity(), sum, greeting.view(), greeting.size());
}

// The shell's task: the boot selftests (they may sleep), then the prompt, on the boot hart,
// whose timer polls a console without a receive interrupt. Nobody may kill it.
struct ShellStart {
    const BootInfo* info;
    StringView bootargs;
};
constexpr sched::SpawnOptions kShellOptions{sched::kMaxStackPages, 0, true, true};

// The key that, with x after it, quits QEMU: its escape key, Ctrl-A unless QEMU was started with
// another (-echr), which keel cannot see; scripts/run-qemu, which moves it to Ctrl-], says so in
// the bootarg qemu.echr=0x1d. A control code prints as Ctrl- and its letter (0x1d: Ctrl-]).
char qemu_escape_letter(StringView bootargs) {
    const BootOption echr = boot_option(bootargs, "qemu.echr");
    const auto code = parse_number(echr.value);
    if (!echr.found || !code.ok() || code.value() == 0 || code.value() >= 0x20) return 'A';
    return static_cast<char>('@' + code.value());
}

int64_t shell_task(void* argument) {
    const auto& start = *static_cast<const ShellStart*>(argument);
    // The root file system: the file system's lock sleeps, so it is made in a task.
    if (sched::in_task()) process::init(initramfs::archive());
    run_boot_selftest(start.bootargs);
    boot_stages::mark(boot_stages::Stage::kReady);
    console::print("keel: boot complete on hart {}; type 'help' (QEMU: Ctrl-{} then x quits)\n",
                   this_hart().id, qemu_escape_letter(start.bootargs));
    shell::run(*start.info);
    return 0;
}

}  // namespace
}  // namespace keel

extern "C" [[noreturn]] void kmain(uint64_t hartid, const void* dtb) {
    using namespace keel;
    // hartid is only for this: from here on, this_hart() says which hart this is.
    Hart& boot_hart = *claim_hart_slot(hartid);  // slot 0, whose stack boot.S gave this hart
    hart_online(boot_hart, true);
    install_trap_vector(boot_hart.slot);  // from here on a fault is reported, not a silent hang
    heap::init();
    const BootInfo info =
        read_boot_info(memlayout::to_pointer<const void>(reinterpret_cast<uintptr_t>(dtb)),
                       reinterpret_cast<uintptr_t>(dtb), boot_hart.id);
    boot_stages::mark(boot_stages::Stage::kDeviceTree);
    (void)pages::init(physical_map(
        info,
        mm::Range{keel_image_physical, static_cast<uint64_t>(__kernel_end - __kernel_start)}));
    boot_stages::mark(boot_stages::Stage::kPages);
    g_paging = pages::ready() ? vm::build(info, pages::map()) : mm::MapError::kNoMemory;
    vm::enable_on_this_hart();  // from here on a stray access is a page fault
    sched::start_tasks();       // the task stacks' tables: the paging line counts them
    boot_stages::mark(boot_stages::Stage::kKernelMap);
    power::init(info.power);  // from here on a panic ends the machine with a failure status
    const StringView bootargs{info.bootargs, strlen(info.bootargs)};
    run_early_selftest(bootargs);
    timer::init(info.timebase_hz,
                stimecmp_usable(info.hart(boot_hart.id)));  // device waits are timed
    clock::init();  // the vDSO's clocks count at the timer's frequency
    const ConsoleInfo console = attach_console(info);
    print_banner(info, console);
    initramfs::init(info, pages::map());
    check_image_header();
    boot_stages::mark(boot_stages::Stage::kConsole);

    start_tick(info);
    rtc::init(info);  // the time of day, from the real-time clock (timed by the timer's frequency)
    start_interrupts(info, console);
    sched::init_hart(boot_hart.slot);  // from here on this context is the boot hart's idle task
    smp::start_secondary_harts(info);
    boot_stages::mark(boot_stages::Stage::kHarts);
    cpus::remember(info);  // what /proc/cpuinfo and riscv_hwprobe tell of them

    heap_demo();
    heap::print_summary();
    static ShellStart start{&info, bootargs};  // kmain's frame lives on as the idle loop's
    const auto shell = sched::spawn("shell", &shell_task, &start, kShellOptions);
    if (!shell.ok()) {
        console::print("keel: the shell runs without tasks: {}\n",
                       sched::spawn_error_name(shell.error()));
        shell_task(&start);
    }
    sched::idle();
}
