// SPDX-License-Identifier: MIT
// The kernel command line (/chosen/bootargs, QEMU -append): space-separated `key=value` or `key`
// words. boot_option() finds one by key; the last occurrence wins, as later words override.
#pragma once
#include <keel/lib/format.h>
#include <stddef.h>

namespace keel {

struct BootOption {
    bool found = false;
    StringView value;  // empty for a bare `key`
};

BootOption boot_option(StringView cmdline, const char* key);

}  // namespace keel
