// SPDX-License-Identifier: MIT
// Faults keel can provoke on purpose, to show (and test) what the trap handler reports. Each runs
// under a fault guard, so the report is printed and the caller carries on.
#pragma once
#include <keel/lib/format.h>
#include <stddef.h>

namespace keel {

enum class FaultKind {
    kIllegal,     // an illegal instruction (c.unimp)
    kLoad,        // a load from address 0, where QEMU virt has no device
    kStore,       // a store into OpenSBI's memory, which its PMP denies S-mode
    kBreakpoint,  // ebreak
    kFatal,       // the load from 0x0 again, outside any guard: the kernel panics
};

struct FaultKindInfo {
    FaultKind kind;
    const char* name;
    const char* description;
    bool recoverable;  // false: the kernel panics
};

inline constexpr FaultKindInfo kFaultKinds[] = {
    {FaultKind::kIllegal, "illegal", "execute an illegal instruction", true},
    {FaultKind::kLoad, "load", "load from address 0x0 (no device there)", true},
    {FaultKind::kStore, "store", "store to 0x80000000 (OpenSBI's memory, PMP-protected)", true},
    {FaultKind::kBreakpoint, "breakpoint", "execute ebreak", true},
    {FaultKind::kFatal, "fatal", "load from 0x0 outside any fault guard: the kernel panics", false},
};

// The kind named `name`, or nullptr.
const FaultKindInfo* find_fault_kind(StringView name);

// Provokes the fault, under a guard when it is recoverable; true when the trap handler caught it
// (it always should). kFatal does not return: the trap handler reports it and panics.
bool provoke_fault(FaultKind kind);

}  // namespace keel
