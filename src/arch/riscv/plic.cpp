// SPDX-License-Identifier: MIT
// PLIC register map (riscv-plic-spec v1.0.0, §3 "Memory Map"): 32-bit registers.
#include <keel/arch/riscv/mmio.h>
#include <keel/arch/riscv/plic.h>

namespace keel {
namespace {
constexpr uintptr_t kPriority = 0x0;           // + 4 * source
constexpr uintptr_t kEnable = 0x2000;          // + 0x80 * context, one bit per source
constexpr uintptr_t kContextBlock = 0x200000;  // + 0x1000 * context:
constexpr uintptr_t kThreshold = 0x0;          //   priority threshold
constexpr uintptr_t kClaimComplete = 0x4;      //   claim (read) / complete (write)

uintptr_t context_register(uintptr_t base, int context, uintptr_t offset) {
    return base + kContextBlock + 0x1000 * static_cast<uintptr_t>(context) + offset;
}
}  // namespace

void Plic::init(uintptr_t base, uint32_t sources) {
    base_ = base;
    sources_ = sources > kMaxSources ? kMaxSources : sources;
}

void Plic::set_priority(uint32_t source, uint32_t priority) const {
    mmio::write<uint32_t>(base_ + kPriority + 4 * source, priority);
}

void Plic::enable(int context, uint32_t source) const {
    const uintptr_t word =
        base_ + kEnable + 0x80 * static_cast<uintptr_t>(context) + 4 * (source / 32);
    mmio::write<uint32_t>(word, mmio::read<uint32_t>(word) | (1u << (source % 32)));
}

void Plic::set_threshold(int context, uint32_t threshold) const {
    mmio::write<uint32_t>(context_register(base_, context, kThreshold), threshold);
}

uint32_t Plic::claim(int context) const {
    return mmio::read<uint32_t>(context_register(base_, context, kClaimComplete));
}

void Plic::complete(int context, uint32_t source) const {
    mmio::write<uint32_t>(context_register(base_, context, kClaimComplete), source);
}

}  // namespace keel
