// SPDX-License-Identifier: MIT
// Faults keel can provoke on purpose, to show (and test) what the trap handler reports. The
// recoverable ones run under a fault guard, so the report is printed and the caller carries on;
// the memory faults (and fatal) run unguarded, as a real bug would: the report names what the
// address was, then the kernel panics (every hart stops, QEMU exits non-zero).
#pragma once
#include <keel/kernel/sched.h>
#include <keel/lib/format.h>
#include <stddef.h>

namespace keel {

enum class FaultKind {
    kIllegal,        // an illegal instruction (c.unimp)
    kLoad,           // a load from 0x1000, which the kernel map leaves unmapped
    kStore,          // a store into OpenSBI's memory, which the kernel map leaves out
    kBreakpoint,     // ebreak
    kNull,           // a load through a null pointer (address 0x8)
    kWriteText,      // a store into the kernel's own code (mapped read+execute)
    kExecData,       // a jump into .data (mapped read+write, not executable)
    kStackOverflow,  // recursion in a task until its stack runs into its guard pages
    kFatal,          // the null load again, outside any guard: the kernel panics
};

struct FaultKindInfo {
    FaultKind kind;
    const char* name;
    const char* description;
    bool recoverable;  // true: the shell's prompt comes back; false: the kernel panics
};

inline constexpr FaultKindInfo kFaultKinds[] = {
    {FaultKind::kIllegal, "illegal", "execute an illegal instruction", true},
    {FaultKind::kLoad, "load", "load from 0x1000 (unmapped)", true},
    {FaultKind::kStore, "store", "store to 0x80000000 (OpenSBI's memory: unmapped)", true},
    {FaultKind::kBreakpoint, "breakpoint", "execute ebreak", true},
    {FaultKind::kNull, "null", "load through a null pointer (address 0x8)", false},
    {FaultKind::kWriteText, "write-text", "store into the kernel's code (read+execute only)",
     false},
    {FaultKind::kExecData, "exec-data", "jump into .data (not executable)", false},
    {FaultKind::kStackOverflow, "stack-overflow",
     "recurse in a task until its stack hits its guard pages: the task ends", true},
    {FaultKind::kFatal, "fatal", "illegal instruction outside any fault guard", false},
};

// The kind named `name`, or nullptr.
const FaultKindInfo* find_fault_kind(StringView name);

// Provokes the fault, under a guard when it is recoverable; true when the trap handler caught it
// (it always should). kFatal does not return: the trap handler reports it and panics.
// kStackOverflow needs a task of its own to overflow: when none can be started (no free page,
// too many tasks, no scheduler) nothing is provoked and the spawn's error comes back, since the
// caller's own stack would not survive the recursion.
Result<bool, sched::SpawnError> provoke_fault(FaultKind kind);

}  // namespace keel
