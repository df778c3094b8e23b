// SPDX-License-Identifier: MIT
// Names for logs: a syscall number's Linux name ("openat") and an errno's ("ENOENT"), both made
// from the lists in syscalls.h and errno.h. C++; defined in src/lib/abi_names.cpp.
#pragma once

// The call's name, or nullptr for a number Linux assigns no call on riscv64.
const char* keel_syscall_name(unsigned number);

// The error's name for a positive errno (ENOENT for 2), or nullptr for one Linux does not define.
const char* keel_errno_name(int error);
