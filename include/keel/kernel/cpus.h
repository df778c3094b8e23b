// SPDX-License-Identifier: MIT
// The CPUs programs are told of: the usable harts, in device-tree order (CPU N is the Nth), each
// with its hart id, its ISA string (in the device tree, which stays mapped) and what
// riscv_hwprobe makes of it. /proc/cpuinfo lists them; riscv_hwprobe's cpu sets
// number them.
#pragma once
#include <keel/kernel/boot_info.h>
#include <keel/lib/riscv_isa.h>

namespace keel::cpus {

inline constexpr unsigned kMax = 64;  // a cpu_set_t of 1024 bits holds far more

struct Cpu {
    uint64_t hart_id = 0;
    const char* isa = nullptr;  // riscv,isa, or nullptr
    riscv_isa::Features features;
};

// At boot, once the harts are up: the usable ones and the machine's ids.
void remember(const BootInfo& info);
unsigned count();
const Cpu& cpu(unsigned n);

// The machine's mvendorid, marchid and mimpid, as the SBI gave them at boot (0 where it did not).
struct MachineIds {
    uint64_t vendor = 0;
    uint64_t arch = 0;
    uint64_t impl = 0;
};
MachineIds machine_ids();

// How misaligned 8-byte loads and stores fare, measured at the first call as Linux measures them (a
// copy by misaligned words against one by bytes): RISCV_HWPROBE_MISALIGNED_SCALAR_FAST, _SLOW, or
// _UNKNOWN when trying one faulted.
uint64_t misaligned_speed();

}  // namespace keel::cpus
