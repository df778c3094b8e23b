// SPDX-License-Identifier: MIT
// smp-alloc N [burst|fast] [blocks]: every online hart makes N requests to the shared
// LinearAllocator at the same time; then the blocks are checked: inside the arena, aligned,
// disjoint. The arena is handed back afterwards (heap::ArenaScope).
//
// Paced (the default): sizes 1-512, alignments 1-256, one request per 20 us per hart, so that the
// requests of every hart overlap in time even when QEMU runs fewer harts at once than there are.
// burst: sizes 1-64, alignments 1-16, as fast as the harts go: the most contention on the head.
// fast: as burst, through operator new's fast path, LinearAllocator::bump: sizes 16-64 in steps of
// 16, so the head stays 16-aligned as the heap keeps it, and every block must be 16-aligned.
// blocks: also list every block as offset+size/alignment (hex, from the arena's base), so that a
// test can check them itself instead of trusting the kernel's own verdict.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/smp.h>
#include <keel/lib/cmdline.h>
#include <keel/mm/block_check.h>
#include <keel/mm/heap.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr uint64_t kMaxRequests = 2048;  // per hart
constexpr size_t kMaxRecords = 8192;     // blocks recorded, by all harts together

struct Mode {
    uint32_t max_size;
    uint32_t max_alignment_log2;
    bool paced;
    bool bump;  // LinearAllocator::bump with granular sizes, not allocate()
};
constexpr Mode kPaced{512, 8, true, false};
constexpr Mode kBurst{64, 4, false, false};
constexpr Mode kFast{64, 4, false, true};

struct Run {
    uint64_t requests;
    Mode mode;
};

struct HartResult {
    size_t allocated = 0;
    size_t refused = 0;
    size_t unrecorded = 0;  // allocated, but no room left to record them
};

// Static: the records would not fit the 128 KiB heap they are about. Each hart takes the next
// free record for each block it gets (the arena holds a few thousand blocks at most).
BlockRecord g_blocks[kMaxRecords];
constinit Atomic<size_t> g_records{0};
HartResult g_results[memlayout::kMaxHarts];  // by slot
uint8_t g_bitmap[memlayout::kHeapSize / 8];
// Harts still to arrive at the start line: the first hart to get its IPI must not fill the arena
// before the last one has woken up, or there is no contention to test.
constinit Atomic<uint32_t> g_waiting{0};

// xorshift64 (Marsaglia 2003): cheap, and each hart's sequence differs by its seed.
uint64_t next_random(uint64_t& state) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

void allocate_on_this_hart(void* argument) {
    const Run& run = *static_cast<const Run*>(argument);
    Hart& hart = this_hart();
    HartResult& result = g_results[hart.slot];
    uint64_t random = 0x9e3779b97f4a7c15ull * (hart.id + 1);
    LinearAllocator& heap = heap::allocator();
    g_waiting.fetch_sub(1, MemoryOrder::kAcqRel);
    // Everyone arrives within microseconds; the deadline only matters if a hart was too busy to
    // take part (smp::run_on refused it), so that the others do not wait for it forever.
    timer::poll_until([] { return g_waiting.load(MemoryOrder::kAcquire) == 0; }, 100'000);
    const uint64_t interval = run.mode.paced ? timer::frequency() / 50'000 : 0;  // 20 us
    const uint64_t start = csr::time();
    for (uint64_t i = 0; i < run.requests && !console::cancel_requested(); ++i) {
        while (csr::time() < start + i * interval) {
        }
        uint32_t size = 1 + static_cast<uint32_t>(next_random(random) % run.mode.max_size);
        uint32_t alignment = 1u << (next_random(random) % (run.mode.max_alignment_log2 + 1));
        void* block = nullptr;
        if (run.mode.bump) {
            alignment = heap::kGranule;
            size = static_cast<uint32_t>((size + heap::kGranule - 1) & ~(heap::kGranule - 1));
            if (!heap.bump(size, block)) block = nullptr;
        } else {
            block = heap.allocate(size, alignment);
        }
        if (block == nullptr) {
            ++result.refused;
            continue;
        }
        heap::count_allocation();
        const size_t record = g_records.fetch_add(1, MemoryOrder::kRelaxed);
        if (record >= kMaxRecords) {
            ++result.unrecorded;
            continue;
        }
        g_blocks[record] = BlockRecord{reinterpret_cast<uintptr_t>(block), size, alignment};
        ++result.allocated;
    }
}

size_t online_harts() {
    size_t harts = 0;
    for (const Hart& hart : g_harts)
        harts += hart.stage.load(MemoryOrder::kAcquire) == HartStage::kOnline;
    return harts;
}

void list_blocks(uintptr_t base, size_t count) {
    console::print("blocks (offset+size/alignment, hex, from {:#x}):\n", base);
    for (size_t i = 0; i < count; ++i) {
        const BlockRecord& block = g_blocks[i];
        console::print("{}{:x}+{:x}/{:x}", i % 8 == 0 ? "  " : " ", block.address - base,
                       block.size, block.alignment);
        if (i % 8 == 7 || i + 1 == count) console::print("\n");
    }
}

bool parse_options(const Args& args, Mode& mode, bool& list) {
    for (size_t i = 2; i < args.count(); ++i) {
        if (equals(args.word(i), "burst")) {
            mode = kBurst;
        } else if (equals(args.word(i), "fast")) {
            mode = kFast;
        } else if (equals(args.word(i), "blocks")) {
            list = true;
        } else {
            return false;
        }
    }
    return true;
}

// "  hart H: N allocated, M refused" for each online hart, by hart id whichever booted, or that
// no task could be started on it; returns the blocks allocated in all.
size_t print_hart_results(const BootInfo& boot, const smp::Coverage& coverage) {
    size_t allocated = 0;
    size_t unrecorded = 0;
    for (unsigned i = 0; i < boot.hart_count; ++i) {
        const Hart* hart = find_hart(boot.harts[i].id);
        if (hart == nullptr || hart->stage.load(MemoryOrder::kAcquire) != HartStage::kOnline)
            continue;
        if (!coverage.ran_on[hart->slot]) {
            console::print("  hart {}: not run: no task could be started on it\n", hart->id);
            continue;
        }
        const HartResult& result = g_results[hart->slot];
        console::print("  hart {}: {} allocated, {} refused\n", hart->id,
                       result.allocated + result.unrecorded, result.refused);
        unrecorded += result.unrecorded;
        allocated += result.allocated + result.unrecorded;
    }
    if (unrecorded != 0)
        console::print("  ({} block{} not recorded: no room; not checked)\n", unrecorded,
                       plural(unrecorded));
    return allocated;
}

Status smp_alloc_command(const Context& context, const Args& args) {
    if (args.count() < 2 || args.count() > 4) return Status::kBadUsage;
    Run run{0, kPaced};
    bool list = false;
    if (!parse_options(args, run.mode, list)) return Status::kBadUsage;
    if (!parse_argument(args, 1, "N", run.requests, 1, kMaxRequests)) return Status::kFailed;
    const size_t used_before = heap::allocator().used();
    const size_t retries_before = heap::allocator().retries();
    const size_t harts = online_harts();
    for (HartResult& result : g_results) result = HartResult{};
    g_records.store(0, MemoryOrder::kRelaxed);
    size_t total = 0;
    size_t allocated = 0;
    BlockCheck check;
    {
        heap::ArenaScope scope;
        g_waiting.store(static_cast<uint32_t>(harts), MemoryOrder::kRelease);
        const smp::Coverage coverage = smp::run_on_all(allocate_on_this_hart, &run);
        console::print("smp-alloc: {} hart{} x {} request{}, ", coverage.ran, plural(coverage.ran),
                       run.requests, plural(run.requests));
        if (run.mode.bump) {
            console::print("sizes 16-{} (multiples of 16), unpaced, fast path (bump)",
                           run.mode.max_size);
        } else {
            console::print("sizes 1-{}, alignments 1-{}{}", run.mode.max_size,
                           1u << run.mode.max_alignment_log2, run.mode.paced ? "" : ", unpaced");
        }
        console::print("; heap used {} of {}\n", heap::allocator().used(),
                       heap::allocator().capacity());
        allocated = print_hart_results(context.boot, coverage);
        total = g_records.load(MemoryOrder::kAcquire) < kMaxRecords
                    ? g_records.load(MemoryOrder::kAcquire)
                    : kMaxRecords;
        const LinearAllocator& heap = heap::allocator();
        check =
            check_blocks(heap.base(), heap.capacity(), g_blocks, total, g_bitmap, sizeof g_bitmap);
        if (list) list_blocks(heap.base(), total);
    }
    console::print("blocks: {}, out of bounds: {}, misaligned: {}\n", total, check.out_of_bounds,
                   check.misaligned);
    console::print("overlaps: {}\n", check.overlaps);
    // Contention: CAS attempts lost to another hart (or failed spuriously), per block handed out.
    // (The fast path does not count its lost LR/SC pairs: that would cost it an instruction.)
    if (!run.mode.bump) {
        const size_t retries = heap::allocator().retries() - retries_before;
        const size_t per_mille = allocated == 0 ? 0 : retries * 1000 / allocated;
        console::print("CAS retries: {} ({}.{:03} per allocation)\n", retries, per_mille / 1000,
                       per_mille % 1000);
    }
    console::print("arena released: used {} (was {} before)\n", heap::allocator().used(),
                   used_before);
    if (console::cancel_requested()) console::print("smp-alloc: interrupted\n");
    return check.out_of_bounds + check.misaligned + check.overlaps == 0 ? Status::kOk
                                                                        : Status::kFailed;
}

}  // namespace

extern const Command kSmpAllocCommand{
    "smp-alloc", "every hart allocates N random blocks at once; check them (burst: unpaced)",
    "smp-alloc N [burst|fast] [blocks]", smp_alloc_command};

}  // namespace keel::shell
