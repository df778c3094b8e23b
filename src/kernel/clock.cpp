// SPDX-License-Identifier: MIT
// The clocks (include/keel/kernel/clock.h). What they count from lives in the vDSO's data page
// (kernel/vdso.h), and they convert as the vDSO does (lib/vdso_data.h), so a program reads the
// same time with the system call and without it.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/clock.h>
#include <keel/kernel/vdso.h>

namespace keel::clock {
void init() {
    vdso::set_frequency(timer::frequency());
}

Time from_ticks(uint64_t ticks) {
    return vdso_data::from_ticks(ticks, timer::frequency());
}

Time monotonic() {
    return from_ticks(csr::time());
}

Time realtime() {
    const vdso_data::Snapshot page = vdso::read();
    return vdso_data::realtime(csr::time(), page);
}

void set_realtime(Time now) {
    vdso::set_realtime_offset(vdso_data::nanoseconds(now) - vdso_data::nanoseconds(monotonic()));
}

}  // namespace keel::clock
