// SPDX-License-Identifier: MIT
// Where a signal frame goes (lib/signal_frame.h frame_address, Linux's get_sigframe) and the
// sigaltstack rules behind it (do_sigaltstack, on_sig_stack, sas_ss_flags), as Linux 6.12 has
// them. What Linux reports as uc_stack was read from a running kernel: the settings as set (0 for
// a process that never called sigaltstack, 1 after SS_ONSTACK, SS_AUTODISARM kept).
#include <gtest/gtest.h>
#include <keel/lib/signal_frame.h>

namespace keel::signal_frame {
namespace {

using signals::kSaOnStack;

constexpr uint64_t kBase = 0x20000;
constexpr uint64_t kSize = 0x4000;
constexpr AltStack kAltStack = {kBase, 0, 0, kSize};
constexpr uint64_t kSp = 0x3fff'fe38;  // a main-stack sp, not 16-aligned

TEST(SignalAltStack, FrameGoesBelowSpAligned) {
    const auto address = frame_address(kSp, 0, kNoAltStack);
    ASSERT_TRUE(address.ok());
    EXPECT_EQ(address.value(), (kSp - kFrameSize) & ~uint64_t{15});
    EXPECT_EQ(address.value() % 16, 0u);
}

TEST(SignalAltStack, FrameGoesOnTopOfTheAlternateStackWithSaOnStack) {
    const auto address = frame_address(kSp, kSaOnStack, kAltStack);
    ASSERT_TRUE(address.ok());
    EXPECT_EQ(address.value(), kBase + kSize - kFrameSize);
    EXPECT_GE(address.value(), kBase);
    EXPECT_EQ(address.value() % 16, 0u);
}

TEST(SignalAltStack, WithoutSaOnStackTheAlternateStackIsNotUsed) {
    EXPECT_EQ(frame_address(kSp, 0, kAltStack).value(), (kSp - kFrameSize) & ~uint64_t{15});
}

TEST(SignalAltStack, NestedSignalOnTheAlternateStackGoesBelowItsSp) {
    const uint64_t sp = kBase + kSize - kFrameSize - 40;  // a handler running on it
    EXPECT_EQ(frame_address(sp, kSaOnStack, kAltStack).value(), (sp - kFrameSize) & ~uint64_t{15});
}

TEST(SignalAltStack, DisabledOrNeverSetAlternateStackUsesSp) {
    const uint64_t below_sp = (kSp - kFrameSize) & ~uint64_t{15};
    EXPECT_EQ(frame_address(kSp, kSaOnStack, kDisabledAltStack).value(), below_sp);
    EXPECT_EQ(frame_address(kSp, kSaOnStack, kNoAltStack).value(), below_sp);
}

TEST(SignalAltStack, AutoDisarmStackIsNeverInUse) {
    const AltStack altstack = {kBase, kSsAutoDisarm, 0, kSize};
    EXPECT_FALSE(on_alt_stack(altstack, kBase + 0x100));
    EXPECT_EQ(frame_address(kBase + 0x2000, kSaOnStack, altstack).value(),
              kBase + kSize - kFrameSize);
}

TEST(SignalAltStack, FrameThatWouldOverflowTheAlternateStackIsRefused) {
    EXPECT_EQ(frame_address(kBase + 100, kSaOnStack, kAltStack).error(), Error::kAltStackOverflow);
    EXPECT_EQ(frame_address(kBase + 100, 0, kAltStack).error(), Error::kAltStackOverflow);
}

TEST(SignalAltStack, StackBelowTheFrameSizeIsRefused) {
    EXPECT_EQ(frame_address(kFrameSize - 1, 0, kNoAltStack).error(), Error::kWrapsBelowZero);
    EXPECT_TRUE(frame_address(kFrameSize, 0, kNoAltStack).ok());
}

TEST(SignalAltStack, OnTheStackMeansAboveItsBaseUpToItsTop) {
    EXPECT_FALSE(on_alt_stack(kAltStack, kBase));
    EXPECT_TRUE(on_alt_stack(kAltStack, kBase + 1));
    EXPECT_TRUE(on_alt_stack(kAltStack, kBase + kSize));
    EXPECT_FALSE(on_alt_stack(kAltStack, kBase + kSize + 1));
}

TEST(SignalAltStack, QueryReportsWhereTheThreadIs) {
    EXPECT_EQ(query_alt_stack(kAltStack, kBase + 8).ss_flags, kSsOnStack);
    EXPECT_EQ(query_alt_stack(kAltStack, kSp).ss_flags, 0u);
    EXPECT_EQ(query_alt_stack(kNoAltStack, kSp).ss_flags, kSsDisable);
    const AltStack disarming = {kBase, kSsAutoDisarm, 0, kSize};
    EXPECT_EQ(query_alt_stack(disarming, kBase + 8).ss_flags, kSsAutoDisarm);
}

TEST(SignalAltStack, SetKeepsTheFlagsAsGiven) {
    const auto set = set_alt_stack(kNoAltStack, {kBase, kSsOnStack | kSsAutoDisarm, 0, kSize}, kSp);
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set.value().ss_sp, kBase);
    EXPECT_EQ(set.value().ss_flags, kSsOnStack | kSsAutoDisarm);
    EXPECT_EQ(set.value().ss_size, kSize);
}

TEST(SignalAltStack, SetWhileOnTheStackIsRefused) {
    EXPECT_EQ(set_alt_stack(kAltStack, kDisabledAltStack, kBase + 8).error(),
              AltStackError::kOnAltStack);
}

TEST(SignalAltStack, SetRefusesAnUnknownMode) {
    EXPECT_EQ(set_alt_stack(kNoAltStack, {kBase, 4, 0, kSize}, kSp).error(),
              AltStackError::kBadFlags);
    EXPECT_EQ(set_alt_stack(kNoAltStack, {kBase, kSsOnStack | kSsDisable, 0, kSize}, kSp).error(),
              AltStackError::kBadFlags);
}

TEST(SignalAltStack, SetRefusesAStackBelowMinsigstksz) {
    EXPECT_EQ(set_alt_stack(kNoAltStack, {kBase, 0, 0, kMinAltStackSize - 1}, kSp).error(),
              AltStackError::kTooSmall);
    EXPECT_TRUE(set_alt_stack(kNoAltStack, {kBase, 0, 0, kMinAltStackSize}, kSp).ok());
}

TEST(SignalAltStack, DisablingForgetsTheStackButKeepsTheFlags) {
    const auto set = set_alt_stack(kAltStack, {kBase, kSsDisable | kSsAutoDisarm, 0, kSize}, kSp);
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set.value().ss_sp, 0u);
    EXPECT_EQ(set.value().ss_size, 0u);
    EXPECT_EQ(set.value().ss_flags, kSsDisable | kSsAutoDisarm);
}

TEST(SignalAltStack, SettingWhatIsAlreadySetSkipsTheSizeCheck) {
    EXPECT_TRUE(set_alt_stack(kNoAltStack, kNoAltStack, kSp).ok());
}

TEST(SignalAltStack, DeliveryDropsAnAutoDisarmStack) {
    const AltStack disarming = {kBase, kSsAutoDisarm, 0, kSize};
    EXPECT_EQ(after_delivery(disarming).ss_flags, kSsDisable);
    EXPECT_EQ(after_delivery(disarming).ss_size, 0u);
    EXPECT_EQ(after_delivery(kAltStack).ss_size, kSize);
}

TEST(SignalAltStack, ExecForgetsTheStackButNotItsFlags) {
    const AltStack after = after_exec({kBase, kSsOnStack | kSsAutoDisarm, 0, kSize});
    EXPECT_EQ(after.ss_sp, 0u);
    EXPECT_EQ(after.ss_size, 0u);
    EXPECT_EQ(after.ss_flags, kSsOnStack | kSsAutoDisarm);
    EXPECT_EQ(query_alt_stack(after, kSp).ss_flags, kSsDisable | kSsAutoDisarm);
}

TEST(SignalAltStack, ErrorsHaveNames) {
    EXPECT_STREQ(alt_stack_error_name(AltStackError::kTooSmall),
                 "smaller than MINSIGSTKSZ (ENOMEM)");
    EXPECT_STREQ(error_name(Error::kBadExtension), "the extension headers do not end with END");
}

}  // namespace
}  // namespace keel::signal_frame
