// SPDX-License-Identifier: MIT
// The lean path of an exception from U-mode. trap.S saves only what a C call may clobber and calls
// keel_user_syscall() (an ecall) or keel_user_fault() (any other exception) first: a syscall, or a
// page fault that a page settles, returns straight to the program when nothing waits on the way
// back. The rest goes on through the full path (process.cpp's handle_user_exception and
// return_to_user) with the whole register set in the frame: a call that reads or replaces every
// register (syscall_table.h), an unknown call and every other fault at once; and, after the call
// or the fault, a kill, a signal, the end of the slice, or a call cut short that may restart. The
// checks are the full path's own; only the frame they see is smaller when none has work.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/address_space.h>
#include <keel/kernel/process.h>
#include <keel/kernel/process_state.h>
#include <keel/kernel/signals.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/task.h>
#include <keel/kernel/user_time.h>

namespace keel::process {

bool page_fault_access(TrapCause cause, Access& access) {
    if (cause.is(Exception::kLoadPageFault))
        access = Access::kRead;
    else if (cause.is(Exception::kStorePageFault))
        access = Access::kWrite;
    else if (cause.is(Exception::kInstructionPageFault))
        access = Access::kExecute;
    else
        return false;
    return true;
}

namespace {

// Whether the way back to U-mode has work for return_to_user(): a kill or a signal for the task,
// or its slice over (sched::on_syscall_return looks again and switches).
bool way_back_has_work(const sched::Task& task, uint64_t now) {
    return __atomic_load_n(&task.kill_requested, __ATOMIC_RELAXED) ||
           __atomic_load_n(&task.signal_pending, __ATOMIC_RELAXED) || now >= task.slice_end;
}

// A call's result that asks for a restart should a signal cut it short (signals.cpp).
bool may_restart(int64_t result) {
    return result <= signals::kRestartSys && result >= signals::kRestartNoHand;
}

// Out of the way of the lean path's registers: a call whose way back has work.
[[gnu::noinline]] UserTrap take_full_way_back(TrapFrame& frame, const sched::Task& task,
                                              int64_t result) {
    task.process->enter_call(frame);  // for a restart after a signal
    frame.regs[10] = static_cast<uint64_t>(result);
    return UserTrap::kFinish;
}

}  // namespace
}  // namespace keel::process

// (A trap from U-mode is always a process's: its task entered U-mode through process::run.)
extern "C" keel::UserTrap keel_user_syscall(keel::TrapFrame* frame, void* owner) {
    using namespace keel;
    auto& task = *static_cast<sched::Task*>(owner);
    const syscalls::Handler handler = syscalls::lean_handler(frame->regs[17]);  // a7
    if (handler == nullptr) return UserTrap::kUnhandled;  // unknown, or it needs the whole frame
    process::left_user_mode(task, csr::time());
    frame->sepc += 4;  // past the ecall
    // The program waits in a syscall like any task: with interrupts on (the trap turned them off).
    csr::enable_interrupts();
    const int64_t result = handler(*task.process, *frame);
    csr::disable_interrupts();
    const uint64_t now = csr::time();
    if (process::way_back_has_work(task, now) || process::may_restart(result)) [[unlikely]]
        return process::take_full_way_back(*frame, task, result);
    frame->regs[10] = static_cast<uint64_t>(result);
    process::entering_user_mode(task, now);
    return UserTrap::kDone;
}

extern "C" keel::UserTrap keel_user_fault(keel::TrapFrame* frame, void* owner) {
    using namespace keel;
    auto& task = *static_cast<sched::Task*>(owner);
    process::Access access;
    if (!process::page_fault_access(TrapCause{frame->scause}, access)) return UserTrap::kUnhandled;
    process::left_user_mode(task, csr::time());
    csr::enable_interrupts();  // a page may take a while to find and zero
    const process::FaultResult result = task.process->space().fault(frame->stval, access);
    csr::disable_interrupts();
    // A fault no page settles is the program's (a signal) or the end of memory (a kill): the full
    // path asks again and raises it (entered_from_user() sees the time already counted).
    if (result != process::FaultResult::kMapped) return UserTrap::kUnhandled;
    const uint64_t now = csr::time();
    if (process::way_back_has_work(task, now)) return UserTrap::kFinish;
    process::entering_user_mode(task, now);
    return UserTrap::kDone;
}
