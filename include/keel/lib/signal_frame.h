// SPDX-License-Identifier: MIT
// The frame riscv64 Linux puts on the user stack to run a signal handler, and what rt_sigreturn
// takes back from it (arch/riscv/kernel/signal.c, Linux 6.12, on a hart without V); where the
// frame goes, and the sigaltstack rules that decide it (kernel/signal.c, linux/sched/signal.h).
// Portable. The types are keel/abi/signal.h's struct rt_sigframe and stack_t again, byte for byte,
// in C++ that host tests can use beside libc's <signal.h>; src/lib/signal_frame.cpp checks every
// offset against the ABI header.
//
// What the kernel does with it, as Linux's setup_rt_frame:
//   - The frame is kFrameSize = 1088 bytes: siginfo_t at 0, struct ucontext at 128 (uc_sigmask at
//     168, uc_mcontext at 304, its FP state at 560, the END header at 1080). frame_address() says
//     where: 16-aligned below sp, or below the top of the alternate stack.
//   - The handler starts (enter_handler) at pc = sa_handler with sp = the frame, a0 = the signal,
//     a1 = &frame->info, a2 = &frame->uc (always, SA_SIGINFO or not), ra = the vDSO's
//     __vdso_rt_sigreturn; every other register, the FP ones and fcsr too, as they were.
//   - __vdso_rt_sigreturn is `li a7, 139; ecall` (0x08b00893, 0x00000073), exported by the vDSO
//     as version LINUX_4.15. riscv64 has no SA_RESTORER: the kernel alone sets ra, and glibc never
//     looks the symbol up (its riscv vDSO calls are __vdso_clock_gettime, _getres, _gettimeofday,
//     _getcpu, _flush_icache, _riscv_hwprobe), so any mapped copy of those two instructions works,
//     but libgcc's unwinder and gdb recognise a signal frame by exactly those two words at ra.
//   - AT_MINSIGSTKSZ (51), which riscv Linux puts in the auxiliary vector, is kFrameSize too.
//   - rt_sigreturn (139) reads the frame at the user's sp; restore() gives back the registers, the
//     mask and the alternate stack to re-apply with set_alt_stack() (its errors ignored). It
//     returns the restored a0, and must not restart a system call. A bad frame is SIGSEGV.
#pragma once
#include <keel/lib/result.h>
#include <keel/lib/signals.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::signal_frame {

// stack_t: an alternate signal stack, as sigaltstack takes it and the frame's uc_stack holds it.
// The kernel keeps one per thread, as Linux's sas_ss_sp/sas_ss_size/sas_ss_flags.
struct AltStack {
    uint64_t ss_sp = 0;
    uint32_t ss_flags = 0;  // as set: 0 or SS_ONSTACK, or SS_DISABLE; SS_AUTODISARM besides
    uint32_t pad = 0;
    uint64_t ss_size = 0;
};
inline constexpr uint32_t kSsOnStack = 1;
inline constexpr uint32_t kSsDisable = 2;
inline constexpr uint32_t kSsAutoDisarm = 1U << 31;
inline constexpr uint64_t kMinAltStackSize = 2048;  // MINSIGSTKSZ

// A new process has never set one: Linux reports 0 as uc_stack's flags then, not SS_DISABLE.
inline constexpr AltStack kNoAltStack = {};
// What sas_ss_reset leaves: a thread made with CLONE_VM (without CLONE_VFORK), and after a
// delivery when the stack was set with SS_AUTODISARM.
inline constexpr AltStack kDisabledAltStack = {0, kSsDisable, 0, 0};

// siginfo_t: 128 bytes. The header, then the fields si_code says are there.
struct SigInfo {
    int32_t si_signo = 0;
    int32_t si_errno = 0;
    int32_t si_code = 0;
    uint32_t pad = 0;
    union {
        struct {
            int32_t pid;  // si_pid: kill, tkill, sigqueue, SIGCHLD
            uint32_t uid;
            uint64_t value;  // si_value (sigqueue, timers), or SIGCHLD's si_status
            int64_t utime;   // SIGCHLD: si_utime, si_stime in clock ticks
            int64_t stime;
        } sender;
        struct {
            int32_t tid;  // si_tid
            int32_t overrun;
        } timer;
        struct {
            uint64_t addr;  // si_addr: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP
        } fault;
        uint8_t bytes[112] = {};
    };
};

// struct __riscv_ctx_hdr: one header of the extension chain.
struct ContextHeader {
    uint32_t magic;  // END_MAGIC (0) ends the chain; RISCV_V_MAGIC is V state, which keel has not
    uint32_t size;
};

// union __riscv_fp_state overlaid with struct __riscv_extra_ext_header (528 bytes), as a hart with
// D and no Q or V sees it: the D state, then the last three words of the Q state, which are
// sc_extdesc's reserved word and the first header of the extension chain.
struct alignas(16) FpState {
    uint64_t f[32] = {};            // d.f: f0-f31
    uint32_t fcsr = 0;              // d.fcsr
    uint32_t unused[63] = {};       // d's padding, q.f[33-63]: not written
    uint32_t q_fcsr = 0;            // q.fcsr: not written
    uint32_t ext_reserved = 0;      // q.reserved[0], sc_extdesc.reserved: 0
    ContextHeader ext_header = {};  // q.reserved[1-2], sc_extdesc.hdr: END
};

// struct sigcontext: 784 bytes.
struct SigContext {
    uint64_t sc_regs[32] = {};  // struct user_regs_struct: pc, then x1-x31
    FpState sc_fpregs;
};

// struct ucontext: 960 bytes.
struct UContext {
    uint64_t uc_flags = 0;
    uint64_t uc_link = 0;
    AltStack uc_stack;        // the sigaltstack settings when the signal came, as set
    uint64_t uc_sigmask = 0;  // the mask rt_sigreturn restores
    uint8_t uc_unused[120] = {};
    uint64_t pad = 0;  // uc_mcontext is 16-aligned
    SigContext uc_mcontext;
};

// struct rt_sigframe: what sp points at when the handler starts.
struct Frame {
    SigInfo info;
    UContext uc;
};
inline constexpr size_t kFrameSize = 1088;  // get_rt_frame_size() without V: rounded to 16
inline constexpr size_t kInfoOffset = 0;
inline constexpr size_t kContextOffset = 128;

// A user thread's state as the frame saves it. Nothing privileged: the kernel sets sstatus itself.
struct UserState {
    uint64_t regs[32] = {};  // [0] = pc, [i] = x_i
    uint64_t fp[33] = {};    // f0-f31, fcsr in fp[32]
    uint64_t blocked = 0;    // the mask to restore: bit n-1 = signal n
};

enum class Error : uint8_t {
    kAltStackOverflow,  // on the alternate stack, and the frame would run off its bottom
    kWrapsBelowZero,    // the stack's top is below the frame's size
    kReservedNotZero,   // sc_extdesc.reserved (the Q state's reserved[0]) is not 0
    kBadExtension,      // the extension chain does not start with END (magic 0, size 0)
};
const char* error_name(Error error);

// The alternate stack, given the thread's settings and its user sp.
// on_sig_stack: sp in (ss_sp, ss_sp + ss_size]; never with SS_AUTODISARM.
bool on_alt_stack(const AltStack& altstack, uint64_t sp);
// sas_ss_flags: SS_DISABLE without one, SS_ONSTACK on it, else 0.
uint32_t alt_stack_state(const AltStack& altstack, uint64_t sp);
// What sigaltstack reports as the old stack: the state, with SS_AUTODISARM if set.
AltStack query_alt_stack(const AltStack& altstack, uint64_t sp);

enum class AltStackError : uint8_t {
    kOnAltStack,  // EPERM: the thread runs on its alternate stack
    kBadFlags,    // EINVAL: a mode other than 0, SS_ONSTACK, SS_DISABLE
    kTooSmall,    // ENOMEM: below MINSIGSTKSZ
};
const char* alt_stack_error_name(AltStackError error);
// sigaltstack(requested): the settings to keep, as do_sigaltstack (SS_DISABLE keeps no stack).
Result<AltStack, AltStackError> set_alt_stack(const AltStack& current, const AltStack& requested,
                                              uint64_t sp);
// After a handler's frame is set up: a stack set with SS_AUTODISARM is dropped (sas_ss_reset).
AltStack after_delivery(const AltStack& altstack);
// After execve: no stack, but the flags as they were (fs/exec.c setup_new_exec clears sas_ss_sp
// and sas_ss_size alone; uc_stack then shows them). fork keeps the settings.
AltStack after_exec(const AltStack& altstack);

// get_sigframe: the frame's address for a handler with sa_flags `action_flags` when the thread's
// user sp is `sp`: on the alternate stack's top with SA_ONSTACK if the thread is not already on
// it, else below sp; kFrameSize down, 16-aligned (riscv has no red zone). An error means SIGSEGV
// (force_sigsegv), as must a frame the kernel cannot write.
Result<uint64_t, Error> frame_address(uint64_t sp, uint64_t action_flags, const AltStack& altstack);

// setup_rt_frame: everything in the frame is zero but what Linux writes: the siginfo, uc_stack,
// uc_sigmask (state.blocked), sc_regs, the D state and the END header.
void build(const UserState& state, const SigInfo& info, const AltStack& altstack, Frame& frame);

// setup_rt_frame's last step: the registers the handler starts with (see above).
void enter_handler(UserState& state, uint64_t frame_address, int signal, uint64_t handler,
                   uint64_t sigreturn_address);

// rt_sigreturn: the registers (pc too), f0-f31, fcsr (the 8 bits it has) and the blocked mask
// (without SIGKILL and SIGSTOP); on success the alternate stack to re-apply. As in Linux the mask,
// the registers and the FP state are taken back before the extension area is checked, so after an
// error `state` holds them: Linux delivers its SIGSEGV from there.
Result<AltStack, Error> restore(const Frame& frame, UserState& state);

}  // namespace keel::signal_frame
