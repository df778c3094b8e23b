// SPDX-License-Identifier: MIT
// The names of syscall numbers and errnos, built at compile time from the ABI's own lists
// (KEEL_SYSCALL_LIST, KEEL_ERRNO_LIST): no second list to keep in step.
#include <keel/abi/errno.h>
#include <keel/abi/names.h>
#include <keel/abi/syscalls.h>

namespace {

struct SyscallNames {
    const char* by_number[KEEL_SYSCALL_LIMIT];
};

constexpr SyscallNames make_syscall_names() {
    SyscallNames names{};
#define KEEL_NAME_SYSCALL(number, name) names.by_number[number] = #name;
    KEEL_SYSCALL_LIST(KEEL_NAME_SYSCALL)
#undef KEEL_NAME_SYSCALL
    return names;
}

struct ErrnoNames {
    const char* by_number[KEEL_ERRNO_MAX + 1];
};

constexpr ErrnoNames make_errno_names() {
    ErrnoNames names{};
#define KEEL_NAME_ERRNO(name) names.by_number[name] = #name;
    KEEL_ERRNO_LIST(KEEL_NAME_ERRNO)
#undef KEEL_NAME_ERRNO
    return names;
}

constexpr SyscallNames kSyscallNames = make_syscall_names();
constexpr ErrnoNames kErrnoNames = make_errno_names();

}  // namespace

const char* keel_syscall_name(unsigned number) {
    return number < KEEL_SYSCALL_LIMIT ? kSyscallNames.by_number[number] : nullptr;
}

const char* keel_errno_name(int error) {
    return error > 0 && error <= KEEL_ERRNO_MAX ? kErrnoNames.by_number[error] : nullptr;
}
