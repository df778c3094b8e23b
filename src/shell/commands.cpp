// The command table: one line per command, in the order help lists them. Each command lives in
// its own file under src/shell/commands/.
#include <keel/kernel/console.h>
#include <keel/lib/cmdline.h>
#include <keel/lib/number.h>
#include <keel/shell/command.h>

namespace keel::shell {

extern const Command kHelpCommand, kEchoCommand, kClearCommand, kVersionCommand, kHeapCommand,
    kAllocCommand, kUptimeCommand, kSleepCommand, kSbiCommand, kDtCommand, kHartsCommand,
    kFaultCommand, kPanicCommand, kRebootCommand, kShutdownCommand;

const Command* const kCommands[] = {
    &kHelpCommand,  &kEchoCommand,   &kClearCommand, &kVersionCommand, &kHeapCommand,
    &kAllocCommand, &kUptimeCommand, &kSleepCommand, &kSbiCommand,     &kDtCommand,
    &kHartsCommand, &kFaultCommand,  &kPanicCommand, &kRebootCommand,  &kShutdownCommand,
};
const size_t kCommandCount = sizeof kCommands / sizeof kCommands[0];

const Command* find_command(StringView name) {
    for (const Command* command : kCommands) {
        if (equals(name, command->name)) return command;
    }
    return nullptr;
}

bool parse_argument(const Args& args, size_t index, const char* what, uint64_t& value) {
    const auto parsed = parse_number(args.word(index));
    if (parsed.ok()) {
        value = parsed.value();
        return true;
    }
    console::print("{}: bad {} '{}': {}\n", args.word(0), what, args.word(index),
                   number_error_message(parsed.error()));
    return false;
}

}  // namespace keel::shell
