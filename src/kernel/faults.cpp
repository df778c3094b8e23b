// SPDX-License-Identifier: MIT
// The faults themselves. Each lives in its own non-inlined function so that the report's sepc and
// backtrace name it, and each uses inline assembly so that the compiler cannot reason it away.
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/faults.h>
#include <keel/kernel/sched.h>
#include <keel/lib/cmdline.h>

namespace keel {
namespace {

constexpr uintptr_t kUnmappedAddress = 0x1000;  // user space: the kernel maps nothing there
constexpr uintptr_t kNullField = 0x8;           // a field 8 bytes into a null struct pointer
// OpenSBI's region in the direct map: left out of the map (and PMP-protected too).
constexpr uintptr_t kFirmwareMemory = memlayout::kDirectMap + memlayout::kFirmwareBase;

// Code-shaped bytes in .data: `ret` (c.jr ra) and padding. The map makes .data not executable, so
// jumping here faults before the first byte runs.
alignas(4) uint16_t g_data_code[2] = {0x8082, 0x0001};

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

[[gnu::noinline]] void fault_null(void*) {
    uint64_t value;
    asm volatile("ld %0, 0(%1)" : "=r"(value) : "r"(kNullField) : "memory");
}

[[gnu::noinline]] void fault_write_text(void*) {
    // The first instruction of this very function: the kernel map makes .text read+execute.
    asm volatile("sw zero, 0(%0)" ::"r"(reinterpret_cast<uintptr_t>(&fault_write_text)) : "memory");
}

[[gnu::noinline]] void fault_exec_data(void*) {
    asm volatile("jalr ra, 0(%0)" ::"r"(reinterpret_cast<uintptr_t>(g_data_code)) : "ra", "memory");
}

// Each level keeps 256 bytes live across the call, so the compiler can neither drop the frame nor
// turn the recursion into a loop; 1 << 20 levels is far past any stack keel has.
[[gnu::noinline]] uint64_t recurse(uint64_t levels) {
    volatile uint8_t frame[256];
    frame[0] = static_cast<uint8_t>(levels);
    if (levels == 0) return frame[0];
    return recurse(levels - 1) + frame[0];
}

[[gnu::noinline]] void fault_stack_overflow(void*) {
    (void)recurse(1u << 20);
}

// In a task of its own, which the overflow ends: true when it ended so (and was reported). With
// no task (no free page, say) it is not provoked at all: on the caller's own stack the overflow
// would end the caller (the shell, for good) or, outside any task, overrun the hart's stack.
Result<bool, sched::SpawnError> overflow_a_task_stack() {
    const auto task = sched::spawn(
        "overflow",
        [](void*) -> int64_t {
            fault_stack_overflow(nullptr);
            return 0;
        },
        nullptr);
    if (!task.ok()) return task.error();
    const auto value = sched::join(task.value());
    return value.ok() && value.value() == sched::kExitStackOverflow;
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

Result<bool, sched::SpawnError> provoke_fault(FaultKind kind) {
    switch (kind) {
    case FaultKind::kIllegal: return run_guarded(fault_illegal_instruction, nullptr);
    case FaultKind::kLoad: return run_guarded(fault_load, nullptr);
    case FaultKind::kStore: return run_guarded(fault_store, nullptr);
    case FaultKind::kBreakpoint: return run_guarded(fault_breakpoint, nullptr);
    case FaultKind::kNull: fault_null(nullptr); return false;
    case FaultKind::kWriteText: fault_write_text(nullptr); return false;
    case FaultKind::kExecData: fault_exec_data(nullptr); return false;
    case FaultKind::kStackOverflow: return overflow_a_task_stack();
    case FaultKind::kFatal: fault_illegal_instruction(nullptr); return false;
    }
    return false;
}

}  // namespace keel
