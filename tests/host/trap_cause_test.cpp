// SPDX-License-Identifier: MIT
// scause decoding: every code the privileged spec names, and the ones it reserves.
#include <gtest/gtest.h>
#include <keel/arch/riscv/trap_cause.h>

namespace keel {
namespace {

TEST(TrapCause, NamesEveryStandardException) {
    const struct {
        uint64_t code;
        const char* name;
    } table[] = {
        {0, "instruction address misaligned"},
        {1, "instruction access fault"},
        {2, "illegal instruction"},
        {3, "breakpoint"},
        {4, "load address misaligned"},
        {5, "load access fault"},
        {6, "store/AMO address misaligned"},
        {7, "store/AMO access fault"},
        {8, "environment call from U-mode"},
        {9, "environment call from S-mode"},
        {12, "instruction page fault"},
        {13, "load page fault"},
        {15, "store/AMO page fault"},
        {18, "software check"},
        {19, "hardware error"},
    };
    for (const auto& row : table) {
        const TrapCause cause{row.code};
        EXPECT_FALSE(cause.is_interrupt());
        EXPECT_EQ(cause.code(), row.code);
        EXPECT_STREQ(cause.name(), row.name) << "code " << row.code;
    }
}

TEST(TrapCause, NamesEverySupervisorInterrupt) {
    EXPECT_STREQ(TrapCause{TrapCause::kInterruptBit | 1}.name(), "supervisor software interrupt");
    EXPECT_STREQ(TrapCause{TrapCause::kInterruptBit | 5}.name(), "supervisor timer interrupt");
    EXPECT_STREQ(TrapCause{TrapCause::kInterruptBit | 9}.name(), "supervisor external interrupt");
    EXPECT_STREQ(TrapCause{TrapCause::kInterruptBit | 13}.name(), "counter-overflow interrupt");
}

TEST(TrapCause, InterruptBitSeparatesCodeFiveFromTimer) {
    const TrapCause load_fault{5};
    const TrapCause timer{TrapCause::kInterruptBit | 5};
    EXPECT_TRUE(load_fault.is(Exception::kLoadAccessFault));
    EXPECT_FALSE(load_fault.is(Interrupt::kSupervisorTimer));
    EXPECT_TRUE(timer.is(Interrupt::kSupervisorTimer));
    EXPECT_FALSE(timer.is(Exception::kLoadAccessFault));
    EXPECT_EQ(timer.code(), 5u);
}

TEST(TrapCause, ReservedAndCustomCodesSayWhatTheyAre) {
    EXPECT_STREQ(TrapCause{10}.name(), "reserved exception");
    EXPECT_STREQ(TrapCause{14}.name(), "reserved exception");
    EXPECT_STREQ(TrapCause{24}.name(), "custom exception");
    EXPECT_STREQ(TrapCause{63}.name(), "custom exception");
    EXPECT_STREQ(TrapCause{64}.name(), "reserved exception");
    EXPECT_STREQ(TrapCause{TrapCause::kInterruptBit | 3}.name(), "reserved interrupt");
    EXPECT_STREQ(TrapCause{TrapCause::kInterruptBit | 16}.name(), "platform-specific interrupt");
}

}  // namespace
}  // namespace keel
