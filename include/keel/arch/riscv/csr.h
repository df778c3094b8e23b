// SPDX-License-Identifier: MIT
// Supervisor CSRs keel uses, and the bits it touches in them (RISC-V privileged spec v1.12, ch. 4).
// csr::read/write/set/clear take the CSR's name as the assembler spells it.
#pragma once

// sstatus bits the assembly uses too (§4.1.1): SIE (bit 1), and FS (bits 14:13), the floating-point
// unit's state, 0 = Off.
#define KEEL_SSTATUS_SIE 0x2
#define KEEL_SSTATUS_FS 0x6000

#ifndef __ASSEMBLER__
#include <stdint.h>

#define KEEL_CSR_READ(name)                                      \
    ({                                                           \
        uint64_t keel_csr_value_;                                \
        asm volatile("csrr %0, " #name : "=r"(keel_csr_value_)); \
        keel_csr_value_;                                         \
    })
#define KEEL_CSR_WRITE(name, value) \
    asm volatile("csrw " #name ", %0" ::"r"(uint64_t(value)) : "memory")
#define KEEL_CSR_SET(name, bits) asm volatile("csrs " #name ", %0" ::"r"(uint64_t(bits)) : "memory")
#define KEEL_CSR_CLEAR(name, bits) \
    asm volatile("csrc " #name ", %0" ::"r"(uint64_t(bits)) : "memory")

namespace keel::csr {

// sstatus (§4.1.1)
inline constexpr uint64_t kSstatusSie = KEEL_SSTATUS_SIE;  // SIE: S-mode interrupts enabled
inline constexpr uint64_t kSstatusSpie = 1ull << 5;        // SPIE: SIE before the trap
inline constexpr uint64_t kSstatusSpp = 1ull << 8;         // SPP: trap came from S-mode
inline constexpr uint64_t kSstatusFs = KEEL_SSTATUS_FS;
inline constexpr uint64_t kSstatusFsInitial = 1ull << 13;  // FS = Initial: FP on, nothing saved
inline constexpr uint64_t kSstatusSum = 1ull << 18;        // SUM: S-mode may touch U pages

// sie / sip (§4.1.3): one bit per S-mode interrupt, numbered as scause's interrupt codes.
inline constexpr uint64_t kSoftwareInterrupt = 1ull << 1;  // SSIE / SSIP
inline constexpr uint64_t kTimerInterrupt = 1ull << 5;     // STIE / STIP
inline constexpr uint64_t kExternalInterrupt = 1ull << 9;  // SEIE / SEIP

// (csrsi/csrci: SIE is bit 1, within the 5-bit immediate, so no register holds the mask.)
inline void enable_interrupts() {
    asm volatile("csrsi sstatus, %0" ::"K"(kSstatusSie) : "memory");
}
inline void disable_interrupts() {
    asm volatile("csrci sstatus, %0" ::"K"(kSstatusSie) : "memory");
}
inline bool interrupts_enabled() {
    return (KEEL_CSR_READ(sstatus) & kSstatusSie) != 0;
}

// Turns interrupts off and says whether they were on, for restore_interrupts().
inline bool save_and_disable_interrupts() {
    uint64_t old;
    asm volatile("csrrci %0, sstatus, %1" : "=r"(old) : "K"(kSstatusSie) : "memory");
    return (old & kSstatusSie) != 0;
}
inline void restore_interrupts(bool were_enabled) {
    if (were_enabled) enable_interrupts();
}

// Interrupts off for a scope, then as they were.
class InterruptsOff {
public:
    InterruptsOff() : were_enabled_(save_and_disable_interrupts()) {}
    ~InterruptsOff() { restore_interrupts(were_enabled_); }
    InterruptsOff(const InterruptsOff&) = delete;
    InterruptsOff& operator=(const InterruptsOff&) = delete;

private:
    bool were_enabled_;
};

// The time CSR (Zicntr): ticks at /cpus/timebase-frequency. OpenSBI emulates it where absent.
inline uint64_t time() {
    return KEEL_CSR_READ(time);
}

inline void wait_for_interrupt() {
    asm volatile("wfi" ::: "memory");
}

}  // namespace keel::csr
#endif  // __ASSEMBLER__
