// SPDX-License-Identifier: MIT
// Loading a program into a fresh address space, as Linux's execve does: the file found through
// the VFS (symbolic links followed), a `#!` script run through its interpreter, an ELF's
// segments, and the initial stack (argc, argv, envp, auxv: System V psABI, Linux's
// fs/binfmt_elf.c create_elf_tables) with the strings above it.
#pragma once
#include <keel/kernel/address_space.h>
#include <keel/kernel/fs/file.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/lib/string_view.h>
#include <stdint.h>

namespace keel::process {

struct Process;

// The arguments and environment of a new image: strings in a kernel block, argv's then envp's.
class ExecArgs {
public:
    // Bytes of strings and their offsets (Linux's ARG_MAX is 2 MiB).
    static constexpr size_t kCapacity = 128 * 1024;
    static constexpr size_t kMaxStrings = 4096;

    ExecArgs() = default;
    ExecArgs(const ExecArgs&) = delete;
    ExecArgs& operator=(const ExecArgs&) = delete;
    ~ExecArgs();

    // Each returns 0 or -errno (-E2BIG when the block is full, -ENOMEM, -EFAULT).
    int add_argument(StringView text);
    int add_environment(StringView text);
    // A NULL-terminated array of string pointers in the calling program's memory (execve).
    int add_user_vector(uint64_t vector, bool environment);
    // Puts `text` before the arguments (a script's interpreter), replacing argv[0] if `replace`.
    int prepend_argument(StringView text, bool replace_first);

    size_t argc() const { return argc_; }
    size_t envc() const { return envc_; }
    // String `i` of argv then envp (i < argc + envc).
    StringView string(size_t i) const;

private:
    int add(StringView text);
    int add_user_string(uint64_t pointer, bool environment);
    uint32_t* starts() const;

    // Each a block of 2^order pages (src/kernel/exec_args.cpp), or nullptr before the first string.
    char* strings_ = nullptr;  // the strings, each with its NUL, argv's then envp's
    char* starts_ = nullptr;   // each string's offset in strings_ (uint32_t), in order
    unsigned strings_order_ = 0;
    unsigned starts_order_ = 0;
    size_t used_ = 0;
    size_t argc_ = 0;
    size_t envc_ = 0;
};

// What a loaded image starts with.
struct Image {
    uint64_t entry = 0;
    uint64_t stack_pointer = 0;
    uint64_t arg_start = 0, arg_end = 0, env_start = 0, env_end = 0;  // on the new stack
    char exe[256] = {};  // the executable's absolute path (a script's: its interpreter's)
    uint64_t exe_device = 0, exe_ino = 0;
};

// With the file system lock held: loads the program at `path` (resolved from `context`; `#!`
// scripts through their interpreter, which becomes argv[0]) with `args` into `memory` (a fresh
// space). `name` gets the file's name (for ps and the process's comm). 0 or -errno: ENOENT,
// ENOTDIR, ELOOP, EACCES (not a regular file, or no execute permission), ENOEXEC (no format keel
// runs), E2BIG, ENOMEM. `report` says why an ELF was refused on the console, in one line (the
// shell's starts do; execve, like Linux's, only returns ENOEXEC).
int load(const fs::Context& context, const fs::FdTable& fds, StringView path, ExecArgs& args,
         AddressSpace& memory, Image& image, char (&name)[16], bool report);

// What /proc shows of the program `image` is (its argv and environment, its executable), in `p`.
void remember_image(Process& p, const Image& image);

}  // namespace keel::process
