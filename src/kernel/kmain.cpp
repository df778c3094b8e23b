// kmain: the boot hart's path from boot.S to an idle kernel. Each stage is one call, in order.
#include <stdint.h>

#include <keel/arch/riscv/memlayout.h>
#include <keel/drivers/ns16550.h>
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/panic.h>
#include <keel/kernel/version.h>
#include <keel/lib/string.h>
#include <keel/lib/vector.h>
#include <keel/mm/heap.h>

namespace keel {
namespace {

constinit Ns16550 g_uart0(memlayout::kVirtUart0);

void print_banner(uint64_t hartid, uintptr_t dtb) {
    console::print("\nkeel {} ({}, {} {}) - a small RISC-V kernel\n", KEEL_VERSION, KEEL_GIT_HASH,
                   KEEL_COMPILER, KEEL_BUILD_TYPE);
    console::print("boot hart {}, device tree at {:#x}\n", hartid, dtb);
    console::print("kernel {:#x}..{:#x}, {} hart stacks of {} KiB\n",
                   reinterpret_cast<uintptr_t>(__kernel_start), reinterpret_cast<uintptr_t>(__kernel_end),
                   memlayout::kMaxHarts, memlayout::kStackSize / 1024);
    heap::print_summary();
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
    console::attach(g_uart0);
    hart_online(hartid, true);
    heap::init();
    print_banner(hartid, dtb);

    heap_demo(hartid);
    heap::print_summary();

    console::print("keel: boot complete; hart {} idles (QEMU: Ctrl-A X quits)\n", hartid);
    for (;;) asm volatile("wfi");
}
