// SPDX-License-Identifier: MIT
// The faults themselves. Each lives in its own non-inlined function so that the report's sepc and
// backtrace name it, and each uses inline assembly so that the compiler cannot reason it away.
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/faults.h>
#include <keel/lib/cmdline.h>

namespace keel {
namespace {

constexpr uintptr_t kUnmappedAddress = 0x0;
constexpr uintptr_t kFirmwareMemory = 0x80000000;  // OpenSBI's region: no S-mode access (PMP)

[[gnu::noinline]] void fault_illegal_instruction(void*) {
    asm volatile("unimp");
}

[[gnu::noinline]] void fault_load(void*) {
    uint64_t value;
    asm volatile("ld %0, 0(%1)" : "=r"(value) : "r"(kUnmappedAddress) : "memory");
}

[[gnu::noinline]] void fault_store(void*) {
    asm volatile("sd zero, 0(%0)" ::"r"(kFirmwareMemory) : "memory");
}

[[gnu::noinline]] void fault_breakpoint(void*) {
    asm volatile("ebreak");
}

}  // namespace

const FaultKindInfo* find_fault_kind(StringView name) {
    for (const FaultKindInfo& info : kFaultKinds) {
        if (equals(name, info.name)) return &info;
    }
    return nullptr;
}

bool provoke_fault(FaultKind kind) {
    switch (kind) {
    case FaultKind::kIllegal: return run_guarded(fault_illegal_instruction, nullptr);
    case FaultKind::kLoad: return run_guarded(fault_load, nullptr);
    case FaultKind::kStore: return run_guarded(fault_store, nullptr);
    case FaultKind::kBreakpoint: return run_guarded(fault_breakpoint, nullptr);
    case FaultKind::kFatal: fault_load(nullptr); return false;
    }
    return false;
}

}  // namespace keel
