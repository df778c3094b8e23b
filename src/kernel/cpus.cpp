// SPDX-License-Identifier: MIT
// The CPUs programs are told of (kernel/cpus.h), remembered once at boot.
#include <keel/abi/riscv_hwprobe.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/cpus.h>

namespace keel::cpus {
namespace {

constinit Cpu g_cpus[kMax] = {};
constinit unsigned g_count = 0;
constinit MachineIds g_ids;
constinit uint64_t g_misaligned = RISCV_HWPROBE_MISALIGNED_SCALAR_UNKNOWN;

// The two copies misaligned_speed compares: 4 KiB, by 8-byte words one byte off alignment, and by
// bytes; `time` units for the faster of eight rounds each.
alignas(64) uint8_t g_from[4096 + 16];
alignas(64) uint8_t g_to[4096 + 16];

uint64_t word_copy() {
    uint64_t best = ~uint64_t{0};
    for (int round = 0; round < 8; ++round) {
        const uint64_t start = csr::time();
        for (size_t i = 0; i < 4096; i += 8) {
            uint64_t word;
            asm volatile("ld %0, 0(%1)" : "=r"(word) : "r"(g_from + 1 + i) : "memory");
            asm volatile("sd %0, 0(%1)" : : "r"(word), "r"(g_to + 3 + i) : "memory");
        }
        const uint64_t took = csr::time() - start;
        best = took < best ? took : best;
    }
    return best;
}

uint64_t byte_copy() {
    uint64_t best = ~uint64_t{0};
    for (int round = 0; round < 8; ++round) {
        const uint64_t start = csr::time();
        for (size_t i = 0; i < 4096; ++i) {
            uint64_t byte;
            asm volatile("lbu %0, 0(%1)" : "=r"(byte) : "r"(g_from + 1 + i) : "memory");
            asm volatile("sb %0, 0(%1)" : : "r"(byte), "r"(g_to + 3 + i) : "memory");
        }
        const uint64_t took = csr::time() - start;
        best = took < best ? took : best;
    }
    return best;
}

void measure(void*) {
    const uint64_t words = word_copy();
    g_misaligned = words < byte_copy() ? RISCV_HWPROBE_MISALIGNED_SCALAR_FAST
                                       : RISCV_HWPROBE_MISALIGNED_SCALAR_SLOW;
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
    // A fault (a machine whose firmware does not handle misaligned accesses) leaves it unknown.
    if (run_guarded(&measure, nullptr, true))
        g_misaligned = RISCV_HWPROBE_MISALIGNED_SCALAR_UNKNOWN;
}

MachineIds machine_ids() {
    return g_ids;
}

uint64_t misaligned_speed() {
    return g_misaligned;
}

unsigned count() {
    return g_count;
}

const Cpu& cpu(unsigned n) {
    return g_cpus[n < g_count ? n : 0];
}

}  // namespace keel::cpus
