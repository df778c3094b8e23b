// SPDX-License-Identifier: MIT
// The command table. Each command lives in its own file under src/shell/commands/ and has one
// line in KEEL_COMMANDS below.
#include <keel/core/console.h>
#include <keel/lib/cmdline.h>
#include <keel/lib/number.h>
#include <keel/shell/command.h>

namespace keel::shell {

// One line per command, in the order help lists them: the name of its Command object.
#define KEEL_COMMANDS(X) \
    X(kHelpCommand)      \
    X(kEchoCommand)      \
    X(kClearCommand)     \
    X(kVersionCommand)   \
    X(kDmesgCommand)     \
    X(kHeapCommand)      \
    X(kAllocCommand)     \
    X(kMemCommand)       \
    X(kPagesCommand)     \
    X(kVmCommand)        \
    X(kSmpAllocCommand)  \
    X(kSmpPrintCommand)  \
    X(kUptimeCommand)    \
    X(kSleepCommand)     \
    X(kSbiCommand)       \
    X(kDtCommand)        \
    X(kHartsCommand)     \
    X(kPsCommand)        \
    X(kSpawnDemoCommand) \
    X(kBusyCommand)      \
    X(kKillCommand)      \
    X(kSchedTestCommand) \
    X(kRunCommand)       \
    X(kShCommand)        \
    X(kBenchCommand)     \
    X(kFaultCommand)     \
    X(kPanicCommand)     \
    X(kPanicHartCommand) \
    X(kRebootCommand)    \
    X(kShutdownCommand)

#define KEEL_DECLARE_COMMAND(command) extern const Command command;
#define KEEL_LIST_COMMAND(command) &(command),
KEEL_COMMANDS(KEEL_DECLARE_COMMAND)
const Command* const kCommands[] = {KEEL_COMMANDS(KEEL_LIST_COMMAND)};
const size_t kCommandCount = sizeof kCommands / sizeof kCommands[0];

const Command* find_command(StringView name) {
    for (const Command* command : kCommands) {
        if (equals(name, command->name)) return command;
    }
    return nullptr;
}

bool parse_argument(const Args& args, size_t index, const char* what, uint64_t& value, uint64_t low,
                    uint64_t high) {
    const auto parsed = parse_number(args.word(index));
    if (!parsed.ok()) {
        console::print("{}: bad {} '{}': {}\n", args.word(0), what, args.word(index),
                       number_error_message(parsed.error()));
        return false;
    }
    if (parsed.value() < low || parsed.value() > high) {
        console::print("{}: {} must be {}..{}\n", args.word(0), what, low, high);
        return false;
    }
    value = parsed.value();
    return true;
}

}  // namespace keel::shell
