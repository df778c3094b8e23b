// SPDX-License-Identifier: MIT
// Signal sets, default actions and delivery order (lib/signals.h), against Linux's tables in
// include/linux/signal.h and kernel/signal.c.
#include <gtest/gtest.h>
#include <keel/lib/signals.h>

namespace keel::signals {
namespace {

TEST(Signals, DefaultActionOfEachGroup) {
    for (int signal : {kSigHup, kSigInt, kSigKill, kSigUsr1, kSigUsr2, kSigPipe, kSigAlrm, kSigTerm,
                       kSigStkflt, kSigVtalrm, kSigProf, kSigIo, kSigPwr})
        EXPECT_EQ(default_action(signal), DefaultAction::kTerminate) << signal;
    for (int signal : {kSigQuit, kSigIll, kSigTrap, kSigAbrt, kSigBus, kSigFpe, kSigSegv, kSigXcpu,
                       kSigXfsz, kSigSys})
        EXPECT_EQ(default_action(signal), DefaultAction::kCore) << signal;
    for (int signal : {kSigStop, kSigTstp, kSigTtin, kSigTtou})
        EXPECT_EQ(default_action(signal), DefaultAction::kStop) << signal;
    EXPECT_EQ(default_action(kSigCont), DefaultAction::kContinue);
    for (int signal : {kSigChld, kSigUrg, kSigWinch})
        EXPECT_EQ(default_action(signal), DefaultAction::kIgnore) << signal;
}

TEST(Signals, RealTimeSignalsTerminate) {
    for (int signal = kSigRtMin; signal <= kSigRtMax; ++signal)
        EXPECT_EQ(default_action(signal), DefaultAction::kTerminate) << signal;
}

TEST(Signals, NoSuchSignalHasNothingToDo) {
    EXPECT_EQ(default_action(0), DefaultAction::kIgnore);
    EXPECT_EQ(default_action(65), DefaultAction::kIgnore);
    EXPECT_EQ(default_action(-9), DefaultAction::kIgnore);
}

TEST(Signals, StopSignalsAreTheFourThatStop) {
    for (int signal = 0; signal <= 65; ++signal)
        EXPECT_EQ(is_stop_signal(signal), default_action(signal) == DefaultAction::kStop) << signal;
}

TEST(Signals, NextSignalPrefersASynchronousFault) {
    EXPECT_EQ(next_signal(bit(kSigInt) | bit(kSigSegv), 0), kSigSegv);
    EXPECT_EQ(next_signal(bit(kSigHup) | bit(kSigSys) | bit(kSigRtMin), 0), kSigSys);
}

TEST(Signals, NextSignalTakesTheLowestFault) {
    EXPECT_EQ(next_signal(bit(kSigSegv) | bit(kSigIll) | bit(kSigInt), 0), kSigIll);
}

TEST(Signals, NextSignalOtherwiseTakesTheLowest) {
    EXPECT_EQ(next_signal(bit(kSigTerm) | bit(kSigUsr1) | bit(kSigRtMin), 0), kSigUsr1);
    EXPECT_EQ(next_signal(bit(kSigRtMax), 0), kSigRtMax);
}

TEST(Signals, NextSignalSkipsBlockedOnes) {
    EXPECT_EQ(next_signal(bit(kSigSegv) | bit(kSigTerm), bit(kSigSegv)), kSigTerm);
    EXPECT_EQ(next_signal(bit(kSigTerm), bit(kSigTerm)), 0);
    EXPECT_EQ(next_signal(0, 0), 0);
}

TEST(Signals, BlockableDropsKillAndStop) {
    EXPECT_EQ(blockable(~Set{0}), ~Set{0} & ~(bit(kSigKill) | bit(kSigStop)));
    EXPECT_EQ(blockable(bit(kSigInt)), bit(kSigInt));
}

TEST(Signals, HandlerMaskAddsTheActionsMaskAndTheSignal) {
    EXPECT_EQ(handler_mask(bit(kSigHup), bit(kSigTerm), 0, kSigUsr1),
              bit(kSigHup) | bit(kSigTerm) | bit(kSigUsr1));
}

TEST(Signals, HandlerMaskLeavesTheSignalOutWithNoDefer) {
    EXPECT_EQ(handler_mask(0, bit(kSigTerm), kSaNoDefer, kSigUsr1), bit(kSigTerm));
}

TEST(Signals, HandlerMaskNeverHoldsKillOrStop) {
    EXPECT_EQ(handler_mask(0, ~Set{0}, 0, kSigKill) & kUnblockable, 0u);
}

TEST(Signals, ChangeMaskBlocksUnblocksAndSets) {
    const Set blocked = bit(kSigInt) | bit(kSigTerm);
    EXPECT_EQ(change_mask(blocked, 0, bit(kSigUsr1)).value(), blocked | bit(kSigUsr1));
    EXPECT_EQ(change_mask(blocked, 1, bit(kSigInt)).value(), bit(kSigTerm));
    EXPECT_EQ(change_mask(blocked, 2, bit(kSigHup)).value(), bit(kSigHup));
}

TEST(Signals, ChangeMaskNeverBlocksKillOrStop) {
    EXPECT_EQ(change_mask(0, 0, ~Set{0}).value() & kUnblockable, 0u);
    EXPECT_EQ(change_mask(0, 2, ~Set{0}).value() & kUnblockable, 0u);
}

TEST(Signals, ChangeMaskRefusesAnotherHow) {
    EXPECT_EQ(change_mask(0, 3, 0).error(), MaskError::kBadHow);
    EXPECT_EQ(change_mask(0, -1, 0).error(), MaskError::kBadHow);
}

TEST(Signals, ActionsHaveNames) {
    EXPECT_STREQ(action_name(DefaultAction::kCore), "core");
    EXPECT_STREQ(action_name(default_action(kSigCont)), "continue");
}

}  // namespace
}  // namespace keel::signals
