// SPDX-License-Identifier: MIT
// The one way keel touches device registers: volatile loads and stores of an exact width.
// On RISC-V, I/O regions are strongly ordered with respect to each other (privileged spec §3.6.5,
// "I/O ordering"), so program order is device order for keel's single-register accesses.
#pragma once
#include <stdint.h>

namespace keel::mmio {

template <typename T>
inline T read(uintptr_t address) {
    return *reinterpret_cast<const volatile T*>(address);
}

template <typename T>
inline void write(uintptr_t address, T value) {
    *reinterpret_cast<volatile T*>(address) = value;
}

}  // namespace keel::mmio
