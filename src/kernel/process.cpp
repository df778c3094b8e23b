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

constexpr uint64_t kStackPages = 16;  // 64 KiB, with an unmapped page under it

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

uint64_t user_leaf_flags(uint64_t permissions) {
    permissions &= mm::kPteRead | mm::kPteWrite | mm::kPteExecute;
    // A leaf needs R or X; the kernel may read a PROT_NONE page, the program may not touch it.
    return permissions != 0 ? permissions | mm::kPteUser : mm::kPteRead | mm::kPteUserNone;
}

uint64_t map_new_page(Process& p, uint64_t address, uint64_t flags) {
    const auto page = pages::allocate(0);  // zeroed by the allocator
    if (!page.ok()) return 0;
    if (!p.space.map(address, page.value(), kPage, user_leaf_flags(flags)).ok()) {
        pages::free(page.value(), 0);
        return 0;
    }
    ++p.pages;
    return page.value();
}

uint64_t parent_of(const void* process) {
    return static_cast<const Process*>(process)->parent;
}

uint64_t pages_of(const void* process) {
    const auto& p = *static_cast<const Process*>(process);
    return p.pages + p.space.table_pages();
}

static_assert(sizeof(Process) <= kPage, "a process lives in one page");

Process* current() {
    return static_cast<Process*>(sched::current_process());
}

namespace {

// The physical address behind user `address` in `p`'s space, or 0.
uint64_t physical(const Process& p, uint64_t address) {
    const mm::Walk w = p.space.walk(address);
    return w.mapped ? w.physical : 0;
}

uint64_t page_flags(uint32_t elf_flags) {
    uint64_t flags = 0;
    if ((elf_flags & elf::kRead) != 0) flags |= mm::kPteRead;
    if ((elf_flags & elf::kWrite) != 0) flags |= mm::kPteWrite | mm::kPteRead;
    if ((elf_flags & elf::kExecute) != 0) flags |= mm::kPteExecute;
    return flags;
}

Result<void, StartError> load_segments(Process& p, const elf::Image& image, const uint8_t* file,
                                       StringView name) {
    for (size_t s = 0; s < image.segment_count; ++s) {
        const elf::Segment& segment = image.segments[s];
        const uint64_t flags = page_flags(segment.flags);
        for (uint64_t page = page_down(segment.address);
             page < segment.address + segment.memory_size; page += kPage) {
            // The kernel's mappings in every space (its devices) are not the program's to use.
            if (const mm::Walk w = p.space.walk(page); w.mapped && !mm::is_user_leaf(w.flags)) {
                console::print("{}: segment {:#x}..{:#x} overlaps the kernel's mapping at {:#x}\n",
                               name, segment.address, segment.address + segment.memory_size, page);
                return StartError::kBadElf;
            }
            const uint64_t frame = map_new_page(p, page, flags);
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
// 16 bytes above. Everything lands in the stack's top page, through its physical address.
bool build_stack(Process& p, const elf::Image& image, const StringView* argv, size_t argc) {
    const uint64_t top = memlayout::kUserTop - kPage;  // the topmost page stays unmapped too
    for (uint64_t i = 1; i <= kStackPages; ++i) {
        if (map_new_page(p, top - i * kPage, mm::kPteRead | mm::kPteWrite) == 0) return false;
    }
    const uint64_t frame = physical(p, top - kPage);
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
    if (p->space.root() != 0) vm::free_user_space(p->space);
    pages::free(memlayout::to_physical(p), 0);
}

int64_t run(void* argument) {
    auto* p = static_cast<Process*>(argument);
    p->pid = sched::current_id();
    sched::enter_address_space(p->space.satp(), p);
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
    // Segments end below the stack (and its guard page).
    const uint64_t stack_guard = memlayout::kUserTop - kPage - (kStackPages + 1) * kPage;
    const auto parsed = elf::parse(file.data, file.size, stack_guard);
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
    // Above the device pages, where that leaves the heap room (a board with devices high in the
    // user range keeps it after the image, as before).
    constexpr uint64_t kHeapRoom = uint64_t{64} << 20;
    const uint64_t floor = 0;
    (void)kHeapRoom;
    p.brk_start = p.brk = parsed.value().end > floor ? parsed.value().end : floor;
    p.mmap_next = stack_guard;
    if (const auto loaded = load_segments(p, parsed.value(), file.data, argc > 0 ? argv[0] : path);
        !loaded.ok())
        return loaded.error();
    if (!build_stack(p, parsed.value(), argv, argc)) return StartError::kNoMemory;
    return {};
}

Process* new_process(StringView name) {
    const auto block = pages::allocate(0);
    if (!block.ok()) return nullptr;
    auto* p = new (memlayout::to_pointer<void>(block.value())) Process;
    for (size_t i = 0; i < name.size && i + 1 < sizeof p->name; ++i) p->name[i] = name.data[i];
    const auto space = vm::new_user_space();
    if (!space.ok()) {
        release(p);
        return nullptr;
    }
    p->space = space.value();
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
    options.satp = p->space.satp();
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

void handle_user_exception(TrapFrame& frame, TrapCause cause) {
    Process* p = current();
    if (p == nullptr) panic("a trap from user mode outside a process");
    if (cause.is(Exception::kEnvironmentCallFromU)) {
        frame.sepc += 4;
        frame.regs[10] = static_cast<uint64_t>(syscalls::dispatch(*p, frame));
        sched::on_syscall_return();  // its slice may be over, or a kill may have come
        return;
    }
    int signal = kSigSegv;
    if (cause.is(Exception::kIllegalInstruction)) signal = kSigIll;
    if (cause.is(Exception::kBreakpoint)) signal = kSigTrap;
    if (cause.is(Exception::kLoadAddressMisaligned) ||
        cause.is(Exception::kStoreAddressMisaligned) ||
        cause.is(Exception::kInstructionAddressMisaligned))
        signal = kSigBus;
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
