// SPDX-License-Identifier: MIT
// scause decoded: interrupt or exception, its code, and the privileged spec's name for it
// (RISC-V privileged spec v1.12, §4.1.9, Table 4.2 "Supervisor cause register values").
// Portable: no CSR access, so the host tests check every code.
#pragma once
#include <stdint.h>

namespace keel {

enum class Exception : uint64_t {
    kInstructionAddressMisaligned = 0,
    kInstructionAccessFault = 1,
    kIllegalInstruction = 2,
    kBreakpoint = 3,
    kLoadAddressMisaligned = 4,
    kLoadAccessFault = 5,
    kStoreAddressMisaligned = 6,  // "Store/AMO address misaligned"
    kStoreAccessFault = 7,        // "Store/AMO access fault"
    kEnvironmentCallFromU = 8,
    kEnvironmentCallFromS = 9,
    kInstructionPageFault = 12,
    kLoadPageFault = 13,
    kStorePageFault = 15,  // "Store/AMO page fault"
    kSoftwareCheck = 18,   // added by the Zicfilp/Zicfiss extensions
    kHardwareError = 19,
};

enum class Interrupt : uint64_t {
    kSupervisorSoftware = 1,
    kSupervisorTimer = 5,
    kSupervisorExternal = 9,
    kCounterOverflow = 13,  // Sscofpmf
};

struct TrapCause {
    static constexpr uint64_t kInterruptBit = 1ull << 63;

    uint64_t raw;

    bool is_interrupt() const { return (raw & kInterruptBit) != 0; }
    uint64_t code() const { return raw & ~kInterruptBit; }
    bool is(Exception e) const { return !is_interrupt() && code() == static_cast<uint64_t>(e); }
    bool is(Interrupt i) const { return is_interrupt() && code() == static_cast<uint64_t>(i); }
    // The spec's name, lower case ("load access fault"); "reserved exception"/"reserved interrupt"
    // or "platform-specific ..." for codes the table does not name.
    const char* name() const;
};

// The names of codes 0-63 as data, so that a debugger reads the very strings keel prints
// (scripts/gdb/keel.py, keel-regs); TrapCause::name() reads them from here too.
inline constexpr uint64_t kNamedCauses = 64;
struct CauseNames {
    const char* exception[kNamedCauses];
    const char* interrupt[kNamedCauses];
};
extern const CauseNames kCauseNames;

}  // namespace keel
