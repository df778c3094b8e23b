// SPDX-License-Identifier: MIT
// Fuzzes rt_sigreturn's reading of a signal frame: any bytes (a short input zero-padded, a long one
// cut) as a frame in a heap block of exactly its size, so that a read past it is an ASan report.
// Whatever restore() says, the mask never holds SIGKILL or SIGSTOP, fcsr fits its 8 bits and the
// registers are the frame's; it accepts exactly the frames whose extension area is a bare END
// header; and what it accepts, built into a frame again, restores to the same state.
#include <keel/lib/signal_frame.h>

#include <memory>

#include "fuzz_support.h"

using namespace keel;
using namespace keel::signal_frame;

namespace {

bool same_state(const UserState& a, const UserState& b) {
    return memcmp(a.regs, b.regs, sizeof a.regs) == 0 && memcmp(a.fp, b.fp, sizeof a.fp) == 0 &&
           a.blocked == b.blocked;
}

void check_round_trip(const UserState& state, const Frame& frame, const AltStack& altstack) {
    auto again = std::make_unique<Frame>();
    build(state, frame.info, altstack, *again);
    UserState restored;
    const auto result = restore(*again, restored);
    fuzz::check(result.ok(), "a built frame refused");
    fuzz::check(same_state(restored, state), "a built frame restores to another state");
    fuzz::check(result.value().ss_sp == altstack.ss_sp &&
                    result.value().ss_size == altstack.ss_size &&
                    result.value().ss_flags == altstack.ss_flags,
                "a built frame restores another alternate stack");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto frame = std::make_unique<Frame>();
    memcpy(static_cast<void*>(frame.get()), data, size < sizeof(Frame) ? size : sizeof(Frame));
    UserState state;
    const auto result = restore(*frame, state);

    const SigContext& context = frame->uc.uc_mcontext;
    fuzz::check((state.blocked & signals::kUnblockable) == 0, "SIGKILL or SIGSTOP blocked");
    fuzz::check(state.blocked == (frame->uc.uc_sigmask & ~signals::kUnblockable),
                "a mask other than the frame's");
    fuzz::check(state.fp[32] <= 0xff, "fcsr above its 8 bits");
    fuzz::check(memcmp(state.regs, context.sc_regs, sizeof state.regs) == 0,
                "registers other than the frame's");
    fuzz::check(memcmp(state.fp, context.sc_fpregs.f, 32 * sizeof(uint64_t)) == 0,
                "f registers other than the frame's");
    const FpState& fp = context.sc_fpregs;
    const bool bare_end =
        fp.ext_reserved == 0 && fp.ext_header.magic == 0 && fp.ext_header.size == 0;
    fuzz::check(result.ok() == bare_end, "accepted or refused against the extension area");
    if (result.ok()) check_round_trip(state, *frame, result.value());
    return 0;
}
