// SPDX-License-Identifier: MIT
// The kernel's page allocator instance (include/keel/mm/pages.h).
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/panic.h>
#include <keel/mm/pages.h>

namespace keel::pages {
namespace {

constinit mm::PhysMap g_map;
constinit mm::PageAllocator g_pages;
bool g_ready = false;

// The allocator's spin lock is held with this hart's interrupts off, as every kernel spinlock
// is: the scheduler frees task pages under its own lock, so a hart interrupted while it held
// this one, whose handler wants the scheduler's, would wait for a hart that waits for it. (The
// zeroing of the block comes with it: a task stack, 16 KiB, is the largest block asked for.)
using csr::InterruptsOff;

// Free ranges: at most one more than RAM ranges and reservations together.
constexpr size_t kMaxFree = mm::PhysMap::kMaxRam + mm::PhysMap::kMaxReservations + 1;

}  // namespace

Result<void, mm::PageError> init(const mm::PhysMap& map) {
    g_map = map;
    mm::Range ram[mm::PhysMap::kMaxRam];
    mm::Range free[kMaxFree];
    const size_t ram_count = g_map.ram_pages(ram, mm::PhysMap::kMaxRam);
    const size_t free_count = g_map.free_pages(free, kMaxFree);
    const auto started = g_pages.init(ram, ram_count, free, free_count, memlayout::kDirectMap);
    g_ready = started.ok();
    return started;
}

bool ready() {
    return g_ready;
}

Result<uint64_t, mm::PageError> allocate(unsigned order, mm::Contents contents) {
    if (!g_ready) return mm::PageError::kOutOfMemory;
    InterruptsOff off;
    return g_pages.allocate(order, contents);
}

void free(uint64_t address, unsigned order) {
    const auto freed = [&] {
        InterruptsOff off;
        return g_pages.free(address, order);
    }();
    if (!freed.ok()) {
        panic("page free of {:#x} (order {}) from {:#x}: {}", address, order,
              reinterpret_cast<uintptr_t>(__builtin_return_address(0)),
              mm::page_error_name(freed.error()));
    }
}

bool share(uint64_t address) {
    const auto shared = [&] {
        InterruptsOff off;
        return g_pages.share(address);
    }();
    if (shared.ok()) return true;
    if (shared.error() == mm::PageError::kTooShared) return false;
    panic("page share of {:#x} from {:#x}: {}", address,
          reinterpret_cast<uintptr_t>(__builtin_return_address(0)),
          mm::page_error_name(shared.error()));
}

bool release(uint64_t address) {
    const auto released = [&] {
        InterruptsOff off;
        return g_pages.release(address);
    }();
    if (!released.ok()) {
        panic("page release of {:#x} from {:#x}: {}", address,
              reinterpret_cast<uintptr_t>(__builtin_return_address(0)),
              mm::page_error_name(released.error()));
    }
    return released.value();
}

uint32_t owners(uint64_t address) {
    InterruptsOff off;
    return g_pages.owners(address);
}

const mm::PhysMap& map() {
    return g_map;
}

mm::PageAllocator::Counters counters() {
    if (!g_ready) return {};  // (a failed init leaves a total behind: none of it is in use)
    InterruptsOff off;
    return g_pages.counters();
}

mm::Range state() {
    InterruptsOff off;
    return g_pages.state();
}

}  // namespace keel::pages
