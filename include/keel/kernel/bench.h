// SPDX-License-Identifier: MIT
// Exact costs of kernel operations, counted in retired instructions (the instret counter). Under
// QEMU with `-icount shift=0` instret counts instructions exactly; without it QEMU derives instret
// from the host clock, and calibrate() notices: a known run of instructions does not count as its
// length. The shell's `bench` prints these; `make bench` boots with -icount to read them.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel::bench {

struct Calibration {
    uint64_t overhead;  // what reading instret twice in a row counts (1 when exact)
    bool exact;         // a run of kProbeLength instructions counted as exactly that many
};

inline constexpr uint64_t kProbeLength = 32;

Calibration calibrate();

struct Figure {
    const char* operation;
    uint64_t instructions;  // the fewest over the rounds, calibration overhead taken off
    const char* how;        // what was timed
};

// The allocator's operations: operator new's fast path, delete rolling the block back, a refused
// request, and an aligned request (the slow path). Each is a real call on the kernel heap; the
// blocks go back, but the heap's allocation and failure counts keep them. Fills `out`, returns how
// many.
size_t measure_allocator(const Calibration& calibration, Figure* out, size_t capacity);

// A context switch (arch/riscv/context.h) and back: a second context on its own pages, which
// adds one to a counter and switches back, `rounds` times. Fills `out` with the round trip and
// one switch; `checked` says whether both sides' values, kept in callee-saved registers across
// every switch, came through intact. False when there is no page for the stack.
inline constexpr uint64_t kSwitchRounds = 1000;
bool measure_context_switch(const Calibration& calibration, Figure* out, size_t capacity,
                            size_t& count, bool& checked);

}  // namespace keel::bench
