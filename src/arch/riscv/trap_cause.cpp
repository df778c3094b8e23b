// SPDX-License-Identifier: MIT
// Names for scause values, as the privileged spec's Table 4.2 gives them.
#include <keel/arch/riscv/trap_cause.h>

namespace keel {
namespace {

constexpr const char* exception_name(uint64_t code) {
    switch (static_cast<Exception>(code)) {
    case Exception::kInstructionAddressMisaligned: return "instruction address misaligned";
    case Exception::kInstructionAccessFault: return "instruction access fault";
    case Exception::kIllegalInstruction: return "illegal instruction";
    case Exception::kBreakpoint: return "breakpoint";
    case Exception::kLoadAddressMisaligned: return "load address misaligned";
    case Exception::kLoadAccessFault: return "load access fault";
    case Exception::kStoreAddressMisaligned: return "store/AMO address misaligned";
    case Exception::kStoreAccessFault: return "store/AMO access fault";
    case Exception::kEnvironmentCallFromU: return "environment call from U-mode";
    case Exception::kEnvironmentCallFromS: return "environment call from S-mode";
    case Exception::kInstructionPageFault: return "instruction page fault";
    case Exception::kLoadPageFault: return "load page fault";
    case Exception::kStorePageFault: return "store/AMO page fault";
    case Exception::kSoftwareCheck: return "software check";
    case Exception::kHardwareError: return "hardware error";
    }
    // Table 4.2: 24-31 and 48-63 are designated for custom use.
    if ((code >= 24 && code <= 31) || (code >= 48 && code <= 63)) return "custom exception";
    return "reserved exception";
}

constexpr const char* interrupt_name(uint64_t code) {
    switch (static_cast<Interrupt>(code)) {
    case Interrupt::kSupervisorSoftware: return "supervisor software interrupt";
    case Interrupt::kSupervisorTimer: return "supervisor timer interrupt";
    case Interrupt::kSupervisorExternal: return "supervisor external interrupt";
    case Interrupt::kCounterOverflow: return "counter-overflow interrupt";
    }
    if (code >= 16) return "platform-specific interrupt";  // Table 4.2: >= 16 platform use
    return "reserved interrupt";
}

constexpr CauseNames make_cause_names() {
    CauseNames names{};
    for (uint64_t code = 0; code < kNamedCauses; ++code) {
        names.exception[code] = exception_name(code);
        names.interrupt[code] = interrupt_name(code);
    }
    return names;
}

}  // namespace

constinit const CauseNames kCauseNames = make_cause_names();

const char* TrapCause::name() const {
    const uint64_t number = code();
    if (number < kNamedCauses)
        return is_interrupt() ? kCauseNames.interrupt[number] : kCauseNames.exception[number];
    return is_interrupt() ? interrupt_name(number) : exception_name(number);
}

}  // namespace keel
