// SPDX-License-Identifier: MIT
// Boot stage times (include/keel/kernel/boot_stages.h).
#include <keel/arch/riscv/csr.h>
#include <keel/kernel/boot_stages.h>

extern "C" {
// In .bss: boot.S writes them after zeroing it.
uint64_t keel_boot_stamps[2];  // NOLINT(readability-identifier-naming): boot.S's name
}

namespace keel::boot_stages {
namespace {

constexpr size_t kStages = static_cast<size_t>(Stage::kCount);
uint64_t g_at[kStages];

constexpr const char* kNames[kStages] = {
    "QEMU and OpenSBI, to keel's first instruction",
    "zero .bss",
    "read the device tree",
    "start the page allocator",
    "build the kernel map, turn paging on",
    "attach the console, print the banner",
    "start ticks, interrupts, the other harts",
    "heap demo, boot self tests",
};

}  // namespace

uint64_t at(Stage stage) {
    const auto index = static_cast<size_t>(stage);
    if (index >= kStages) return 0;
    if (stage == Stage::kEntry || stage == Stage::kBssZeroed) return keel_boot_stamps[index];
    return g_at[index];
}

void mark(Stage stage) {
    const auto index = static_cast<size_t>(stage);
    if (index < kStages) g_at[index] = csr::time();
}

const char* name(Stage stage) {
    const auto index = static_cast<size_t>(stage);
    return index < kStages ? kNames[index] : "?";
}

}  // namespace keel::boot_stages
