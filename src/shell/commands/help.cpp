// SPDX-License-Identifier: MIT
// help [CMD]: every command with its summary, where the programs are, and the editing keys; or one
// command's usage.
#include <keel/core/console.h>
#include <keel/lib/memory.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status help_command(const Context&, const Args& args) {
    if (args.count() > 2) return Status::kBadUsage;
    if (args.count() == 2) {
        const Command* command = find_command(args.word(1));
        if (command == nullptr) {
            console::print("help: no such command: {} (try 'help')\n", args.word(1));
            return Status::kFailed;
        }
        console::print("usage: {}\n  {}\n", command->usage, command->summary);
        return Status::kOk;
    }
    size_t width = 0;  // the widest usage sets the summaries' column
    for (size_t i = 0; i < kCommandCount; ++i)
        width = strlen(kCommands[i]->usage) > width ? strlen(kCommands[i]->usage) : width;
    for (size_t i = 0; i < kCommandCount; ++i) {
        console::print("  {}", kCommands[i]->usage);
        for (size_t column = strlen(kCommands[i]->usage); column <= width; ++column)
            console::print(" ");
        console::print("{}\n", kCommands[i]->summary);
    }
    console::print(
        "Programs: any file in /bin, /sbin, /usr/bin or /usr/sbin runs by its name (ls /bin lists\n"
        "  them: busybox's applets and keel's own); a last & runs one in the background.\n"
        "Keys: arrows, Home/End, Ctrl-A/E/U/W/C/L, Up/Down history; Tab completes commands, "
        "programs, paths.\n");
    return Status::kOk;
}

}  // namespace

extern const Command kHelpCommand{"help", "list the commands, or show how to use one", "help [CMD]",
                                  help_command};

}  // namespace keel::shell
