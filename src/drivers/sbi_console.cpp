// SPDX-License-Identifier: MIT
// SBI console: one byte per call either way; DBCN is preferred because the legacy extension is
// deprecated and absent from SBI v2.0-only firmware.
#include <keel/arch/riscv/sbi.h>
#include <keel/drivers/sbi_console.h>

namespace keel {

void SbiConsole::init() {
    use_dbcn_ = sbi::has(sbi::Extension::kDbcn);
}

bool SbiConsole::put_raw(char c) {
    // The firmware waits for its device itself: a failure means it has no console to write to.
    if (use_dbcn_) return sbi::dbcn::console_write_byte(static_cast<uint8_t>(c)).ok();
    return sbi::legacy::console_putchar(static_cast<unsigned char>(c)) == 0;
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
