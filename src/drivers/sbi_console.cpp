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
    if (use_dbcn_) {
        sbi::dbcn::console_write_byte(static_cast<uint8_t>(c));
    } else {
        sbi::legacy::console_putchar(static_cast<unsigned char>(c));
    }
    return true;  // the firmware waits for its device itself
}

int SbiConsole::get() {
    if (use_dbcn_) {
        char byte;
        const sbi::Result read = sbi::dbcn::console_read(&byte, 1);
        return read.ok() && read.value == 1 ? static_cast<unsigned char>(byte) : -1;
    }
    return sbi::legacy::console_getchar();
}

}  // namespace keel
