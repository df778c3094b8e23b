// SPDX-License-Identifier: MIT
// The names logs give syscall numbers and errnos (keel/abi/names.h), made from the ABI's lists.
#include <gtest/gtest.h>
#include <keel/abi/errno.h>
#include <keel/abi/names.h>

#include <climits>

namespace {

TEST(AbiNames, NamesTheCallsProgramsMakeMost) {
    EXPECT_STREQ(keel_syscall_name(56), "openat");
    EXPECT_STREQ(keel_syscall_name(63), "read");
    EXPECT_STREQ(keel_syscall_name(64), "write");
    EXPECT_STREQ(keel_syscall_name(220), "clone");
    EXPECT_STREQ(keel_syscall_name(221), "execve");
    EXPECT_STREQ(keel_syscall_name(260), "wait4");
}

TEST(AbiNames, NamesTheEndsOfTheList) {
    EXPECT_STREQ(keel_syscall_name(0), "io_setup");
    EXPECT_STREQ(keel_syscall_name(469), "file_setattr");
}

TEST(AbiNames, NamesRiscvsOwnCallsAndTheNewStatCalls) {
    EXPECT_STREQ(keel_syscall_name(258), "riscv_hwprobe");
    EXPECT_STREQ(keel_syscall_name(259), "riscv_flush_icache");
    EXPECT_STREQ(keel_syscall_name(79), "newfstatat");
    EXPECT_STREQ(keel_syscall_name(80), "fstat");
}

TEST(AbiNames, GivesNoNameToNumbersLinuxLeavesUnassigned) {
    EXPECT_EQ(keel_syscall_name(38), nullptr);  // renameat: not on riscv64
    EXPECT_EQ(keel_syscall_name(244), nullptr);
    EXPECT_EQ(keel_syscall_name(300), nullptr);
    EXPECT_EQ(keel_syscall_name(470), nullptr);
    EXPECT_EQ(keel_syscall_name(5000), nullptr);
    EXPECT_EQ(keel_syscall_name(UINT_MAX), nullptr);
}

TEST(AbiNames, NamesEveryCallOfTheList) {
    int named = 0;
    for (unsigned number = 0; number < 1024; ++number)
        named += keel_syscall_name(number) != nullptr;
    EXPECT_EQ(named, 326);
}

TEST(AbiNames, NamesErrnosByTheirValues) {
    EXPECT_STREQ(keel_errno_name(EPERM), "EPERM");
    EXPECT_STREQ(keel_errno_name(ENOENT), "ENOENT");
    EXPECT_STREQ(keel_errno_name(EFAULT), "EFAULT");
    EXPECT_STREQ(keel_errno_name(ENOSYS), "ENOSYS");
    EXPECT_STREQ(keel_errno_name(EHWPOISON), "EHWPOISON");
}

TEST(AbiNames, NamesAnAliasByTheErrnoItStandsFor) {
    EXPECT_STREQ(keel_errno_name(EWOULDBLOCK), "EAGAIN");
    EXPECT_STREQ(keel_errno_name(EDEADLOCK), "EDEADLK");
}

TEST(AbiNames, GivesNoErrnoNameOutsideLinuxsNumbers) {
    EXPECT_EQ(keel_errno_name(0), nullptr);
    EXPECT_EQ(keel_errno_name(-ENOENT), nullptr);
    EXPECT_EQ(keel_errno_name(41), nullptr);
    EXPECT_EQ(keel_errno_name(58), nullptr);
    EXPECT_EQ(keel_errno_name(134), nullptr);
    EXPECT_EQ(keel_errno_name(INT_MIN), nullptr);
}

}  // namespace
