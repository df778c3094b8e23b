// SPDX-License-Identifier: MIT
// The signal frame (lib/signal_frame.h) as riscv64 Linux 6.12 lays it out and fills it, what
// rt_sigreturn takes back and refuses, and where the frame goes with and without an alternate
// stack. The layout numbers are Linux's, read with riscv64-linux-gnu-gcc from its uapi headers
// and from glibc's <sys/ucontext.h> (ucontext_t 960 bytes, uc_mcontext at 176, __fpregs at 256).
#include <gtest/gtest.h>
#include <keel/lib/signal_frame.h>

#include <cstring>
#include <memory>

namespace keel::signal_frame {
namespace {

using signals::bit;

static_assert(sizeof(Frame) == 1088 && alignof(Frame) == 16);
static_assert(sizeof(SigInfo) == 128 && sizeof(AltStack) == 24);
static_assert(sizeof(UContext) == 960 && offsetof(UContext, uc_mcontext) == 176);
static_assert(sizeof(SigContext) == 784 && offsetof(SigContext, sc_fpregs) == 256);
static_assert(offsetof(FpState, fcsr) == 256 && offsetof(FpState, ext_reserved) == 516);

TEST(SignalFrame, LayoutIsLinuxs) {
    EXPECT_EQ(offsetof(Frame, uc), 128u);
    EXPECT_EQ(offsetof(Frame, uc.uc_stack), 144u);
    EXPECT_EQ(offsetof(Frame, uc.uc_sigmask), 168u);
    EXPECT_EQ(offsetof(Frame, uc.uc_mcontext), 304u);
    EXPECT_EQ(offsetof(Frame, uc.uc_mcontext.sc_fpregs), 560u);
    EXPECT_EQ(offsetof(Frame, uc.uc_mcontext.sc_fpregs.fcsr), 816u);
    EXPECT_EQ(offsetof(Frame, uc.uc_mcontext.sc_fpregs.ext_header), 1080u);
    EXPECT_EQ(offsetof(Frame, info.fault.addr), 16u);
    EXPECT_EQ(offsetof(Frame, info.sender.stime), 40u);
}

// Every register, f register and mask bit different, fcsr a full 8 bits.
UserState busy_state() {
    UserState state;
    for (int i = 0; i < 32; ++i)
        state.regs[i] = 0x1111'0000'0000'0000u * uint64_t(i % 15 + 1) + uint64_t(i);
    for (int i = 0; i < 32; ++i) state.fp[i] = 0x3ff0'0000'0000'0000 + (uint64_t(i) << 20);
    state.fp[32] = 0xe5;
    state.blocked = signals::blockable(0x8000'0000'0000'1234);
    return state;
}

std::unique_ptr<Frame> built(const UserState& state, const SigInfo& info = {},
                             const AltStack& altstack = kNoAltStack) {
    auto frame = std::make_unique<Frame>();
    build(state, info, altstack, *frame);
    return frame;
}

TEST(SignalFrame, RestoreGivesBackWhatBuildSaved) {
    const UserState saved = busy_state();
    const auto frame = built(saved);
    UserState restored;
    ASSERT_TRUE(restore(*frame, restored).ok());
    EXPECT_EQ(0, memcmp(restored.regs, saved.regs, sizeof saved.regs));
    EXPECT_EQ(0, memcmp(restored.fp, saved.fp, sizeof saved.fp));
    EXPECT_EQ(restored.blocked, saved.blocked);
}

TEST(SignalFrame, BuildFillsWhatLinuxFills) {
    SigInfo info;
    info.si_signo = signals::kSigSegv;
    info.si_code = 1;  // SEGV_MAPERR
    info.fault.addr = 0xdead'b000;
    const AltStack altstack = {0x20000, kSsAutoDisarm, 0, 0x4000};
    const auto frame = built(busy_state(), info, altstack);
    EXPECT_EQ(frame->info.si_signo, signals::kSigSegv);
    EXPECT_EQ(frame->info.fault.addr, 0xdead'b000u);
    EXPECT_EQ(frame->uc.uc_flags, 0u);
    EXPECT_EQ(frame->uc.uc_link, 0u);
    EXPECT_EQ(frame->uc.uc_stack.ss_sp, 0x20000u);
    EXPECT_EQ(frame->uc.uc_stack.ss_flags, kSsAutoDisarm);
    EXPECT_EQ(frame->uc.uc_stack.ss_size, 0x4000u);
    EXPECT_EQ(frame->uc.uc_sigmask, busy_state().blocked);
    EXPECT_EQ(frame->uc.uc_mcontext.sc_regs[0], busy_state().regs[0]);
    EXPECT_EQ(frame->uc.uc_mcontext.sc_fpregs.fcsr, 0xe5u);
    EXPECT_EQ(frame->uc.uc_mcontext.sc_fpregs.ext_reserved, 0u);
    EXPECT_EQ(frame->uc.uc_mcontext.sc_fpregs.ext_header.magic, 0u);  // END_MAGIC
    EXPECT_EQ(frame->uc.uc_mcontext.sc_fpregs.ext_header.size, 0u);   // END_HDR_SIZE
}

TEST(SignalFrame, BuildLeavesNothingOfWhatWasThere) {
    auto frame = std::make_unique<Frame>();
    memset(static_cast<void*>(frame.get()), 0xa5, sizeof(Frame));
    build(UserState{}, SigInfo{}, kNoAltStack, *frame);
    const auto* bytes = reinterpret_cast<const uint8_t*>(frame.get());
    for (size_t i = 0; i < sizeof(Frame); ++i) ASSERT_EQ(bytes[i], 0) << "byte " << i;
}

TEST(SignalFrame, BuildCopiesOnlyTheKernelsPartOfTheSiginfo) {
    SigInfo info;
    memset(info.bytes, 0x5a, sizeof info.bytes);
    const auto frame = built(UserState{}, info);
    EXPECT_EQ(frame->info.bytes[31], 0x5a);  // up to 48 bytes in: copy_siginfo_to_user's copy
    EXPECT_EQ(frame->info.bytes[32], 0);     // past them: cleared
    EXPECT_EQ(frame->info.bytes[111], 0);
}

TEST(SignalFrame, BuildKeepsTheEightBitsFcsrHas) {
    UserState state;
    state.fp[32] = 0xffff'ff12;
    EXPECT_EQ(built(state)->uc.uc_mcontext.sc_fpregs.fcsr, 0x12u);
}

TEST(SignalFrame, RestoreKeepsTheEightBitsFcsrHas) {
    auto frame = built(UserState{});
    frame->uc.uc_mcontext.sc_fpregs.fcsr = 0xffff'ffff;
    UserState state;
    ASSERT_TRUE(restore(*frame, state).ok());
    EXPECT_EQ(state.fp[32], 0xffu);
}

TEST(SignalFrame, RestoreNeverBlocksKillOrStop) {
    auto frame = built(UserState{});
    frame->uc.uc_sigmask = ~uint64_t{0};
    UserState state;
    ASSERT_TRUE(restore(*frame, state).ok());
    EXPECT_EQ(state.blocked, ~(bit(signals::kSigKill) | bit(signals::kSigStop)));
}

TEST(SignalFrame, RestoreRefusesANonZeroReservedWord) {
    auto frame = built(UserState{});
    frame->uc.uc_mcontext.sc_fpregs.ext_reserved = 1;
    UserState state;
    EXPECT_EQ(restore(*frame, state).error(), Error::kReservedNotZero);
}

TEST(SignalFrame, RestoreRefusesVectorState) {
    auto frame = built(UserState{});
    frame->uc.uc_mcontext.sc_fpregs.ext_header = {0x53465457, 0x230};  // RISCV_V_MAGIC
    UserState state;
    EXPECT_EQ(restore(*frame, state).error(), Error::kBadExtension);
}

TEST(SignalFrame, RestoreRefusesAnEndHeaderWithASize) {
    auto frame = built(UserState{});
    frame->uc.uc_mcontext.sc_fpregs.ext_header.size = 8;
    UserState state;
    EXPECT_EQ(restore(*frame, state).error(), Error::kBadExtension);
}

TEST(SignalFrame, RestoreOfABadFrameHasAlreadyTakenBackTheRegistersAndMask) {
    const UserState saved = busy_state();
    auto frame = built(saved);
    frame->uc.uc_mcontext.sc_fpregs.ext_reserved = 7;
    UserState state;
    ASSERT_FALSE(restore(*frame, state).ok());
    EXPECT_EQ(state.regs[0], saved.regs[0]);
    EXPECT_EQ(state.fp[32], saved.fp[32]);
    EXPECT_EQ(state.blocked, saved.blocked);
}

TEST(SignalFrame, RestoreIgnoresTheRestOfTheQState) {
    auto frame = built(UserState{});
    frame->uc.uc_mcontext.sc_fpregs.q_fcsr = 0xffff'ffff;
    frame->uc.uc_mcontext.sc_fpregs.unused[10] = 0x1234;
    UserState state;
    EXPECT_TRUE(restore(*frame, state).ok());
}

TEST(SignalFrame, RestoreGivesBackTheAlternateStack) {
    auto frame = built(UserState{}, {}, AltStack{0x20000, 0, 0, 0x4000});
    frame->uc.uc_stack.pad = 0xffff'ffff;
    UserState state;
    const auto altstack = restore(*frame, state);
    ASSERT_TRUE(altstack.ok());
    EXPECT_EQ(altstack.value().ss_sp, 0x20000u);
    EXPECT_EQ(altstack.value().ss_size, 0x4000u);
    EXPECT_EQ(altstack.value().pad, 0u);
}

TEST(SignalFrame, HandlerStartsWithItsArgumentsAndTheTrampolineInRa) {
    UserState state = busy_state();
    enter_handler(state, 0x3fff'f000, signals::kSigUsr1, 0x10a00, 0x7fff'e000);
    EXPECT_EQ(state.regs[0], 0x10a00u);              // pc
    EXPECT_EQ(state.regs[1], 0x7fff'e000u);          // ra
    EXPECT_EQ(state.regs[2], 0x3fff'f000u);          // sp
    EXPECT_EQ(state.regs[10], 10u);                  // a0: the signal
    EXPECT_EQ(state.regs[11], 0x3fff'f000u);         // a1: &frame->info
    EXPECT_EQ(state.regs[12], 0x3fff'f000u + 128);   // a2: &frame->uc
    EXPECT_EQ(state.regs[3], busy_state().regs[3]);  // the rest as they were
    EXPECT_EQ(state.fp[32], busy_state().fp[32]);
}

}  // namespace
}  // namespace keel::signal_frame
