// SPDX-License-Identifier: MIT
// A hart's ISA string, as the device tree's riscv,isa gives it ("rv64imafdch_zicsr_zba_sstc"):
// what riscv_hwprobe tells programs of it. The base and the single-letter extensions come first
// (version numbers such as "2p1" may follow a letter; "g" is "imafd" with Zicsr and Zifencei),
// then multi-letter ones, each after a '_'. Case does not matter. Only the extensions a program
// can use under keel count: F and D (keel keeps their registers), C and what C stands for (Zca,
// and Zcd with D), and the unprivileged ones that need nothing of the kernel; V and the vector
// crypto extensions do not (keel does not keep vector state), nor Zicboz (keel does not enable it
// for user mode).
#pragma once
#include <keel/lib/string_view.h>
#include <stdint.h>

namespace keel::riscv_isa {

struct Features {
    bool valid = false;  // "rv32..." or "rv64..." with nothing it cannot read
    bool rv64 = false;
    bool ima = false;   // I, M and A: RISCV_HWPROBE_BASE_BEHAVIOR_IMA
    uint64_t ext0 = 0;  // RISCV_HWPROBE_KEY_IMA_EXT_0's bits
};

Features parse(StringView isa);

}  // namespace keel::riscv_isa
