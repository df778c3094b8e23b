// SPDX-License-Identifier: MIT
// The SBI calls themselves: one ecall each, arguments in a0..a5, FID in a6, EID in a7, and the
// answer back in a0 (error) and a1 (value) (SBI v2.0 §3 Binary Encoding). Kernel only: the names
// and decoders are in sbi_names.cpp.
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/lib/atomic.h>

namespace keel::sbi {
namespace {

// §3: the callee preserves every register but a0 and a1, so those are the only outputs. The
// "memory" clobber is for calls that read or write our buffers (DBCN) or that must not be moved
// past the stores before them (starting a hart, resetting the machine).
template <typename Fid>
Result call(Extension eid, Fid fid, unsigned long arg0 = 0, unsigned long arg1 = 0,
            unsigned long arg2 = 0, unsigned long arg3 = 0, unsigned long arg4 = 0,
            unsigned long arg5 = 0) {
    register unsigned long a0 asm("a0") = arg0;
    register unsigned long a1 asm("a1") = arg1;
    register unsigned long a2 asm("a2") = arg2;
    register unsigned long a3 asm("a3") = arg3;
    register unsigned long a4 asm("a4") = arg4;
    register unsigned long a5 asm("a5") = arg5;
    register unsigned long a6 asm("a6") = static_cast<unsigned long>(fid);
    register unsigned long a7 asm("a7") = static_cast<unsigned long>(eid);
    asm volatile("ecall"
                 : "+r"(a0), "+r"(a1)
                 : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7)
                 : "memory");
    return to_result(static_cast<Error>(a0), static_cast<long>(a1));
}

// §5: legacy calls ignore a6, return only a0 and preserve every other register.
long legacy_call(Extension eid, unsigned long arg0 = 0) {
    register unsigned long a0 asm("a0") = arg0;
    register unsigned long a7 asm("a7") = static_cast<unsigned long>(eid);
    asm volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return static_cast<long>(a0);
}

// What has() remembers: the standard extensions. Probing is idempotent, so harts racing to fill
// one slot store the same answer; relaxed order suffices. Zero (kNotAsked) is the constinit state.
constexpr const auto& kRemembered = kStandardExtensions;

enum class Probed : int { kNotAsked = 0, kPresent, kAbsent };  // int: RISC-V atomics are words

constinit Atomic<Probed> g_probed[sizeof kRemembered / sizeof kRemembered[0]];

bool probe(Extension extension) {
    const Result result = base::probe_extension(extension);
    return result.ok() && result.value() != 0;
}

}  // namespace

bool has(Extension extension) {
    for (size_t i = 0; i < sizeof kRemembered / sizeof kRemembered[0]; ++i) {
        if (kRemembered[i] != extension) continue;
        Probed answer = g_probed[i].load(MemoryOrder::kRelaxed);
        if (answer == Probed::kNotAsked) {
            answer = probe(extension) ? Probed::kPresent : Probed::kAbsent;
            g_probed[i].store(answer, MemoryOrder::kRelaxed);
        }
        return answer == Probed::kPresent;
    }
    return probe(extension);
}

namespace base {

Result get_spec_version() {
    return call(Extension::kBase, Function::kGetSpecVersion);
}
Result get_impl_id() {
    return call(Extension::kBase, Function::kGetImplId);
}
Result get_impl_version() {
    return call(Extension::kBase, Function::kGetImplVersion);
}
Result get_mvendorid() {
    return call(Extension::kBase, Function::kGetMvendorid);
}
Result get_marchid() {
    return call(Extension::kBase, Function::kGetMarchid);
}
Result get_mimpid() {
    return call(Extension::kBase, Function::kGetMimpid);
}

Result probe_extension(Extension extension) {
    return call(Extension::kBase, Function::kProbeExtension, static_cast<unsigned long>(extension));
}

}  // namespace base

namespace timer {

// §6.1: stime_value is 64 bits on RV32 and RV64 alike; on RV64 it fits a0.
Result set_timer(uint64_t stime_value) {
    return call(Extension::kTime, Function::kSetTimer, stime_value);
}

}  // namespace timer

namespace ipi {

Result send_ipi(unsigned long hart_mask, unsigned long hart_mask_base) {
    return call(Extension::kIpi, Function::kSendIpi, hart_mask, hart_mask_base);
}

}  // namespace ipi

namespace hsm {

Result hart_start(unsigned long hartid, uintptr_t start_addr, unsigned long opaque) {
    return call(Extension::kHsm, Function::kHartStart, hartid, start_addr, opaque);
}

Result hart_get_status(unsigned long hartid) {
    return call(Extension::kHsm, Function::kHartGetStatus, hartid);
}

}  // namespace hsm

namespace reset {

Result system_reset(ResetType type, ResetReason reason) {
    return call(Extension::kSrst, Function::kSystemReset, static_cast<unsigned long>(type),
                static_cast<unsigned long>(reason));
}

}  // namespace reset

namespace dbcn {
namespace {

// §12.1/§12.2 take the buffer's physical address as two XLEN-bit halves, lo and hi. The buffer
// must lie in the image or the direct map, where memlayout knows the physical address; on RV64
// those have at most 56 bits (privileged spec §4.4-§4.6: Sv39, Sv48 and Sv57 all map to 56-bit
// addresses): hi is always 0.
constexpr unsigned long kAddressHigh = 0;

unsigned long physical(const void* pointer) {
    return memlayout::to_physical(pointer);
}

}  // namespace

Result console_read(char* buffer, size_t capacity) {
    return call(Extension::kDbcn, Function::kConsoleRead, capacity, physical(buffer), kAddressHigh);
}

Result console_write_byte(uint8_t byte) {
    return call(Extension::kDbcn, Function::kConsoleWriteByte, byte);
}

}  // namespace dbcn

namespace legacy {

long console_putchar(int ch) {
    return legacy_call(Extension::kLegacyConsolePutchar, static_cast<unsigned long>(ch));
}

int console_getchar() {
    return static_cast<int>(legacy_call(Extension::kLegacyConsoleGetchar));
}

long shutdown() {
    return legacy_call(Extension::kLegacyShutdown);
}

}  // namespace legacy

}  // namespace keel::sbi
