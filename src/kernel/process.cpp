// SPDX-License-Identifier: MIT
// Processes (include/keel/kernel/process.h): loading, the initial stack, entering U-mode, faults.
#include <keel/abi/errno.h>
#include <keel/arch/riscv/context.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/core/panic.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/fs/tty.h>
#include <keel/kernel/loader.h>
#include <keel/kernel/process.h>
#include <keel/kernel/process_state.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/task.h>
#include <keel/kernel/user_time.h>
#include <keel/kernel/vm.h>
#include <keel/lib/memory.h>
#include <keel/lib/new.h>
#include <keel/mm/pages.h>

namespace keel::process {

uint64_t parent_of(const Process* process) {
    return process->parent;
}

bool is_stopped(const Process* process) {
    return process->life == Life::kStopped;
}

uint64_t pages_of(const Process* process) {
    return process->memory.all_pages();
}

constexpr unsigned kBlockOrder = 1;  // two pages
static_assert(sizeof(Process) <= kPage << kBlockOrder, "a process lives in its block");

Process* current() {
    return sched::current_process();
}

namespace {

// Its memory, files and directories back (what a zombie no longer has).
void release_resources(Process* p) {
    {
        TreeLock guard;  // /proc reads them under it
        p->resources_gone = true;
    }
    p->memory.destroy();
    if (p->fds != nullptr) p->fds->free();
    p->fds = nullptr;
    p->fs.release();
}

}  // namespace

void free_block(Process* p) {
    p->~Process();
    pages::free(memlayout::to_physical(p), kBlockOrder);
}

void release(Process* p) {
    release_resources(p);
    free_block(p);
}

bool join_tree(void* argument, sched::Task& task) {
    auto* p = static_cast<Process*>(argument);
    p->pid = task.id;
    p->task = &task;
    if (!link(*p, p->parent_process)) return false;
    // keel's shell's foreground program: the console is its session's terminal before its first
    // instruction (so that it never reads end of file first).
    if (p->parent_process == nullptr && p->shell_waits) fs::tty::attach(p->sid, p->pgid);
    return true;
}

int64_t run(void* argument) {
    auto* p = static_cast<Process*>(argument);
    sched::enter_address_space(p->space().satp(), p);
    if (p->set_tid != 0) {  // CLONE_CHILD_SETTID: in its own memory, before it runs
        // With interrupts off: outside a trap, an interrupt's end may switch this task away and
        // end it there if it was killed meanwhile, and a page copied for the write (it is shared
        // copy-on-write with the parent) but not yet in the table would be lost.
        const csr::InterruptsOff off;
        const auto tid = static_cast<uint32_t>(p->pid);
        (void)syscalls::copy_to_user(*p, p->set_tid, &tid, 4);
    }
    // Killed before its first instruction (a fork's child the parent kills at once): nothing
    // else would see it, since a program that never traps takes no interrupt on a quiet hart.
    // A kill from here on finds it running and sends the IPI it takes in U-mode.
    sched::exit_if_killed();
    keel_fp_restore(p->fp);            // zeros, or (forked) its parent's: never another program's
    TrapFrame frame = p->start_frame;  // sp and entry, or (forked) all of its parent's registers
    // sret to U-mode (SPP = 0) with interrupts on there (SPIE), and FS = Initial: the program may
    // use floating point (its registers are kept per task).
    frame.sstatus = (KEEL_CSR_READ(sstatus) & ~csr::kSstatusSpp & ~csr::kSstatusSie &
                     ~csr::kSstatusFs & ~csr::kSstatusSum) |
                    csr::kSstatusSpie | csr::kSstatusFsInitial;
    csr::disable_interrupts();  // the trap exit restores sstatus; nothing may come in between
    // The way into user mode is the way back from a trap: a signal sent before the program's
    // first instruction (Ctrl-C typed ahead, a group's kill) is taken now, not at its first trap,
    // which a program alone on its hart that makes no call would never take.
    process::return_to_user(frame);
    keel_enter_user(&frame);
}

namespace {

constinit fs::Context g_first_context;  // where the shell's programs start: /, umask 022

// The environment keel's shell gives every program it runs.
constexpr const char* kEnvironment[] = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin",
                                        "HOME=/root",
                                        "TERM=vt100",
                                        "SHELL=/bin/sh",
                                        "USER=root",
                                        "LOGNAME=root"};

}  // namespace

void init(const cpio::Archive* archive) {
    g_first_context = fs::init(archive);
    fs::tty::init();
    syscalls::start_alarms();
}

size_t find_program(StringView name, char* path, size_t capacity) {
    if (name.empty()) return 0;
    const bool bare = memchr(name.data, '/', name.size) == nullptr;
    fs::FsLock guard;
    for (const char* dir : kProgramDirectories) {
        const size_t length = format_to(path, capacity, "{}{}", bare ? dir : "", name);
        if (length + 1 >= capacity) return 0;
        const auto found = fs::walk_path(g_first_context, StringView{path, length}, true);
        if (found.ok() && found.value()->is_regular()) return length;
        if (!bare) return 0;
    }
    return 0;
}

const fs::Context& first_context() {
    return g_first_context;
}

const char* start_error_name(int error) {
    switch (-error) {
    case ENOENT: return "no such file";
    case ENOTDIR: return "a part of the path is not a directory";
    case EACCES: return "permission denied (not a regular file, or not executable)";
    case ENOEXEC: return "not an executable keel can run";
    case ELOOP: return "too many symbolic links (or #! interpreters)";
    case E2BIG: return "arguments too long";
    case ENOMEM: return "out of memory";
    case EAGAIN: return "no task could be started";
    default: return "it could not be started";
    }
}

Process* new_process(StringView name) {
    const auto block = pages::allocate(kBlockOrder, mm::Contents::kUninitialized);
    if (!block.ok()) return nullptr;
    // Value-initialized: zeroed, then its members' initializers (its block is not zeroed).
    auto* p = new (memlayout::to_pointer<void>(block.value())) Process();
    for (size_t i = 0; i < name.size && i + 1 < sizeof p->name; ++i) p->name[i] = name.data[i];
    if (!p->memory.create()) {
        release(p);
        return nullptr;
    }
    p->parent = sched::current_id();
    p->parent_process = current();
    p->start_time = csr::time();
    if (const Process* parent = current(); parent != nullptr) {  // a fork: the same program
        p->arg_start = parent->arg_start;
        p->arg_end = parent->arg_end;
        p->env_start = parent->env_start;
        p->env_end = parent->env_end;
        memcpy(p->exe, parent->exe, sizeof p->exe);
        p->exe_device = parent->exe_device;
        p->exe_ino = parent->exe_ino;
    }
    return p;
}

void remember_image(Process& p, const Image& image) {
    p.arg_start = image.arg_start;
    p.arg_end = image.arg_end;
    p.env_start = image.env_start;
    p.env_end = image.env_end;
    memcpy(p.exe, image.exe, sizeof p.exe);
    p.exe_device = image.exe_device;
    p.exe_ino = image.exe_ino;
}

namespace {

// A program the shell starts: the console as fds 0, 1 and 2, the first context, argv and the
// shell's environment, its image loaded.
int prepare(Process& p, StringView path, const StringView* argv, size_t argc) {
    p.fds = fs::FdTable::make();
    fs::File* console = p.fds != nullptr ? fs::open_console() : nullptr;
    if (console == nullptr) return -ENOMEM;
    for (int fd = 0; fd < 3; ++fd)
        (void)p.fds->install(fd == 0 ? console : fs::hold(console), fd, false);
    p.fs = g_first_context.copy();
    ExecArgs args;
    for (size_t i = 0; i < argc; ++i) {
        if (const int error = args.add_argument(argv[i]); error != 0) return error;
    }
    for (const char* variable : kEnvironment) {
        if (const int error = args.add_environment(StringView::of(variable)); error != 0)
            return error;
    }
    Image image;
    fs::FsLock guard;
    if (const int error = load(p.fs, *p.fds, path, args, p.memory, image, p.name, true); error != 0)
        return error;
    p.start_frame.regs[2] = image.stack_pointer;
    remember_image(p, image);
    p.start_frame.sepc = image.entry;
    return 0;
}

}  // namespace

Result<uint64_t, int> start(StringView path, const StringView* argv, size_t argc, bool background) {
    Process* p = new_process(argc > 0 ? argv[0] : path);
    if (p == nullptr) return -ENOMEM;
    if (const int error = prepare(*p, path, argv, argc); error != 0) {
        release(p);
        return error;
    }
    p->background = background;
    p->shell_waits = !background;
    p->parent_process = nullptr;  // keel's shell's: a session and group of its own
    sched::SpawnOptions options;
    // Joined by whoever reaps the process, or detached at its end if nobody will (process_tree).
    options.process = p;
    options.satp = p->memory.satp();
    options.prepare = &join_tree;
    const auto task = sched::spawn(p->name, &run, p, options);
    if (!task.ok()) {
        release(p);
        return -EAGAIN;
    }
    return task.value();
}

void exit_current(int status) {
    if (current() == nullptr) panic("process::exit_current outside a process");
    sched::exit(status);  // which comes back through release_current
}

const char* signal_name(int signal) {
    switch (signal) {
    case SIGHUP: return "hangup (SIGHUP)";
    case SIGINT: return "interrupted by Ctrl-C (SIGINT)";
    case SIGQUIT: return "quit by Ctrl-\\ (SIGQUIT)";
    case SIGILL: return "illegal instruction (SIGILL)";
    case SIGTRAP: return "breakpoint (SIGTRAP)";
    case SIGABRT: return "aborted (SIGABRT)";
    case SIGBUS: return "misaligned access (SIGBUS)";
    case SIGFPE: return "arithmetic fault (SIGFPE)";
    case SIGKILL: return "by kill (SIGKILL)";
    case SIGUSR1: return "user signal 1 (SIGUSR1)";
    case SIGSEGV: return "memory fault (SIGSEGV)";
    case SIGUSR2: return "user signal 2 (SIGUSR2)";
    case SIGPIPE: return "write to a pipe nobody reads (SIGPIPE)";
    case SIGALRM: return "alarm clock (SIGALRM)";
    case SIGTERM: return "terminated (SIGTERM)";
    }
    return "a signal";
}

int64_t release_current(int64_t value) {
    Process* p = current();
    const int64_t status = value == sched::kExitKilled ? SIGKILL : value;
    if (p->background) {
        if ((status & 0x7f) != 0) {
            console::print("[pid {}] {} killed: {}\n", p->pid, p->name,
                           signal_name(static_cast<int>(status & 0x7f)));
        } else {
            console::print("[pid {}] {} done, exit status {}\n", p->pid, p->name,
                           status >> 8 & 0xff);
        }
    }
    if (p->clear_tid != 0) {  // CLONE_CHILD_CLEARTID: the tid word becomes 0 at exit
        const uint32_t zero = 0;
        (void)syscalls::copy_to_user(*p, p->clear_tid, &zero, 4);
    }
    sched::enter_address_space(0, nullptr);  // off its tables before they go back
    release_borrowed(*p);                    // (a vfork child's are its parent's: they stay)
    release_resources(p);
    keep_times_at_end(*p);
    if (p->sid == p->pid) fs::tty::session_leader_ended(*p);
    end(*p, static_cast<int32_t>(status));  // a zombie now, or gone
    return status;
}

void release_borrowed(Process& child) {
    child.borrowed = nullptr;
    if (child.vfork_parent == nullptr) return;
    Process& parent = *child.vfork_parent;  // alive: it waits for this
    child.vfork_parent = nullptr;
    parent.vfork_waiting.store(0);
    parent.vfork_done.notify();
}

void out_of_memory(Process& p, uint64_t address) {
    console::print("{}[{}]: out of memory at {:#x} \u2014 killed\n", p.name, p.pid, address);
    (void)sched::kill(p.pid);
}

namespace {

// The signal and si_code a fault of the program's raises (Linux's riscv do_trap_* and
// do_page_fault: an address in no region is SEGV_MAPERR, one whose region refuses the access
// SEGV_ACCERR).
void fault_signal(const Process& p, const TrapFrame& frame, TrapCause cause, int& signal,
                  int& code) {
    signal = SIGSEGV;
    code = SEGV_ACCERR;
    if (cause.is(Exception::kIllegalInstruction)) {
        signal = SIGILL;
        code = ILL_ILLOPC;
    } else if (cause.is(Exception::kBreakpoint)) {
        signal = SIGTRAP;
        code = TRAP_BRKPT;
    } else if (cause.is(Exception::kLoadAddressMisaligned) ||
               cause.is(Exception::kStoreAddressMisaligned) ||
               cause.is(Exception::kInstructionAddressMisaligned)) {
        signal = SIGBUS;
        code = BUS_ADRALN;
    } else if (const_cast<Process&>(p).space().regions().find(frame.stval) == nullptr) {
        code = SEGV_MAPERR;
    }
}

// Whether `p` has a handler that will take `signal` (not ignored, not blocked).
bool catches(Process& p, int signal) {
    TreeLock guard;
    const __sighandler_t handler = p.signals.actions[signal].sa_handler;
    return handler != SIG_DFL && handler != SIG_IGN &&
           (p.signals.blocked & signals::bit(signal)) == 0;
}

// A fault nobody catches: one line, then the end the default action gives.
[[noreturn]] void die_of_fault(Process& p, const TrapFrame& frame, TrapCause cause, int signal) {
    // "store page fault" rather than the spec's "store/AMO page fault": what a program's author
    // reads first is that it stored somewhere it may not.
    const char* what = cause.name();
    if (cause.is(Exception::kStorePageFault)) what = "store page fault";
    if (cause.is(Exception::kStoreAccessFault)) what = "store access fault";
    if (cause.is(Exception::kStoreAddressMisaligned)) what = "misaligned store";
    console::print("{}[{}]: {} at {:#x}, pc {:#x} \u2014 killed\n", p.name, p.pid, what,
                   frame.stval, frame.sepc);
    exit_current(signal);
}

}  // namespace

void handle_user_exception(TrapFrame& frame, TrapCause cause) {
    Process* p = current();
    if (p == nullptr) panic("a trap from user mode outside a process");
    if (cause.is(Exception::kEnvironmentCallFromU)) {
        frame.sepc += 4;
        p->enter_call(frame);  // for a restart after a signal
        frame.regs[10] = static_cast<uint64_t>(syscalls::dispatch(*p, frame));
        return;
    }
    Access access;
    FaultResult result = FaultResult::kRefused;
    if (page_fault_access(cause, access)) {
        csr::enable_interrupts();  // a page may take a while to find and zero
        result = p->space().fault(frame.stval, access);
        csr::disable_interrupts();
        if (result == FaultResult::kMapped) return;
    }
    if (result == FaultResult::kNoMemory) {
        out_of_memory(*p, frame.stval);
        exit_current(SIGKILL);
    }
    int signal = 0;
    int code = 0;
    fault_signal(*p, frame, cause, signal, code);
    if (result == FaultResult::kBusError) {  // a mapped file has no page there (Linux's too)
        signal = SIGBUS;
        code = BUS_ADRERR;
    }
    if (!catches(*p, signal)) die_of_fault(*p, frame, cause, signal);
    const uint64_t address =
        cause.is(Exception::kIllegalInstruction) || cause.is(Exception::kBreakpoint) ? frame.sepc
                                                                                     : frame.stval;
    signals::force(*p, signal, code, address);
}

void return_to_user(TrapFrame& frame) {
    sched::on_syscall_return();            // its slice may be over, or a kill may have come
    sched::Task& task = sched::running();  // (interrupts are off: it stays on this hart)
    Process* p = task.process;
    if (p == nullptr) return;
    const auto result = static_cast<int64_t>(frame.regs[10]);
    const bool cut_short =
        p->in_syscall && result <= signals::kRestartSys && result >= signals::kRestartNoHand;
    if (cut_short || __atomic_load_n(&task.signal_pending, __ATOMIC_RELAXED)) {
        csr::enable_interrupts();  // a frame is written to the program's memory: it may fault in
        signals::deliver(*p, frame);
        csr::disable_interrupts();
        sched::exit_if_killed();
    }
    p->in_syscall = false;
    entering_user_mode(task, csr::time());  // (sret follows)
}

}  // namespace keel::process
