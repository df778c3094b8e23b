// SPDX-License-Identifier: MIT
// Processes (include/keel/kernel/process.h): loading, the initial stack, entering U-mode, faults.
#include <keel/arch/riscv/context.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/core/panic.h>
#include <keel/kernel/initramfs.h>
#include <keel/kernel/process.h>
#include <keel/kernel/process_state.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/vm.h>
#include <keel/lib/memory.h>
#include <keel/lib/new.h>
#include <keel/mm/pages.h>

namespace keel::process {
namespace {

// The stack's region at exec: the pages the arguments need and this much below them (Linux's
// setup_arg_pages makes the same 128 KiB room); it grows from there on demand.
constexpr uint64_t kStackRoom = 128 * 1024;

// Auxiliary vector types (Linux include/uapi/linux/auxvec.h).
enum Aux : uint64_t {
    kAtNull = 0,
    kAtPhdr = 3,
    kAtPhent = 4,
    kAtPhnum = 5,
    kAtPagesz = 6,
    kAtEntry = 9,
    kAtUid = 11,
    kAtEuid = 12,
    kAtGid = 13,
    kAtEgid = 14,
    kAtHwcap = 16,
    kAtClktck = 17,
    kAtSecure = 23,
    kAtRandom = 25,
};

uint64_t page_down(uint64_t a) {
    return a & ~(kPage - 1);
}

}  // namespace

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

uint64_t page_up(uint64_t a) {
    return (a + kPage - 1) & ~(kPage - 1);
}

uint32_t protection_of(uint32_t elf_flags) {
    uint32_t protection = 0;
    if ((elf_flags & elf::kRead) != 0) protection |= mm::kProtRead;
    if ((elf_flags & elf::kWrite) != 0) protection |= mm::kProtWrite;
    if ((elf_flags & elf::kExecute) != 0) protection |= mm::kProtExec;
    return protection;
}

// Each segment a region of its own; the pages that hold the file's bytes are filled now, the rest
// of .bss comes zeroed on first touch.
Result<void, StartError> load_segments(Process& p, const elf::Image& image, const uint8_t* file) {
    for (size_t s = 0; s < image.segment_count; ++s) {
        const elf::Segment& segment = image.segments[s];
        const uint32_t protection = protection_of(segment.flags);
        const uint64_t first = page_down(segment.address);
        const uint64_t last = page_up(segment.address + segment.memory_size);
        if (first == last) continue;
        const mm::Region region{first, last, protection, mm::kRegionImage, 0, 0};
        if (const auto added = p.memory.add(region); !added.ok()) {
            return added.error() == mm::RegionError::kOverlap ? StartError::kBadElf
                                                              : StartError::kNoMemory;
        }
        const uint64_t file_end = segment.address + segment.file_size;
        for (uint64_t page = first; page < file_end; page += kPage) {
            const uint64_t frame = p.memory.map_new_page(page, protection);
            if (frame == 0) return StartError::kNoMemory;
            // The file's bytes that fall on this page; the rest stays zero (.bss).
            const uint64_t from = page > segment.address ? page : segment.address;
            const uint64_t file_end = segment.address + segment.file_size;
            const uint64_t to = page + kPage < file_end ? page + kPage : file_end;
            if (from < to) {
                memcpy(memlayout::to_pointer<uint8_t>(frame) + (from - page),
                       file + segment.offset + (from - segment.address), to - from);
            }
        }
    }
    return {};
}

// Writes the Linux initial stack (psABI / Linux fs/binfmt_elf.c create_elf_tables): from sp up,
// argc, argv[] and NULL, envp[] and NULL, auxv pairs ending AT_NULL; the strings and AT_RANDOM's
// 16 bytes above. Everything lands in the stack's top page, through its physical address. The
// stack's region (it grows down) ends at the top of user space, as on Linux.
bool build_stack(Process& p, const elf::Image& image, const StringView* argv, size_t argc) {
    const uint64_t top = memlayout::kUserTop;
    const mm::Region stack{top - kPage - kStackRoom, top, mm::kProtRead | mm::kProtWrite,
                           mm::kRegionGrowsDown,     0,   0};
    if (!p.memory.add(stack).ok()) return false;
    const uint64_t frame = p.memory.map_new_page(top - kPage, mm::kProtRead | mm::kProtWrite);
    if (frame == 0) return false;
    auto at = [&](uint64_t user) {
        return memlayout::to_pointer<uint8_t>(frame) + (user - (top - kPage));
    };
    uint64_t cursor = top;
    uint64_t strings[kMaxArgs];
    for (size_t i = argc; i-- > 0;) {
        cursor -= argv[i].size + 1;
        memcpy(at(cursor), argv[i].data, argv[i].size);
        *at(cursor + argv[i].size) = 0;
        strings[i] = cursor;
    }
    cursor -= 16;  // AT_RANDOM's bytes: from the time CSR, mixed (no entropy source yet)
    const uint64_t random = cursor;
    uint64_t seed = csr::time() ^ 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 16; ++i) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        *at(cursor + i) = static_cast<uint8_t>(seed);
    }
    const uint64_t aux[][2] = {
        {kAtPhdr, image.headers_address},
        {kAtPhent, image.header_size},
        {kAtPhnum, image.header_count},
        {kAtPagesz, kPage},
        {kAtEntry, image.entry},
        {kAtUid, 0},
        {kAtEuid, 0},
        {kAtGid, 0},
        {kAtEgid, 0},
        {kAtHwcap, 0},
        {kAtClktck, 100},
        {kAtSecure, 0},
        {kAtRandom, random},
        {kAtNull, 0},
    };
    const size_t words = 1 + argc + 1 + 1 + 2 * (sizeof aux / sizeof aux[0]);
    cursor = (cursor - words * 8) & ~uint64_t{15};  // sp 16-byte aligned (psABI)
    if (cursor < top - kPage) return false;         // it all fits the top page
    auto word = [&](size_t index, uint64_t value) { memcpy(at(cursor + index * 8), &value, 8); };
    size_t w = 0;
    word(w++, argc);
    for (size_t i = 0; i < argc; ++i) word(w++, strings[i]);
    word(w++, 0);  // argv's end
    word(w++, 0);  // no environment
    for (const auto& pair : aux) {
        word(w++, pair[0]);
        word(w++, pair[1]);
    }
    p.stack_pointer = cursor;
    return true;
}

// The task a process runs in: into its address space, then U-mode at the entry.
}  // namespace

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
    p->~Process();
    pages::free(memlayout::to_physical(p), 0);
}

int64_t run(void* argument) {
    auto* p = static_cast<Process*>(argument);
    p->pid = sched::current_id();
    sched::enter_address_space(p->memory.satp(), p);
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

const char* start_error_name(StartError error) {
    switch (error) {
    case StartError::kNoInitramfs: return "no initramfs: there are no programs";
    case StartError::kNotFound: return "no such file";
    case StartError::kNotAFile: return "not a file";
    case StartError::kBadElf: return "not an executable keel can run";
    case StartError::kNoMemory: return "out of memory";
    case StartError::kTooManyArgs: return "too many arguments";
    case StartError::kNoTask: return "no task could be started";
    }
    return "?";
}

Result<void, StartError> load_program(Process& p, StringView path, const StringView* argv,
                                      size_t argc) {
    const cpio::Archive* archive = initramfs::archive();
    if (archive == nullptr) return StartError::kNoInitramfs;
    cpio::Entry file;
    if (!archive->find(path, file)) return StartError::kNotFound;
    if (!file.is_regular()) return StartError::kNotAFile;
    if (argc > kMaxArgs) return StartError::kTooManyArgs;
    // Segments end below the stack's room and its guard gap.
    const uint64_t stack_floor = memlayout::kUserTop - kStackLimit - kStackGuardGap;
    const auto parsed = elf::parse(file.data, file.size, stack_floor);
    if (!parsed.ok()) {
        // The detail (an interpreter's path) is the file's bytes: escaped, and at most 80 of them,
        // so that a crafted file can neither drive the terminal nor fill the screen.
        constexpr size_t kShown = 80;
        const StringView detail = parsed.error().detail;
        console::print("{}: {}", argc > 0 ? argv[0] : path, elf::error_name(parsed.error().error));
        if (!detail.empty()) {
            console::print(" {:e}{}",
                           StringView{detail.data, detail.size < kShown ? detail.size : kShown},
                           detail.size > kShown ? "..." : "");
        }
        console::print("\n");
        return StartError::kBadElf;
    }
    p.entry = parsed.value().entry;
    // As Linux: the heap starts at the page after the image's end.
    p.memory.set_brk_start(page_up(parsed.value().end));
    if (const auto loaded = load_segments(p, parsed.value(), file.data); !loaded.ok())
        return loaded.error();
    if (!build_stack(p, parsed.value(), argv, argc)) return StartError::kNoMemory;
    return {};
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

Result<uint64_t, StartError> start(StringView path, const StringView* argv, size_t argc,
                                   bool background) {
    Process* p = new_process(argc > 0 ? argv[0] : path);
    if (p == nullptr) return StartError::kNoMemory;
    const auto loaded = load_program(*p, path, argv, argc);
    if (!loaded.ok()) {
        release(p);
        return loaded.error();
    }
    p->start_frame.regs[2] = p->stack_pointer;
    p->start_frame.sepc = p->entry;
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
        return StartError::kNoTask;
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
        result = p->memory.fault(frame.stval, access);
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
