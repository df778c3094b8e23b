// SPDX-License-Identifier: MIT
// Faults keel can provoke on purpose, to show (and test) what the trap handler reports. Each runs
// under a fault guard, so the report is printed and the caller carries on.
#pragma once
#include <stddef.h>

#include <keel/lib/format.h>

namespace keel {

enum class FaultKind {
    kIllegal,     // an illegal instruction (c.unimp)
    kLoad,        // a load from address 0, where QEMU virt has no device
    kStore,       // a store into OpenSBI's memory, which its PMP denies S-mode
    kBreakpoint,  // ebreak
};

struct FaultKindInfo {
    FaultKind kind;
    const char* name;
    const char* description;
};

inline constexpr FaultKindInfo kFaultKinds[] = {
    {FaultKind::kIllegal, "illegal", "execute an illegal instruction"},
    {FaultKind::kLoad, "load", "load from address 0x0 (no device there)"},
    {FaultKind::kStore, "store", "store to 0x80000000 (OpenSBI's memory, PMP-protected)"},
    {FaultKind::kBreakpoint, "breakpoint", "execute ebreak"},
};

// The kind named `name`, or nullptr.
const FaultKindInfo* find_fault_kind(StringView name);

// Provokes the fault under a guard; true when the trap handler caught it (it always should).
bool provoke_fault(FaultKind kind);

// A load from address 0 with no guard: the trap handler reports it and panics.
void provoke_unguarded_fault();

}  // namespace keel
