// SPDX-License-Identifier: MIT
// SBI console: one byte per call either way; DBCN is preferred because the legacy extension is
// deprecated and absent from SBI v2.0-only firmware.
#include <keel/arch/riscv/sbi.h>
#include <keel/drivers/sbi_console.h>

namespace keel {

void SbiConsole::init() {
    use_dbcn_ = sbi::has(sbi::Extension::kDbcn);
}

bool SbiConsole::try_send(char c) {
    // The firmware waits for its device itself (an SBI call is not interrupted, and its wait is
    // not bounded): it never lacks room. A byte it fails to write has nowhere else to go.
    if (use_dbcn_) {
        (void)sbi::dbcn::console_write_byte(static_cast<uint8_t>(c));
    } else {
        (void)sbi::legacy::console_putchar(static_cast<unsigned char>(c));
    }
    return true;
}

int SbiConsole::get() {
    if (use_dbcn_) {
        // Into the object (the image or the heap: memory whose physical address is known), not
        // onto a task's stack.
        const sbi::Result read = sbi::dbcn::console_read(&read_byte_, 1);
        return read.ok() && read.value() == 1 ? static_cast<unsigned char>(read_byte_) : -1;
    }
    return sbi::legacy::console_getchar();
}

}  // namespace keel
