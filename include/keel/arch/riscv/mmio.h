// SPDX-License-Identifier: MIT
// The one way keel touches device registers: volatile loads and stores of an exact width, at a
// register's physical address (what the device tree gives), reached through the direct map
// (memlayout.h), where every device keel uses is mapped.
// On RISC-V, I/O regions are strongly ordered with respect to each other (privileged spec §3.6.5,
// "I/O ordering"), so program order is device order for keel's single-register accesses.
#pragma once
#include <keel/arch/riscv/memlayout.h>
#include <stdint.h>

namespace keel::mmio {

template <typename T>
inline T read(uint64_t physical) {
    return *memlayout::to_pointer<const volatile T>(physical);
}

template <typename T>
inline void write(uint64_t physical, T value) {
    *memlayout::to_pointer<volatile T>(physical) = value;
}

}  // namespace keel::mmio
