// SPDX-License-Identifier: MIT
// The vDSO's clocks: clock_gettime, gettimeofday and clock_getres answered in user mode from the
// time CSR (scounteren.TM lets programs read it) and the data page the kernel maps just below the
// vDSO (lib/vdso_data.h), as Linux's arch/riscv/kernel/vdso/vgettimeofday.c does. What the page
// cannot answer (the CPU-time clocks, unknown clocks and their -EINVAL) is the system call.
// Built position-independent into the vDSO (cmake/vdso.cmake): no data, no GOT, no relocations.
#include <keel/abi/syscalls.h>
#include <keel/abi/time.h>
#include <keel/lib/vdso_data.h>

// The data page: vdso.ld places the symbol a page below the image, and hidden visibility makes
// the reference pc-relative, with no GOT entry to relocate.
extern "C" const keel::vdso_data::Data keel_vdso_data  // NOLINT(readability-identifier-naming)
    __attribute__((visibility("hidden")));             // (the linker script's name, in C)

namespace {

using keel::vdso_data::Snapshot;
using keel::vdso_data::Time;

uint64_t time_csr() {
    uint64_t ticks;
    __asm__ volatile("rdtime %0" : "=r"(ticks));
    return ticks;
}

long system_call(long number, long a0, long a1) {
    register long arg0 __asm__("a0") = a0;
    register long arg1 __asm__("a1") = a1;
    register long nr __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(arg0) : "r"(arg1), "r"(nr) : "memory");
    return arg0;
}

// The clocks the kernel's clock_gettime counts from boot or from the epoch at boot (the others:
// the CPU-time clocks, and ids that are no clock).
bool counts_from_boot(long clock) {
    return clock == CLOCK_MONOTONIC || clock == CLOCK_MONOTONIC_RAW ||
           clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_BOOTTIME;
}

bool counts_from_epoch(long clock) {
    return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_TAI;
}

}  // namespace

// NOLINTBEGIN(readability-identifier-naming): the names glibc looks up.
extern "C" {

long __vdso_clock_gettime(long clock, struct timespec* value) {
    if (!counts_from_boot(clock) && !counts_from_epoch(clock))
        return system_call(SYS_clock_gettime, clock, reinterpret_cast<long>(value));
    const Snapshot page = keel::vdso_data::read(keel_vdso_data);
    const uint64_t ticks = time_csr();
    const Time t = counts_from_epoch(clock) ? keel::vdso_data::realtime(ticks, page)
                                            : keel::vdso_data::from_ticks(ticks, page.frequency);
    value->tv_sec = t.seconds;
    value->tv_nsec = t.nanoseconds;
    return 0;
}

long __vdso_gettimeofday(struct timeval* value, struct timezone* zone) {
    const Snapshot page = keel::vdso_data::read(keel_vdso_data);
    if (value != nullptr) {
        const Time t = keel::vdso_data::realtime(time_csr(), page);
        value->tv_sec = t.seconds;
        value->tv_usec = t.nanoseconds / 1000;
    }
    if (zone != nullptr) {
        zone->tz_minuteswest = page.tz_minuteswest;
        zone->tz_dsttime = page.tz_dsttime;
    }
    return 0;
}

long __vdso_clock_getres(long clock, struct timespec* resolution) {
    if (!counts_from_boot(clock) && !counts_from_epoch(clock))
        return system_call(SYS_clock_getres, clock, reinterpret_cast<long>(resolution));
    const Time t = keel::vdso_data::resolution(clock);
    if (resolution != nullptr) {
        resolution->tv_sec = t.seconds;
        resolution->tv_nsec = t.nanoseconds;
    }
    return 0;
}

}  // extern "C"
// NOLINTEND(readability-identifier-naming)
