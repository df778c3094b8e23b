// SPDX-License-Identifier: MIT
// BootInfo: everything keel takes from the device tree, read once at boot. Each later stage gets
// what it needs from here as an argument; nothing goes back to the blob.
#pragma once
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/power.h>
#include <keel/drivers/console_uart.h>
#include <keel/lib/fdt.h>
#include <keel/mm/phys_map.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

struct HartInfo {
    uint64_t id = 0;            // the hart id (the cpu node's reg; what SBI calls take)
    bool usable = false;        // status okay and an mmu-type: a hart that runs S-mode (keel)
    bool has_sstc = false;      // its ISA string names Sstc (stimecmp)
    int plic_context = -1;      // its S-mode external interrupt context, -1 if none
    const char* isa = nullptr;  // riscv,isa, in the blob (for /proc/cpuinfo and riscv_hwprobe)
};

// A UART keel has a driver for but will not drive, and why (a register layout that makes no sense).
struct RefusedUart {
    uint64_t base = 0;
    const char* compatible = nullptr;
    const char* reason = nullptr;  // nullptr: none was refused
};

// The PLIC has at most 1023 sources (RISC-V PLIC spec: source 0 means "none").
inline constexpr uint32_t kMaxPlicSources = 1023;

// Hart ids past keel's limit that the tree lists, remembered so that each can be reported.
inline constexpr size_t kMaxSkippedHarts = 16;

// Memory ranges and reservations kept from the tree (more are counted, not kept).
inline constexpr size_t kMaxMemoryRanges = 16;
inline constexpr size_t kMaxReservedRanges = 24;

// Memory the firmware keeps: a /reserved-memory child's reg, or an entry of the blob's
// memory-reservation block.
struct ReservedRange {
    fdt::Region region;
    bool from_blob_header = false;  // the FDT header's block (§5.3), else /reserved-memory
    bool no_map = false;            // a /reserved-memory child with no-map: not even mapped
};

struct BootInfo {
    bool tree_ok = false;
    fdt::Error tree_error = fdt::Error::kNotFound;
    uintptr_t tree_address = 0;
    uint32_t tree_size = 0;

    const char* model = "unknown";
    fdt::Region memory;  // the first RAM range (what `dt` shows); all of them below
    // Every reg entry of every memory node (device_type "memory"), in tree order.
    fdt::Region memory_ranges[kMaxMemoryRanges];
    unsigned memory_count = 0;
    unsigned memory_dropped = 0;  // ranges past kMaxMemoryRanges
    ReservedRange reserved[kMaxReservedRanges];
    unsigned reserved_count = 0;
    unsigned reserved_dropped = 0;
    // The first /reserved-memory child whose reg cannot be decoded (bad cells, a length that is
    // not whole entries), and why: the memory it keeps is unknown, so no RAM is handed out.
    const char* unreadable_reservation = nullptr;
    fdt::Error unreadable_error = fdt::Error::kNotFound;
    fdt::Region initrd;  // /chosen/linux,initrd-start..end; size 0 when there is none
    uint64_t timebase_hz = timer::kDefaultFrequency;  // what the timer uses
    bool timebase_assumed =
        true;  // the tree gave no usable timebase-frequency (missing or < 1 kHz)
    const char* bootargs = "";
    ConsoleInfo console;  // from stdout-path, else the first enabled UART keel drives, else SBI
    RefusedUart refused_console;  // the first UART passed over because its registers make no sense
    power::Devices power;         // test finisher, HTIF, gpio-restart: how to end the machine
    // The real-time clock (google,goldfish-rtc): its registers, 0 when there is none usable, and
    // why a node that is there is not used (a reg that cannot hold its two registers).
    uintptr_t rtc_base = 0;
    const char* rtc_refused = nullptr;
    uintptr_t plic_base = 0;
    uint64_t plic_size = 0;     // its reg's size: what the kernel map gives it
    uint32_t plic_sources = 0;  // clamped to kMaxPlicSources

    // The cpu nodes keel may run, at most kMaxHarts, in tree order; the boot hart always has a
    // place. Those past the limit are counted, and the first kMaxSkippedHarts remembered.
    HartInfo harts[memlayout::kMaxHarts];
    unsigned hart_count = 0;
    unsigned usable_harts = 0;
    uint64_t skipped_ids[kMaxSkippedHarts] = {};
    unsigned skipped_count = 0;

    const HartInfo* hart(uint64_t id) const;
    HartInfo* hart(uint64_t id);
};

// Reads the blob at `blob`, whose physical address is `physical` (OpenSBI's a1), reading at most
// `limit` bytes: the firmware does not say how big the blob is, so the kernel passes a generous cap
// and the header's totalsize bounds the rest. `boot_hart` is the id of the hart reading it: it
// always gets a place in `harts`. A malformed or missing tree gives a BootInfo with tree_ok = false
// and the defaults above; it never reads outside the blob.
BootInfo read_boot_info(const void* blob, uint64_t physical, uint64_t boot_hart,
                        size_t limit = fdt::kFirmwareBlobLimit);

// The physical map boot found: every memory range as RAM; as reservations the firmware's ranges,
// the blob's own bytes, the initrd, and `kernel` (the image as it runs, .bss included). With an
// unreadable reservation, all of RAM is reserved too: keel cannot tell what the firmware keeps.
mm::PhysMap physical_map(const BootInfo& info, mm::Range kernel);

}  // namespace keel
