// SPDX-License-Identifier: MIT
// The CPUs programs are told of (kernel/cpus.h), remembered once at boot; how fast misaligned
// accesses are, measured when first asked.
#include <keel/abi/riscv_hwprobe.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/cpus.h>
#include <keel/lib/atomic.h>

namespace keel::cpus {
namespace {

constinit Cpu g_cpus[kMax] = {};
constinit unsigned g_count = 0;
constinit MachineIds g_ids;
// How misaligned accesses fare: measured at the first riscv_hwprobe that asks, not at boot.
constexpr uint64_t kNotMeasured = ~uint64_t{0};
constinit Atomic<uint64_t> g_misaligned{kNotMeasured};

// The two copies misaligned_speed compares: 4 KiB one byte off alignment, by 8-byte words or by
// bytes; `time` units for the faster of eight rounds.
alignas(64) uint8_t g_from[4096 + 16];
alignas(64) uint8_t g_to[4096 + 16];

uint64_t copy_time(bool words) {
    uint64_t best = ~uint64_t{0};
    for (int round = 0; round < 8; ++round) {
        const uint64_t start = csr::time();
        for (size_t i = 0; i < 4096; i += words ? 8 : 1) {
            uint64_t v;
            if (words) {
                asm volatile("ld %0, 0(%1)\n sd %0, 0(%2)"
                             : "=&r"(v)
                             : "r"(g_from + 1 + i), "r"(g_to + 3 + i)
                             : "memory");
            } else {
                asm volatile("lbu %0, 0(%1)\n sb %0, 0(%2)"
                             : "=&r"(v)
                             : "r"(g_from + 1 + i), "r"(g_to + 3 + i)
                             : "memory");
            }
        }
        const uint64_t took = csr::time() - start;
        best = took < best ? took : best;
    }
    return best;
}

void measure(void*) {
    const uint64_t words = copy_time(true);
    g_misaligned.store(words < copy_time(false) ? RISCV_HWPROBE_MISALIGNED_SCALAR_FAST
                                                : RISCV_HWPROBE_MISALIGNED_SCALAR_SLOW,
                       MemoryOrder::kRelaxed);
}

}  // namespace

void remember(const BootInfo& info) {
    g_count = 0;
    for (unsigned i = 0; i < info.hart_count && g_count < kMax; ++i) {
        const HartInfo& hart = info.harts[i];
        if (!hart.usable) continue;
        Cpu& cpu = g_cpus[g_count++];
        cpu.hart_id = hart.id;
        cpu.isa = hart.isa;
        cpu.features = hart.isa != nullptr ? riscv_isa::parse(StringView::of(hart.isa))
                                           : riscv_isa::Features{};
    }
    const auto vendor = sbi::base::get_mvendorid();
    const auto arch = sbi::base::get_marchid();
    const auto impl = sbi::base::get_mimpid();
    g_ids.vendor = vendor.ok() ? static_cast<uint64_t>(vendor.value()) : 0;
    g_ids.arch = arch.ok() ? static_cast<uint64_t>(arch.value()) : 0;
    g_ids.impl = impl.ok() ? static_cast<uint64_t>(impl.value()) : 0;
}

MachineIds machine_ids() {
    return g_ids;
}

uint64_t misaligned_speed() {
    // (two first callers may both measure: the same answer, stored twice)
    if (g_misaligned.load(MemoryOrder::kRelaxed) == kNotMeasured &&
        run_guarded(&measure, nullptr, true))
        g_misaligned.store(RISCV_HWPROBE_MISALIGNED_SCALAR_UNKNOWN, MemoryOrder::kRelaxed);
    return g_misaligned.load(MemoryOrder::kRelaxed);
}

unsigned count() {
    return g_count;
}

const Cpu& cpu(unsigned n) {
    return g_cpus[n < g_count ? n : 0];
}

}  // namespace keel::cpus
