// SPDX-License-Identifier: MIT
// Loading programs (include/keel/kernel/loader.h).
#include <keel/abi/auxv.h>
#include <keel/abi/errno.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/kernel/loader.h>
#include <keel/kernel/random.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/elf.h>
#include <keel/lib/memory.h>
#include <keel/lib/signal_frame.h>
#include <keel/mm/pages.h>

#include "loader_segments.h"

namespace keel::process {
namespace {

// The stack's region at exec: the pages the strings need and this much below them (Linux's
// setup_arg_pages makes the same 128 KiB room); it grows from there on demand.
constexpr uint64_t kStackRoom = 128 * 1024;
constexpr int kMaxInterpreters = 4;  // Linux's BINPRM_MAX_RECURSION: #! of #! of ...
constexpr size_t kScriptLine = 256;  // BINPRM_BUF_SIZE: how much of a #! line is read
// AT_HWCAP for RV64GC: one bit per single-letter extension, 'a' + bit (Linux's riscv hwcap).
constexpr uint64_t kHwcap = 1 << ('i' - 'a') | 1 << ('m' - 'a') | 1 << ('a' - 'a') |
                            1 << ('f' - 'a') | 1 << ('d' - 'a') | 1 << ('c' - 'a');

// The file's first page, read under the file system lock (which load() holds throughout).
constinit uint8_t g_head[4096];
constinit char g_interpreter[kScriptLine];

uint64_t page_down(uint64_t a) {
    return a & ~(kPage - 1);
}
uint64_t page_up(uint64_t a) {
    return (a + kPage - 1) & ~(kPage - 1);
}

}  // namespace

namespace {

// The initial stack's words, written upward a buffer's worth at a time: each poke brings the
// pages in and copies, which costs as much for one word as for 64.
class StackWords {
public:
    StackWords(AddressSpace& memory, uint64_t at) : memory_(memory), at_(at) {}
    void add(uint64_t word) {
        buffer_[count_++] = word;
        if (count_ == kWords) flush();
    }
    // Whether every word is in place.
    bool finish() {
        flush();
        return ok_;
    }

private:
    static constexpr size_t kWords = 64;
    void flush() {
        ok_ = ok_ && memory_.poke(at_, buffer_, count_ * 8);
        at_ += count_ * 8;
        count_ = 0;
    }

    AddressSpace& memory_;
    uint64_t at_;
    uint64_t buffer_[kWords];
    size_t count_ = 0;
    bool ok_ = true;
};

// The strings at the top of the stack, under `cursor` (moved down past them): the file name
// (AT_EXECFN), then argv's and envp's strings in order, each with its NUL; where they are goes in
// `loaded`, AT_EXECFN's address in `execfn`. False when memory ran out.
bool push_strings(AddressSpace& memory, const ExecArgs& args, StringView file_name, Image& loaded,
                  uint64_t& cursor, uint64_t& execfn) {
    bool ok = true;
    auto push = [&](const void* data, uint64_t n) {
        cursor -= n;
        ok = ok && memory.poke(cursor, data, n);
    };
    const char nul = '\0';
    push(&nul, 1);
    push(file_name.data, file_name.size);
    execfn = cursor;
    const size_t strings = args.argc() + args.envc();
    for (size_t i = strings; i-- > 0;)  // last first, so that they lie in order
        push(args.string(i).data, args.string(i).size + 1);  // (with the NUL ExecArgs keeps)
    loaded.arg_start = loaded.arg_end = cursor;
    for (size_t i = 0; i < args.argc(); ++i) loaded.arg_end += args.string(i).size + 1;
    loaded.env_start = loaded.env_end = loaded.arg_end;
    for (size_t i = args.argc(); i < strings; ++i) loaded.env_end += args.string(i).size + 1;
    return ok;
}

// The Linux initial stack: from sp up, argc, argv[] and NULL, envp[] and NULL, auxv pairs ending
// AT_NULL; the strings, AT_RANDOM's 16 bytes and the file name (AT_EXECFN) above, at the top of
// the stack region, which ends at the top of user space and grows down from there.
int build_stack(AddressSpace& memory, const elf::Image& image, const ExecArgs& args,
                StringView file_name, Image& loaded) {
    constexpr size_t kAuxPairs = 17;
    const size_t strings = args.argc() + args.envc();
    uint64_t bytes = file_name.size + 1 + 16 + 16;  // the name, AT_RANDOM, alignment
    for (size_t i = 0; i < strings; ++i) bytes += args.string(i).size + 1;
    const size_t words = 1 + args.argc() + 1 + args.envc() + 1 + 2 * kAuxPairs;
    bytes += words * 8;
    if (bytes > kStackLimit / 4) return -E2BIG;  // Linux's limit: a quarter of RLIMIT_STACK
    const uint64_t top = memlayout::kUserTop;
    const mm::Region stack{page_down(top - bytes) - kStackRoom,
                           top,
                           mm::kProtRead | mm::kProtWrite,
                           mm::kRegionGrowsDown,
                           0,
                           0};
    if (!memory.add(stack).ok()) return -ENOMEM;
    uint64_t cursor = top;
    uint64_t execfn = 0;
    bool ok = push_strings(memory, args, file_name, loaded, cursor, execfn);
    const uint64_t strings_start = cursor;
    uint8_t random[16];
    random::bytes(random, sizeof random);
    cursor -= sizeof random;
    ok = ok && memory.poke(cursor, random, sizeof random);
    const uint64_t aux[kAuxPairs][2] = {
        {AT_PHDR, image.headers_address},
        {AT_PHENT, image.header_size},
        {AT_PHNUM, image.header_count},
        {AT_PAGESZ, kPage},
        {AT_ENTRY, image.entry},
        {AT_UID, 0},
        {AT_EUID, 0},
        {AT_GID, 0},
        {AT_EGID, 0},
        {AT_HWCAP, kHwcap},
        {AT_CLKTCK, 100},
        {AT_SECURE, 0},
        {AT_RANDOM, cursor},
        {AT_EXECFN, execfn},
        {AT_SYSINFO_EHDR, memory.vdso()},
        {AT_MINSIGSTKSZ, signal_frame::kFrameSize},  // what a handler's frame takes (no V)
        {AT_NULL, 0},
    };
    loaded.stack_pointer = (cursor - words * 8) & ~uint64_t{15};  // 16-byte aligned (psABI)
    StackWords out(memory, loaded.stack_pointer);
    out.add(args.argc());
    uint64_t string = strings_start;
    for (size_t i = 0; i < strings; ++i) {
        if (i == args.argc()) out.add(0);  // argv's end, before envp
        out.add(string);
        string += args.string(i).size + 1;
    }
    if (strings == args.argc()) out.add(0);  // argv's end, with no environment
    out.add(0);                              // envp's end
    for (const auto& pair : aux) {
        out.add(pair[0]);
        out.add(pair[1]);
    }
    return out.finish() && ok ? 0 : -ENOMEM;
}

// A `#!` line: the interpreter's path and its one optional argument (Linux splits at the first
// blank after the path and keeps the rest whole), into g_interpreter. False: no interpreter.
bool parse_script(size_t head, StringView& interpreter, StringView& argument) {
    size_t end = 2;
    while (end < head && end < kScriptLine && g_head[end] != '\n') ++end;
    memcpy(g_interpreter, g_head + 2, end - 2);
    size_t at = 0;
    const size_t length = end - 2;
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (at < length && blank(g_interpreter[at])) ++at;
    const size_t path_start = at;
    while (at < length && !blank(g_interpreter[at])) ++at;
    interpreter = StringView{g_interpreter + path_start, at - path_start};
    while (at < length && blank(g_interpreter[at])) ++at;
    size_t arg_end = length;
    while (arg_end > at && blank(g_interpreter[arg_end - 1])) --arg_end;
    argument = StringView{g_interpreter + at, arg_end - at};
    return !interpreter.empty();
}

// Says why an ELF was refused, on one line: the detail (an interpreter's path) is the file's
// bytes, escaped and at most 80 of them, so that a crafted file can neither drive the terminal
// nor fill the screen.
void report_refusal(StringView name, const elf::Failure& failure) {
    constexpr size_t kShown = 80;
    const StringView detail = failure.detail;
    console::print("{}: {}", name, elf::error_name(failure.error));
    if (!detail.empty()) {
        console::print(" {:e}{}",
                       StringView{detail.data, detail.size < kShown ? detail.size : kShown},
                       detail.size > kShown ? "..." : "");
    }
    console::print("\n");
}

// The absolute path of what `walked` found (its directory's path and its last name, symlinks
// followed), for /proc/PID/exe.
void record_exe(const fs::Context& context, const path::Walked& walked, Image& loaded) {
    auto& dir = *static_cast<fs::Inode*>(walked.parent);
    const int64_t length = fs::path_of(context, dir, loaded.exe, sizeof loaded.exe);
    if (length <= 0) {
        loaded.exe[0] = '\0';
        return;
    }
    const bool at_root = length == 2;  // "/" and its NUL
    format_to(loaded.exe + length - 1, sizeof loaded.exe - static_cast<size_t>(length) + 1, "{}{}",
              at_root ? "" : "/", walked.last);
}

// The executable file `path` names: -ENOENT, -EACCES (not a regular file, or no x bit: even
// root needs one), or the walk's error.
Result<fs::Inode*, int> find_executable(const fs::Context& context, const fs::FdTable& fds,
                                        StringView path, Image& loaded) {
    if (path.empty()) return -ENOENT;
    const auto walked = fs::walk(context, fds, fs::kAtFdcwd, path, path::Flags{true, false}, 1);
    if (!walked.ok()) return walked.error();
    fs::Inode* node = static_cast<fs::Inode*>(walked.value().node);
    if (node == nullptr) return -ENOENT;
    if (!node->is_regular() || (node->mode & 0111) == 0) return -EACCES;
    record_exe(context, walked.value(), loaded);
    loaded.exe_device = node->fs().device();
    loaded.exe_ino = node->ino;
    return node;
}

void set_name(StringView path, char (&name)[16]) {
    size_t start = path.size;
    while (start > 0 && path.data[start - 1] != '/') --start;
    size_t i = 0;
    for (; start + i < path.size && i + 1 < sizeof name; ++i) name[i] = path.data[start + i];
    name[i] = '\0';
}

}  // namespace

int load(const fs::Context& context, const fs::FdTable& fds, StringView path, ExecArgs& args,
         AddressSpace& memory, Image& loaded, char (&name)[16], bool report) {
    set_name(path, name);
    char first_path[256];  // what execve was asked to run: the name a script is run by
    for (int depth = 0;; ++depth) {
        const auto found = find_executable(context, fds, path, loaded);
        if (!found.ok()) return found.error();
        fs::Inode& file = *found.value();
        fs::IoBuffer head_buffer = fs::IoBuffer::kernel(g_head, sizeof g_head);
        const int64_t head = file.read(0, head_buffer);
        if (head < 0) return static_cast<int>(head);
        if (head >= 2 && g_head[0] == '#' && g_head[1] == '!') {
            StringView interpreter;
            StringView argument;
            if (depth == kMaxInterpreters) return -ELOOP;
            if (!parse_script(static_cast<size_t>(head), interpreter, argument)) return -ENOEXEC;
            // argv becomes: interpreter, [argument], the script's path, the rest of argv.
            const size_t copied =
                path.size < sizeof first_path - 1 ? path.size : sizeof first_path - 1;
            memmove(first_path, path.data, copied);
            int error = args.prepend_argument(StringView{first_path, copied}, true);
            if (error == 0 && !argument.empty()) error = args.prepend_argument(argument, false);
            if (error == 0) error = args.prepend_argument(interpreter, false);
            if (error != 0) return error;
            path = interpreter;
            continue;
        }
        const uint64_t stack_floor = memlayout::kUserTop - kStackLimit - kStackGuardGap;
        const auto parsed = elf::parse(g_head, static_cast<size_t>(head), file.size, stack_floor);
        if (!parsed.ok()) {
            if (report) report_refusal(StringView::of(name), parsed.error());
            return -ENOEXEC;
        }
        loaded.entry = parsed.value().entry;
        memory.set_brk_start(page_up(parsed.value().end));  // as Linux: the page after the image
        if (const int error = load_segments(file, parsed.value(), memory); error != 0) return error;
        if (!memory.map_vdso()) return -ENOMEM;
        return build_stack(memory, parsed.value(), args, path, loaded);
    }
}

}  // namespace keel::process
