// SPDX-License-Identifier: MIT
// smp-alloc N: every online hart makes N requests of random size (1-512 bytes) and alignment
// (1-256) to the shared LinearAllocator at the same time; then the blocks are checked: inside
// the arena, aligned, disjoint. The arena is handed back afterwards (heap::ArenaScope).
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/console.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/smp.h>
#include <keel/mm/block_check.h>
#include <keel/mm/heap.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxRequests = 2048;  // per hart; the records below are sized for it

struct HartResult {
    size_t allocated = 0;
    size_t refused = 0;
};

// Static: 8 harts x 2048 records would not fit the 128 KiB heap they are about.
BlockRecord g_blocks[memlayout::kMaxHarts][kMaxRequests];
// Harts still to arrive at the start line: the first hart to get its IPI must not fill the arena
// before the last one has woken up, or there is no contention to test.
constinit Atomic<uint32_t> g_waiting{0};
HartResult g_results[memlayout::kMaxHarts];
uint8_t g_bitmap[memlayout::kHeapSize / 8];

// xorshift64 (Marsaglia 2003): cheap, and each hart's sequence differs by its seed.
uint64_t next_random(uint64_t& state) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

void allocate_on_this_hart(void* argument) {
    const uint64_t requests = *static_cast<const uint64_t*>(argument);
    Hart& hart = this_hart();
    HartResult& result = g_results[hart.id];
    result = HartResult{};
    uint64_t random = 0x9e3779b97f4a7c15ull * (hart.id + 1);
    LinearAllocator& heap = heap::allocator();
    g_waiting.fetch_sub(1, MemoryOrder::kAcqRel);
    // Everyone arrives within microseconds; the deadline only matters if a hart was too busy to
    // take part (smp::run_on refused it), so that the others do not wait for it forever.
    const uint64_t give_up = csr::time() + timer::frequency() / 10;
    while (g_waiting.load(MemoryOrder::kAcquire) != 0 && csr::time() < give_up) {
    }
    // Requests are paced on the clock, one per 20 us, so that they spread over a window long
    // enough for every hart to run during it: QEMU runs only as many harts at once as the host
    // has cores, and an unpaced hart would fill the arena before the others were scheduled.
    const uint64_t interval = timer::frequency() / 50'000;
    const uint64_t start = csr::time();
    for (uint64_t i = 0; i < requests; ++i) {
        while (csr::time() < start + i * interval) {
        }
        const uint32_t size = 1 + static_cast<uint32_t>(next_random(random) % 512);
        const uint32_t alignment = 1u << (next_random(random) % 9);
        void* block = heap.allocate(size, alignment);
        if (block == nullptr) {
            ++result.refused;
            continue;
        }
        g_blocks[hart.id][result.allocated++] = BlockRecord{reinterpret_cast<uintptr_t>(block), size, alignment};
        hart.allocations.fetch_add(1, MemoryOrder::kRelaxed);
    }
}

// Puts every hart's records end to end (in place) and checks them together.
BlockCheck check_all(size_t& total) {
    BlockRecord* all = &g_blocks[0][0];
    total = 0;
    for (unsigned id = 0; id < memlayout::kMaxHarts; ++id) {
        for (size_t i = 0; i < g_results[id].allocated; ++i) all[total++] = g_blocks[id][i];
    }
    const LinearAllocator& heap = heap::allocator();
    return check_blocks(heap.base(), heap.capacity(), all, total, g_bitmap, sizeof g_bitmap);
}

Status smp_alloc_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t requests = 0;
    if (!parse_argument(args, 1, "N", requests, 1, kMaxRequests)) return Status::kFailed;
    for (HartResult& result : g_results) result = HartResult{};
    const size_t used_before = heap::allocator().used();
    size_t total = 0;
    BlockCheck check;
    {
        heap::ArenaScope scope;
        g_waiting.store(smp::online_count(), MemoryOrder::kRelease);
        smp::run_on_all(allocate_on_this_hart, &requests);
        console::print("smp-alloc: {} harts x {} requests, sizes 1-512, alignments 1-256; heap used {} of {}\n",
                       smp::online_count(), requests, heap::allocator().used(), heap::allocator().capacity());
        for (unsigned id = 0; id < memlayout::kMaxHarts; ++id) {
            if (g_harts[id].state.load(MemoryOrder::kAcquire) != HartState::kOnline) continue;
            console::print("  hart {}: {} allocated, {} refused\n", id, g_results[id].allocated,
                           g_results[id].refused);
        }
        check = check_all(total);
    }
    console::print("blocks: {}, out of bounds: {}, misaligned: {}\n", total, check.out_of_bounds, check.misaligned);
    console::print("overlaps: {}\n", check.overlaps);
    console::print("arena released: used {} (was {} before)\n", heap::allocator().used(), used_before);
    return check.out_of_bounds + check.misaligned + check.overlaps == 0 ? Status::kOk : Status::kFailed;
}

}  // namespace

extern const Command kSmpAllocCommand{
    "smp-alloc", "every hart allocates N random blocks at once; check them (overlaps: 0)", "smp-alloc N",
    smp_alloc_command};

}  // namespace keel::shell
