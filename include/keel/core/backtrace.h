// SPDX-License-Identifier: MIT
// Backtraces: walk the frame-pointer chain (keel builds with -fno-omit-frame-pointer) and name
// each return address from the symbol table embedded in the image.
#pragma once
#include <keel/lib/symbols.h>
#include <stdint.h>

namespace keel {

struct TrapFrame;

// The table in .keel_symtab; invalid (resolves nothing) if the build did not fill it.
SymbolTable kernel_symbols();

// Prints "0x0000000080201234 kmain+0x34" (no newline); bare address when no symbol covers it.
// `after_call`: the address is a return address (it names the function that made the call).
void print_code_address(uint64_t address, bool after_call = false);

// Prints "backtrace:" and one "  #N <address> <name+offset>" line per frame, starting from the
// frame record at `fp` (RISC-V psABI: [fp-8] = return address, [fp-16] = caller's fp). Stops at
// a null fp, at a record outside the hart stack `fp` lies in, or after 32 frames.
// With `trap`, `fp` is the record trap.S built, and the interrupted function may be a leaf.
void print_backtrace(uint64_t fp, const TrapFrame* trap = nullptr);

// The calling function's frame pointer, for print_backtrace(current_frame()).
inline uint64_t current_frame() {
    uint64_t fp;
    asm volatile("mv %0, s0" : "=r"(fp));
    return fp;
}

}  // namespace keel
