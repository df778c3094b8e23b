// SPDX-License-Identifier: MIT
// riscv_hwprobe(pairs, count, cpusetsize, cpus, flags): what the harts are, as Linux 6.12 answers
// (Documentation/arch/riscv/hwprobe.rst): for each (key, value) pair the value all the CPUs of
// the set agree on, or, with RISCV_HWPROBE_WHICH_CPUS, the set narrowed to the CPUs that match
// every pair. The keys are 0-9; any other comes back as key -1, value 0.
#include <keel/abi/errno.h>
#include <keel/abi/riscv_hwprobe.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/cpus.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>

namespace keel::syscalls {
namespace {

using process::Process;

constexpr int64_t kLastKey = RISCV_HWPROBE_KEY_MISALIGNED_SCALAR_PERF;
constexpr size_t kSetBytes =
    16;  // a cpumask of 128 bits, as Debian's kernel's (and sched_getaffinity's)
static_assert(cpus::kMax <= kSetBytes * 8);

struct CpuSet {
    uint8_t bits[kSetBytes] = {};
    bool has(unsigned n) const { return (bits[n / 8] >> (n % 8) & 1) != 0; }
    void clear(unsigned n) { bits[n / 8] = static_cast<uint8_t>(bits[n / 8] & ~(1u << (n % 8))); }
    bool empty() const {
        for (const uint8_t byte : bits)
            if (byte != 0) return false;
        return true;
    }
};

CpuSet online() {
    CpuSet set;
    for (unsigned n = 0; n < cpus::count(); ++n)
        set.bits[n / 8] |= static_cast<uint8_t>(1u << (n % 8));
    return set;
}

// A key's value for one CPU.
uint64_t value_of(int64_t key, const cpus::Cpu& cpu) {
    switch (key) {
    case RISCV_HWPROBE_KEY_MVENDORID: return cpus::machine_ids().vendor;
    case RISCV_HWPROBE_KEY_MARCHID: return cpus::machine_ids().arch;
    case RISCV_HWPROBE_KEY_MIMPID: return cpus::machine_ids().impl;
    case RISCV_HWPROBE_KEY_BASE_BEHAVIOR:
        return cpu.features.ima ? RISCV_HWPROBE_BASE_BEHAVIOR_IMA : 0;
    case RISCV_HWPROBE_KEY_IMA_EXT_0: return cpu.features.ext0;
    case RISCV_HWPROBE_KEY_CPUPERF_0:
    case RISCV_HWPROBE_KEY_MISALIGNED_SCALAR_PERF: return cpus::misaligned_speed();
    case RISCV_HWPROBE_KEY_ZICBOZ_BLOCK_SIZE: return 0;  // Zicboz is not offered (lib/riscv_isa.h)
    case RISCV_HWPROBE_KEY_HIGHEST_VIRT_ADDRESS: return memlayout::kUserTop;  // as Linux says it
    default: return timer::frequency();                                       // TIME_CSR_FREQ
    }
}

// Bit-mask keys: what every CPU of the set has (a CPU matches a pair that asks a subset of it).
bool is_mask(int64_t key) {
    return key == RISCV_HWPROBE_KEY_BASE_BEHAVIOR || key == RISCV_HWPROBE_KEY_IMA_EXT_0 ||
           key == RISCV_HWPROBE_KEY_CPUPERF_0;
}

// The value of `key` for the set: the mask keys' common bits; the others', if they all agree,
// else -1.
uint64_t value_for(int64_t key, const CpuSet& set) {
    bool first = true;
    uint64_t value = 0;
    for (unsigned n = 0; n < cpus::count(); ++n) {
        if (!set.has(n)) continue;
        const uint64_t one = value_of(key, cpus::cpu(n));
        if (first) {
            value = one;
        } else if (is_mask(key)) {
            value &= one;
        } else if (value != one) {
            return ~uint64_t{0};
        }
        first = false;
    }
    return value;
}

// The caller's cpu set (at most kSetBytes of it), as it is; `and_online` then keeps only the
// CPUs keel has.
int64_t read_set(Process& p, uint64_t address, uint64_t size, CpuSet& set) {
    set = CpuSet{};
    if (size > 0 && !copy_from_user(p, set.bits, address, size < kSetBytes ? size : kSetBytes))
        return -EFAULT;
    return 0;
}
void and_online(CpuSet& set) {
    const CpuSet all = online();
    for (size_t i = 0; i < kSetBytes; ++i) set.bits[i] &= all.bits[i];
}

int64_t get_values(Process& p, uint64_t pairs, uint64_t count, uint64_t size, uint64_t cpus) {
    CpuSet set = online();
    if (size != 0 || cpus != 0) {
        if (const int64_t error = read_set(p, cpus, size, set); error != 0) return error;
        and_online(set);
        if (set.empty()) return -EINVAL;
    }
    for (uint64_t i = 0; i < count; ++i) {
        struct riscv_hwprobe pair;
        const uint64_t at = pairs + i * sizeof pair;
        if (!copy_from_user(p, &pair.key, at, sizeof pair.key)) return -EFAULT;
        pair.value = pair.key >= 0 && pair.key <= kLastKey ? value_for(pair.key, set) : 0;
        if (pair.key < 0 || pair.key > kLastKey) pair.key = -1;
        if (!copy_to_user(p, at, &pair, sizeof pair)) return -EFAULT;
    }
    return 0;
}

// RISCV_HWPROBE_WHICH_CPUS: the set (all CPUs if it is empty) less those that do not match.
int64_t which_cpus(Process& p, uint64_t pairs, uint64_t count, uint64_t size, uint64_t cpus) {
    if (size == 0 || cpus == 0) return -EINVAL;
    CpuSet set;
    if (const int64_t error = read_set(p, cpus, size, set); error != 0) return error;
    if (set.empty()) set = online();  // (before the CPUs keel lacks go: as Linux)
    and_online(set);
    for (uint64_t i = 0; i < count; ++i) {
        struct riscv_hwprobe pair;
        const uint64_t at = pairs + i * sizeof pair;
        if (!copy_from_user(p, &pair, at, sizeof pair)) return -EFAULT;
        const bool known = pair.key >= 0 && pair.key <= kLastKey;
        for (unsigned n = 0; n < cpus::count(); ++n) {
            const uint64_t has = known ? value_of(pair.key, cpus::cpu(n)) : 0;
            const bool match =
                known && (is_mask(pair.key) ? (has & pair.value) == pair.value : has == pair.value);
            if (!match) set.clear(n);
        }
        if (!known) {
            pair = {-1, 0};
            if (!copy_to_user(p, at, &pair, sizeof pair)) return -EFAULT;
        }
    }
    const uint64_t bytes = size < kSetBytes ? size : kSetBytes;
    return copy_to_user(p, cpus, set.bits, bytes) ? 0 : -EFAULT;
}

}  // namespace

int64_t sys_riscv_hwprobe(Process& p, TrapFrame& frame) {
    const uint64_t flags = uint_arg(frame, 4);
    if ((flags & ~uint64_t{RISCV_HWPROBE_WHICH_CPUS}) != 0) return -EINVAL;
    const uint64_t pairs = arg(frame, 0), count = arg(frame, 1);
    const uint64_t size = arg(frame, 2), cpus = arg(frame, 3);
    return flags != 0 ? which_cpus(p, pairs, count, size, cpus)
                      : get_values(p, pairs, count, size, cpus);
}

}  // namespace keel::syscalls
