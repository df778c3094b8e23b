// SPDX-License-Identifier: MIT
// Shell commands: each is one small unit (name, one-line summary, usage, handler) in its own file
// under src/shell/commands/, listed once in src/shell/commands.cpp. Adding a command is that file
// plus one line there.
#pragma once
#include <keel/kernel/boot_info.h>
#include <keel/lib/format.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::shell {

// The words of the line: word(0) is the command's name.
class Args {
public:
    Args(const StringView* words, size_t count) : words_(words), count_(count) {}
    size_t count() const { return count_; }
    StringView word(size_t index) const { return words_[index]; }

private:
    const StringView* words_;
    size_t count_;
};

// What a command may look at besides its arguments.
struct Context {
    const BootInfo& boot;
};

enum class Status {
    kOk,
    kFailed,    // the command printed why
    kBadUsage,  // the shell prints "usage: ..."
};

struct Command {
    const char* name;
    const char* summary;  // one line, for help
    const char* usage;    // e.g. "alloc SIZE [ALIGN]"
    Status (*run)(const Context& context, const Args& args);
};

// Every command, in the order help lists them.
extern const Command* const kCommands[];
extern const size_t kCommandCount;

// run's work (src/shell/commands/run.cpp): args.word(first) is the program, the rest its
// arguments. And whether NAME is a program: a path (it has a '/'), or a file in /bin, /sbin,
// /usr/bin or /usr/sbin. `login`: the program is told it is a login shell (argv[0] "-sh").
Status run_program(const Args& args, size_t first, bool login = false);
bool program_exists(StringView name);

// The command named `name`, or nullptr.
const Command* find_command(StringView name);

// Parses args.word(index) as a number (decimal, 0x hex, K/M suffix) in [low, high]. On failure
// prints "NAME: bad WHAT 'TEXT': REASON" or "NAME: WHAT must be LOW..HIGH" and returns false.
bool parse_argument(const Args& args, size_t index, const char* what, uint64_t& value,
                    uint64_t low = 0, uint64_t high = UINT64_MAX);

}  // namespace keel::shell
