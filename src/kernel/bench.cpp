// SPDX-License-Identifier: MIT
// Instruction counts of kernel operations from the instret counter (include/keel/kernel/bench.h).
#include <keel/arch/riscv/context.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/hart.h>
#include <keel/kernel/bench.h>
#include <keel/kernel/sched.h>
#include <keel/lib/new.h>
#include <keel/mm/heap.h>
#include <keel/mm/linear_allocator.h>
#include <keel/mm/pages.h>

namespace keel::bench {
namespace {

constexpr int kRounds = 8;  // exact counts agree every round; without -icount the least is kept

// Everything a call may change under the lp64d ABI, for asm that calls a function itself: the
// measured span must be the call instruction through the callee's ret and nothing else, so the
// compiler cannot be left to place the call.
#define KEEL_CALL_CLOBBERS                                                                     \
    "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a2", "a3", "a4", "a5", "a6", "a7", "ft0", \
        "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "ft8", "ft9", "ft10", "ft11", "fa0",  \
        "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "memory"

// Instructions retired from `call SYMBOL` through the callee's `ret`, plus one rdinstret: a0 and
// a1 are the arguments, a0 the result. SYMBOL is a mangled name (the asm cannot spell C++ names).
#define KEEL_COUNT_CALL(symbol, a0_value, a1_value, result)                   \
    [&]() -> uint64_t {                                                       \
        register uint64_t a0 asm("a0") = (a0_value);                          \
        register uint64_t a1 asm("a1") = (a1_value);                          \
        uint64_t before;                                                      \
        uint64_t after;                                                       \
        asm volatile(                                                         \
            "rdinstret %[before]\n\t"                                         \
            "call " symbol                                                    \
            "\n\t"                                                            \
            "rdinstret %[after]"                                              \
            : [before] "=&r"(before), [after] "=r"(after), "+r"(a0), "+r"(a1) \
            :                                                                 \
            : KEEL_CALL_CLOBBERS);                                            \
        (result) = a0;                                                        \
        return after - before;                                                \
    }()

// The mangled names of the operators measured (Itanium C++ ABI).
#define KEEL_NEW "_Znwm"                         // operator new(size_t)
#define KEEL_NEW_NOTHROW "_ZnwmRKSt9nothrow_t"   // operator new(size_t, const nothrow_t&)
#define KEEL_NEW_ALIGNED "_ZnwmSt11align_val_t"  // operator new(size_t, align_val_t)
#define KEEL_DELETE_SIZED "_ZdlPvm"              // operator delete(void*, size_t)

uint64_t least(uint64_t a, uint64_t b) {
    return a < b ? a : b;
}

// Keeps the operators the asm calls in the image: --gc-sections cannot see a call inside asm.
[[gnu::used]] void* const kKeep[] = {
    reinterpret_cast<void*>(static_cast<void* (*)(size_t)>(&::operator new)),
    reinterpret_cast<void*>(
        static_cast<void* (*)(size_t, const std::nothrow_t&) noexcept>(&::operator new)),
    reinterpret_cast<void*>(static_cast<void* (*)(size_t, std::align_val_t)>(&::operator new)),
    reinterpret_cast<void*>(static_cast<void (*)(void*, size_t) noexcept>(&::operator delete)),
};

}  // namespace

Calibration calibrate() {
    uint64_t overhead = ~0ull;
    uint64_t probe = ~0ull;
    for (int round = 0; round < kRounds; ++round) {
        uint64_t a;
        uint64_t b;
        asm volatile("rdinstret %0\n\trdinstret %1" : "=r"(a), "=r"(b));
        overhead = least(overhead, b - a);
        asm volatile(
            "rdinstret %0\n\t"
            ".rept 32\n\taddi zero, zero, 0\n\t.endr\n\t"
            "rdinstret %1"
            : "=r"(a), "=r"(b));
        probe = least(probe, b - a);
    }
    static_assert(kProbeLength == 32, "the .rept above");
    return Calibration{overhead, overhead == 1 && probe == overhead + kProbeLength};
}

size_t measure_allocator(const Calibration& calibration, Figure* out, size_t capacity) {
    constexpr size_t kSize = 16;
    uint64_t fast = ~0ull;
    uint64_t rollback = ~0ull;
    uint64_t refused = ~0ull;
    uint64_t aligned = ~0ull;
    // The aligned request leaves padding that no delete takes back: the mark does. (No ArenaScope:
    // that would close the fast path being measured. Nothing else allocates meanwhile.)
    LinearAllocator& heap = heap::allocator();
    const LinearAllocator::Mark mark = heap.mark();
    for (int round = 0; round < kRounds; ++round) {
        uint64_t block = 0;
        uint64_t ignored = 0;
        fast = least(fast, KEEL_COUNT_CALL(KEEL_NEW, kSize, 0, block));
        rollback = least(rollback, KEEL_COUNT_CALL(KEEL_DELETE_SIZED, block, kSize, ignored));
        refused = least(refused, KEEL_COUNT_CALL(KEEL_NEW_NOTHROW, ~0ull >> 1, 0, ignored));
        aligned = least(aligned, KEEL_COUNT_CALL(KEEL_NEW_ALIGNED, kSize, 64, block));
    }
    (void)heap.release(mark);
    // A page from the page allocator and back: the allocator's lock, its lists, zeroing 4 KiB.
    uint64_t page_pair = ~0ull;
    for (int round = 0; round < kRounds && pages::ready(); ++round) {
        uint64_t before;
        uint64_t after;
        asm volatile("rdinstret %0" : "=r"(before)::"memory");
        const auto page = pages::allocate(0);
        if (page.ok()) pages::free(page.value(), 0);
        asm volatile("rdinstret %0" : "=r"(after)::"memory");
        page_pair = least(page_pair, after - before);
    }
    const Figure figures[] = {
        {"new (fast path)", fast - calibration.overhead, "operator new(16): call to ret"},
        {"delete (rollback)", rollback - calibration.overhead,
         "operator delete(newest block, 16): the head moves back"},
        {"new refused", refused - calibration.overhead,
         "operator new(2^63, nothrow): fast path, slow path, nullptr"},
        {"new aligned 64", aligned - calibration.overhead,
         "operator new(16, align 64): the general path"},
        {"page alloc+free", page_pair - calibration.overhead,
         "pages::allocate(0) (zeroes 4 KiB) then pages::free: calls included"},
    };
    size_t count = 0;
    for (const Figure& figure : figures)
        if (count < capacity) out[count++] = figure;
    return count;
}

namespace {

Context g_bench_main;
Context g_bench_other;
uint64_t g_bench_counter = 0;

// The other side: keeps a running sum of its own (in callee-saved registers, across each switch)
// and hands it over at the end.
void other_side(void* result) {
    uint64_t sum = 0;
    for (uint64_t round = 1;; ++round) {
        sum += round * 3;
        ++g_bench_counter;
        if (round == kSwitchRounds + kRounds) *static_cast<uint64_t*>(result) = sum;
        keel_context_switch(&g_bench_other, &g_bench_main);
    }
}

[[noreturn]] void other_finished() {
    for (;;) keel_context_switch(&g_bench_other, &g_bench_main);
}

// The partner of a yield round trip: yields back until told to stop.
Atomic<uint32_t> g_partner_stop{0};

int64_t yield_partner(void*) {
    while (g_partner_stop.load(MemoryOrder::kAcquire) == 0) sched::yield();
    return 0;
}

// sched::yield() to a task pinned to this hart and back: both yields, the scheduler lock, the
// switches, the alarm re-armed. ~0 when the caller is not a task.
uint64_t yield_round_trip(const Calibration& calibration) {
    if (!sched::in_task()) return ~0ull;
    g_partner_stop.store(0);
    sched::SpawnOptions options;
    options.hart_slot = this_hart().slot;  // the caller does not move: the shell is pinned
    const auto partner = sched::spawn("yield-partner", &yield_partner, nullptr, options);
    if (!partner.ok()) return ~0ull;
    uint64_t least_seen = ~0ull;
    for (uint64_t round = 1; round <= kSwitchRounds + kRounds; ++round) {
        uint64_t before;
        uint64_t after;
        asm volatile("rdinstret %0" : "=r"(before)::"memory");
        sched::yield();
        asm volatile("rdinstret %0" : "=r"(after)::"memory");
        if (round > kSwitchRounds) least_seen = least(least_seen, after - before);
    }
    g_partner_stop.store(1, MemoryOrder::kRelease);
    (void)sched::join(partner.value());
    return least_seen - calibration.overhead;
}

}  // namespace

bool measure_context_switch(const Calibration& calibration, Figure* out, size_t capacity,
                            size_t& count, bool& checked) {
    const auto stack = pages::allocate(1);  // 8 KiB
    if (!stack.ok()) return false;
    uint64_t other_sum = 0;
    g_bench_counter = 0;
    g_bench_other = context_start(&other_side, &other_sum, &other_finished,
                                  memlayout::to_virtual(stack.value()) + 2 * mm::kPageSize);
    uint64_t round_trip = ~0ull;
    uint64_t sum = 0;
    for (uint64_t round = 1; round <= kSwitchRounds + kRounds; ++round) {
        uint64_t before;
        uint64_t after;
        asm volatile("rdinstret %0" : "=r"(before)::"memory");
        keel_context_switch(&g_bench_main, &g_bench_other);
        asm volatile("rdinstret %0" : "=r"(after)::"memory");
        sum += round * 3;
        if (round > kSwitchRounds) round_trip = least(round_trip, after - before);
    }
    pages::free(stack.value(), 1);
    checked = g_bench_counter == kSwitchRounds + kRounds && other_sum == sum;
    // One switch alone: from a context into itself (stores it, loads it back, returns).
    uint64_t one = ~0ull;
    for (int round = 0; round < kRounds; ++round) {
        Context self;
        uint64_t before;
        uint64_t after;
        asm volatile("rdinstret %0" : "=r"(before)::"memory");
        keel_context_switch(&self, &self);
        asm volatile("rdinstret %0" : "=r"(after)::"memory");
        one = least(one, after - before);
    }
    const Figure figures[] = {
        {"switch round trip", round_trip - calibration.overhead,
         "keel_context_switch there and back: two switches, the other side's loop"},
        {"context switch", one - calibration.overhead,
         "one keel_context_switch, into itself: call, 14 stores, 14 loads, ret"},
        {"yield round trip", yield_round_trip(calibration),
         "sched::yield() to a task on this hart and back: two yields, the scheduler's work"},
    };
    count = 0;
    for (const Figure& figure : figures)
        if (count < capacity) out[count++] = figure;
    return true;
}

}  // namespace keel::bench
