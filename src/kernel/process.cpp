// SPDX-License-Identifier: MIT
// Processes (include/keel/kernel/process.h): loading, the initial stack, entering U-mode, faults.
#include <keel/abi/errno.h>
#include <keel/arch/riscv/context.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/core/panic.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/loader.h>
#include <keel/kernel/process.h>
#include <keel/kernel/process_state.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/vm.h>
#include <keel/lib/memory.h>
#include <keel/lib/new.h>
#include <keel/mm/pages.h>

namespace keel::process {
namespace {}  // namespace

uint64_t parent_of(const void* process) {
    return static_cast<const Process*>(process)->parent;
}

uint64_t pages_of(const void* process) {
    return static_cast<const Process*>(process)->memory.all_pages();
}

static_assert(sizeof(Process) <= kPage, "a process lives in one page");

Process* current() {
    return static_cast<Process*>(sched::current_process());
}

namespace {
Atomic<uint64_t> g_console_job{0};  // the job that reads the console (0: the shell)
}  // namespace

void release_console(uint64_t job) {
    uint64_t expected = job;
    if (g_console_job.compare_exchange_strong(expected, 0, MemoryOrder::kSeqCst,
                                              MemoryOrder::kSeqCst))
        console::wake_input_waiters();
}

bool holds_console() {
    const uint64_t job = g_console_job.load();
    return job != 0 && sched::job_of(sched::current_id()) == job;
}

void release(Process* p) {
    p->memory.destroy();
    if (p->fds != nullptr) p->fds->free();
    p->fs.release();
    p->~Process();
    pages::free(memlayout::to_physical(p), 0);
}

int64_t run(void* argument) {
    auto* p = static_cast<Process*>(argument);
    p->pid = sched::current_id();
    sched::enter_address_space(p->space().satp(), p);
    if (p->set_tid != 0) {  // CLONE_CHILD_SETTID: in its own memory, before it runs
        const auto tid = static_cast<uint32_t>(p->pid);
        (void)syscalls::copy_to_user(*p, p->set_tid, &tid, 4);
    }
    // The shell's foreground program takes the console before its first instruction (so that it
    // cannot read end of file first); its forks share it through the job, nobody else has it.
    if (p->takes_console) g_console_job.store(sched::job_of(p->pid));
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
    keel_enter_user(&frame);
}

namespace {

constinit fs::Context g_first_context;  // where the shell's programs start: /, umask 022

// The environment keel's shell gives every program it runs.
constexpr const char* kEnvironment[] = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin",
                                        "HOME=/",
                                        "TERM=vt100",
                                        "SHELL=/bin/sh",
                                        "USER=root",
                                        "LOGNAME=root"};

}  // namespace

void init(const cpio::Archive* archive) {
    g_first_context = fs::init(archive);
}

size_t find_program(StringView name, char* path, size_t capacity) {
    static constexpr const char* kPath[] = {"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/"};
    if (name.empty()) return 0;
    const bool bare = memchr(name.data, '/', name.size) == nullptr;
    fs::FsLock guard;
    for (const char* dir : kPath) {
        const size_t length = format_to(path, capacity, "{}{}", bare ? dir : "", name);
        if (length + 1 >= capacity) return 0;
        const auto found = fs::walk_path(g_first_context, StringView{path, length}, true);
        if (found.ok() && found.value()->is_regular()) return length;
        if (!bare) return 0;
    }
    return 0;
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
    const auto block = pages::allocate(0);
    if (!block.ok()) return nullptr;
    auto* p = new (memlayout::to_pointer<void>(block.value())) Process;
    for (size_t i = 0; i < name.size && i + 1 < sizeof p->name; ++i) p->name[i] = name.data[i];
    if (!p->memory.create()) {
        release(p);
        return nullptr;
    }
    p->parent = sched::current_id();
    return p;
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
    p->takes_console = !background;
    sched::SpawnOptions options;
    options.detached = background;
    options.process = p;
    options.satp = p->memory.satp();
    options.job = sched::kOwnJob;  // what the shell runs is a job; its forks join it
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
    case kSigIll: return "illegal instruction (SIGILL)";
    case kSigTrap: return "breakpoint (SIGTRAP)";
    case kSigBus: return "misaligned access (SIGBUS)";
    case kSigKill: return "by Ctrl-C or kill (SIGKILL)";
    case kSigSegv: return "memory fault (SIGSEGV)";
    }
    return "a signal";
}

int64_t release_current(int64_t value) {
    Process* p = current();
    const int64_t status = value == sched::kExitKilled ? kSigKill : value;
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
    for (const uint64_t child : p->children) {
        if (child != 0) (void)sched::detach(child);  // nobody will wait for them now
    }
    sched::enter_address_space(0, nullptr);  // off its tables before they go back
    release_borrowed(*p);                    // (a vfork child's are its parent's: they stay)
    release(p);
    return status;
}

namespace {

// The access a page fault was for, by its cause.
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

}  // namespace

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

void handle_user_exception(TrapFrame& frame, TrapCause cause) {
    Process* p = current();
    if (p == nullptr) panic("a trap from user mode outside a process");
    if (cause.is(Exception::kEnvironmentCallFromU)) {
        frame.sepc += 4;
        frame.regs[10] = static_cast<uint64_t>(syscalls::dispatch(*p, frame));
        sched::on_syscall_return();  // its slice may be over, or a kill may have come
        return;
    }
    Access access;
    FaultResult result = FaultResult::kRefused;
    if (page_fault_access(cause, access)) {
        csr::enable_interrupts();  // a page may take a while to find and zero
        result = p->space().fault(frame.stval, access);
        csr::disable_interrupts();
        if (result == FaultResult::kMapped) {
            sched::on_syscall_return();  // a return to the program like a syscall's
            return;
        }
    }
    int signal = kSigSegv;
    if (cause.is(Exception::kIllegalInstruction)) signal = kSigIll;
    if (cause.is(Exception::kBreakpoint)) signal = kSigTrap;
    if (cause.is(Exception::kLoadAddressMisaligned) ||
        cause.is(Exception::kStoreAddressMisaligned) ||
        cause.is(Exception::kInstructionAddressMisaligned))
        signal = kSigBus;
    if (result == FaultResult::kNoMemory) {
        out_of_memory(*p, frame.stval);
        exit_current(kSigKill);
    }
    // "store page fault" rather than the spec's "store/AMO page fault": what a program's author
    // reads first is that it stored somewhere it may not.
    const char* what = cause.name();
    if (cause.is(Exception::kStorePageFault)) what = "store page fault";
    if (cause.is(Exception::kStoreAccessFault)) what = "store access fault";
    if (cause.is(Exception::kStoreAddressMisaligned)) what = "misaligned store";
    console::print("{}[{}]: {} at {:#x}, pc {:#x} \u2014 killed\n", p->name, p->pid, what,
                   frame.stval, frame.sepc);
    exit_current(signal);
}

}  // namespace keel::process
