// SPDX-License-Identifier: MIT
// The signal frame, rt_sigreturn and the alternate stack (include/keel/lib/signal_frame.h). The
// frame's types are checked here, field by field, against keel/abi/signal.h's, whose sizes and
// offsets are Linux's (checked against its uapi headers and glibc's <sys/ucontext.h>).
#include <keel/abi/signal.h>
#include <keel/lib/signal_frame.h>

namespace keel::signal_frame {

// Every byte of a Frame belongs to a field (the siginfo's to its union's bytes[]), so a
// zero-initialised one has no leftovers to leak.
static_assert(__has_unique_object_representations(UContext));
static_assert(sizeof(SigInfo) == 4 * sizeof(int32_t) + sizeof(SigInfo::bytes));
static_assert(sizeof(Frame) == kFrameSize && sizeof(struct rt_sigframe) == kFrameSize);
static_assert(alignof(Frame) == 16 && alignof(struct rt_sigframe) == 16);
static_assert(sizeof(SigInfo) == sizeof(siginfo_t) && sizeof(siginfo_t) == SI_MAX_SIZE);
static_assert(sizeof(AltStack) == sizeof(stack_t));
static_assert(sizeof(UContext) == sizeof(struct ucontext) && sizeof(UContext) == 960);
static_assert(sizeof(SigContext) == sizeof(struct sigcontext) && sizeof(SigContext) == 784);
static_assert(sizeof(FpState) == sizeof(union __riscv_fp_state));
static_assert(sizeof(FpState) == sizeof(struct __riscv_extra_ext_header));
static_assert(kInfoOffset == offsetof(struct rt_sigframe, info));
static_assert(kContextOffset == offsetof(struct rt_sigframe, uc));
static_assert(kSsOnStack == SS_ONSTACK && kSsDisable == SS_DISABLE);
static_assert(kSsAutoDisarm == SS_AUTODISARM && kSsAutoDisarm == SS_FLAG_BITS);
static_assert(kMinAltStackSize == MINSIGSTKSZ);

#define KEEL_SAME_PLACE(ours, linux) \
    static_assert(offsetof(Frame, ours) == offsetof(struct rt_sigframe, linux), #linux);
KEEL_SAME_PLACE(info.si_signo, info.si_signo)
KEEL_SAME_PLACE(info.si_errno, info.si_errno)
KEEL_SAME_PLACE(info.si_code, info.si_code)
KEEL_SAME_PLACE(info.sender.pid, info.si_pid)
KEEL_SAME_PLACE(info.sender.uid, info.si_uid)
KEEL_SAME_PLACE(info.sender.value, info.si_value)
KEEL_SAME_PLACE(info.sender.value, info.si_status)
KEEL_SAME_PLACE(info.sender.utime, info.si_utime)
KEEL_SAME_PLACE(info.sender.stime, info.si_stime)
KEEL_SAME_PLACE(info.timer.tid, info.si_tid)
KEEL_SAME_PLACE(info.timer.overrun, info.si_overrun)
KEEL_SAME_PLACE(info.fault.addr, info.si_addr)
KEEL_SAME_PLACE(uc.uc_flags, uc.uc_flags)
KEEL_SAME_PLACE(uc.uc_link, uc.uc_link)
KEEL_SAME_PLACE(uc.uc_stack.ss_sp, uc.uc_stack.ss_sp)
KEEL_SAME_PLACE(uc.uc_stack.ss_flags, uc.uc_stack.ss_flags)
KEEL_SAME_PLACE(uc.uc_stack.ss_size, uc.uc_stack.ss_size)
KEEL_SAME_PLACE(uc.uc_sigmask, uc.uc_sigmask)
KEEL_SAME_PLACE(uc.uc_unused, uc.__unused)
KEEL_SAME_PLACE(uc.uc_mcontext, uc.uc_mcontext)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[0], uc.uc_mcontext.sc_regs.pc)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[1], uc.uc_mcontext.sc_regs.ra)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[2], uc.uc_mcontext.sc_regs.sp)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[8], uc.uc_mcontext.sc_regs.s0)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[10], uc.uc_mcontext.sc_regs.a0)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[17], uc.uc_mcontext.sc_regs.a7)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[18], uc.uc_mcontext.sc_regs.s2)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[27], uc.uc_mcontext.sc_regs.s11)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[28], uc.uc_mcontext.sc_regs.t3)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_regs[31], uc.uc_mcontext.sc_regs.t6)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs, uc.uc_mcontext.sc_fpregs)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs.f, uc.uc_mcontext.sc_fpregs.d.f)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs.fcsr, uc.uc_mcontext.sc_fpregs.d.fcsr)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs.q_fcsr, uc.uc_mcontext.sc_fpregs.q.fcsr)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs.ext_reserved, uc.uc_mcontext.sc_fpregs.q.reserved[0])
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs.ext_reserved, uc.uc_mcontext.sc_extdesc.reserved)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs.ext_header, uc.uc_mcontext.sc_fpregs.q.reserved[1])
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs.ext_header.magic, uc.uc_mcontext.sc_extdesc.hdr.magic)
KEEL_SAME_PLACE(uc.uc_mcontext.sc_fpregs.ext_header.size, uc.uc_mcontext.sc_extdesc.hdr.size)
#undef KEEL_SAME_PLACE

namespace {

constexpr uint64_t kFcsrMask = 0xff;  // frm (3 bits) | fflags (5): the rest reads as zero
constexpr size_t kFpRegisters = 32;
// sizeof(struct kernel_siginfo) on 64-bit: the header and the largest of the fields. Linux copies
// that much of a siginfo into the frame and clears the rest (copy_siginfo_to_user).
constexpr size_t kKernelInfoSize = 48;
// x1, x2, x10-x12 by ABI name.
constexpr int kRa = 1;
constexpr int kSp = 2;
constexpr int kA0 = 10;
constexpr int kA1 = 11;
constexpr int kA2 = 12;

}  // namespace

const char* error_name(Error error) {
    switch (error) {
    case Error::kAltStackOverflow: return "the frame would overflow the alternate stack";
    case Error::kWrapsBelowZero: return "the stack is below the frame's size";
    case Error::kReservedNotZero: return "the reserved word of sc_extdesc is not zero";
    case Error::kBadExtension: return "the extension headers do not end with END";
    }
    return "?";
}

const char* alt_stack_error_name(AltStackError error) {
    switch (error) {
    case AltStackError::kOnAltStack: return "on the alternate stack (EPERM)";
    case AltStackError::kBadFlags: return "bad flags (EINVAL)";
    case AltStackError::kTooSmall: return "smaller than MINSIGSTKSZ (ENOMEM)";
    }
    return "?";
}

bool on_alt_stack(const AltStack& altstack, uint64_t sp) {
    // With SS_AUTODISARM the stack is dropped as a handler starts on it, so no sp is on it.
    if ((altstack.ss_flags & kSsAutoDisarm) != 0) return false;
    return sp > altstack.ss_sp && sp - altstack.ss_sp <= altstack.ss_size;
}

uint32_t alt_stack_state(const AltStack& altstack, uint64_t sp) {
    if (altstack.ss_size == 0) return kSsDisable;
    return on_alt_stack(altstack, sp) ? kSsOnStack : 0;
}

AltStack query_alt_stack(const AltStack& altstack, uint64_t sp) {
    const uint32_t flags = alt_stack_state(altstack, sp) | (altstack.ss_flags & kSsAutoDisarm);
    return AltStack{altstack.ss_sp, flags, 0, altstack.ss_size};
}

Result<AltStack, AltStackError> set_alt_stack(const AltStack& current, const AltStack& requested,
                                              uint64_t sp) {
    if (on_alt_stack(current, sp)) return AltStackError::kOnAltStack;
    const uint32_t flags = requested.ss_flags;
    const uint32_t mode = flags & ~kSsAutoDisarm;
    if (mode != 0 && mode != kSsOnStack && mode != kSsDisable) return AltStackError::kBadFlags;
    // Linux returns before its size check when nothing changes (kernel/signal.c, since 5.16).
    if (requested.ss_sp == current.ss_sp && requested.ss_size == current.ss_size &&
        flags == current.ss_flags)
        return current;
    if (mode == kSsDisable) return AltStack{0, flags, 0, 0};
    // Kernels with V also want more than a frame (sigaltstack_size_valid): 2048 is already more.
    if (requested.ss_size < kMinAltStackSize) return AltStackError::kTooSmall;
    return AltStack{requested.ss_sp, flags, 0, requested.ss_size};
}

AltStack after_delivery(const AltStack& altstack) {
    return (altstack.ss_flags & kSsAutoDisarm) != 0 ? kDisabledAltStack : altstack;
}

AltStack after_exec(const AltStack& altstack) {
    return AltStack{0, altstack.ss_flags, 0, 0};
}

Result<uint64_t, Error> frame_address(uint64_t sp, uint64_t action_flags,
                                      const AltStack& altstack) {
    // On the alternate stack and about to run off it: Linux hands back an address that always
    // fails rather than write below the stack.
    if (on_alt_stack(altstack, sp) && !on_alt_stack(altstack, sp - kFrameSize))
        return Error::kAltStackOverflow;
    uint64_t top = sp;
    if ((action_flags & signals::kSaOnStack) != 0 && alt_stack_state(altstack, sp) == 0)
        top = altstack.ss_sp + altstack.ss_size;
    if (top < kFrameSize) return Error::kWrapsBelowZero;
    return (top - kFrameSize) & ~uint64_t{15};
}

void build(const UserState& state, const SigInfo& info, const AltStack& altstack, Frame& frame) {
    frame = Frame{};
    __builtin_memcpy(static_cast<void*>(&frame.info), &info, kKernelInfoSize);
    UContext& uc = frame.uc;
    uc.uc_stack.ss_sp = altstack.ss_sp;  // __save_altstack: the settings as they are
    uc.uc_stack.ss_flags = altstack.ss_flags;
    uc.uc_stack.ss_size = altstack.ss_size;
    uc.uc_sigmask = state.blocked;
    SigContext& context = uc.uc_mcontext;
    for (size_t i = 0; i < 32; ++i) context.sc_regs[i] = state.regs[i];
    for (size_t i = 0; i < kFpRegisters; ++i) context.sc_fpregs.f[i] = state.fp[i];
    context.sc_fpregs.fcsr = static_cast<uint32_t>(state.fp[kFpRegisters] & kFcsrMask);
    context.sc_fpregs.ext_reserved = 0;
    context.sc_fpregs.ext_header = ContextHeader{END_MAGIC, END_HDR_SIZE};
}

void enter_handler(UserState& state, uint64_t frame_address, int signal, uint64_t handler,
                   uint64_t sigreturn_address) {
    state.regs[0] = handler;
    state.regs[kRa] = sigreturn_address;
    state.regs[kSp] = frame_address;
    state.regs[kA0] = static_cast<uint64_t>(signal);
    state.regs[kA1] = frame_address + kInfoOffset;
    state.regs[kA2] = frame_address + kContextOffset;
}

Result<AltStack, Error> restore(const Frame& frame, UserState& state) {
    const UContext& uc = frame.uc;
    state.blocked = signals::blockable(uc.uc_sigmask);
    const SigContext& context = uc.uc_mcontext;
    for (size_t i = 0; i < 32; ++i) state.regs[i] = context.sc_regs[i];
    const FpState& fp = context.sc_fpregs;
    for (size_t i = 0; i < kFpRegisters; ++i) state.fp[i] = fp.f[i];
    state.fp[kFpRegisters] = fp.fcsr & kFcsrMask;
    // restore_sigcontext: the reserved word, then the chain, which without V must be END alone.
    if (fp.ext_reserved != 0) return Error::kReservedNotZero;
    if (fp.ext_header.magic != END_MAGIC || fp.ext_header.size != END_HDR_SIZE)
        return Error::kBadExtension;
    return AltStack{uc.uc_stack.ss_sp, uc.uc_stack.ss_flags, 0, uc.uc_stack.ss_size};
}

}  // namespace keel::signal_frame
