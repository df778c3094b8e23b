// SPDX-License-Identifier: MIT
// BootInfo: everything keel takes from the device tree, read once at boot. Each later stage gets
// what it needs from here as an argument; nothing goes back to the blob.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/timer.h>
#include <keel/drivers/console_uart.h>
#include <keel/lib/fdt.h>

namespace keel {

struct HartInfo {
    uint64_t id = 0;
    bool present = false;   // a /cpus/cpu@N node with this id
    bool usable = false;    // status okay and an mmu-type: a hart that runs S-mode (keel)
    bool has_sstc = false;  // its ISA string names Sstc (stimecmp)
    int plic_context = -1;  // its S-mode external interrupt context, -1 if none
};

struct BootInfo {
    bool tree_ok = false;
    fdt::Error tree_error = fdt::Error::kNotFound;
    uintptr_t tree_address = 0;
    uint32_t tree_size = 0;

    const char* model = "unknown";
    fdt::Region memory;
    uint64_t timebase_hz = timer::kDefaultFrequency;  // when the tree does not say
    const char* bootargs = "";
    ConsoleInfo console;  // from stdout-path, else the first enabled UART keel drives, else SBI
    uintptr_t test_finisher = 0;  // sifive,test0/test1; 0 = none
    uintptr_t plic_base = 0;
    uint32_t plic_sources = 0;
    HartInfo harts[memlayout::kMaxHarts];
    unsigned usable_harts = 0;
};

// Reads the blob at `dtb` (from OpenSBI's a1), reading at most `limit` bytes: the firmware does not
// say how big the blob is, so the kernel passes a generous cap and the header's totalsize bounds
// the rest. A malformed or missing tree gives a BootInfo with tree_ok = false and the defaults
// above; it never reads outside the blob.
BootInfo read_boot_info(uintptr_t dtb, size_t limit = fdt::kFirmwareBlobLimit);

}  // namespace keel
