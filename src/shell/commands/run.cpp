// SPDX-License-Identifier: MIT
// run PROG [ARGS...] [&]: runs PROG (found in PATH's directories, or the path PROG) as a process
// in the foreground, in a session of its own with the console as its terminal (Ctrl-C is its
// SIGINT, Ctrl-Z its SIGTSTP), and reports how it ended: nothing for status 0, "[pid P] exit
// status N", "[pid P] killed: REASON" or "[pid P] stopped"; with a last "&", in the background.
// Typing PROG alone does the same when PATH has it.
#include <keel/core/console.h>
#include <keel/kernel/fs/tty.h>
#include <keel/kernel/process.h>
#include <keel/lib/memory.h>
#include <keel/shell/command.h>

namespace keel::shell {

Status run_program(const Args& args, size_t first, bool login) {
    StringView argv[process::kMaxArgs];
    const bool background = args.count() > first + 1 && equals(args.word(args.count() - 1), "&");
    const size_t argc = args.count() - first - (background ? 1 : 0);
    if (argc > process::kMaxArgs) {
        console::print("run: at most {} arguments\n", process::kMaxArgs);
        return Status::kFailed;
    }
    for (size_t i = 0; i < argc; ++i) argv[i] = args.word(first + i);
    char path[256];
    const StringView name = argv[0];
    size_t length = process::find_program(name, path, sizeof path);
    if (length == 0) length = format_to(path, sizeof path, "{}", name);  // for start's error
    if (login)
        argv[0] =
            StringView{"-sh", 3};  // what login(1) runs: a login shell, which reads /etc/profile
    const auto started = process::start(StringView{path, length}, argv, argc, background);
    if (!started.ok()) {
        // A refused ELF has had its line already (the loader says why).
        if (started.error() != -process::kErrorNotExecutable) {
            console::print("run: {}: {}\n", StringView{path, length},
                           process::start_error_name(started.error()));
        }
        return Status::kFailed;
    }
    const uint64_t pid = started.value();
    if (background) {
        console::print("[pid {}] {} runs in the background\n", pid, name);
        return Status::kOk;
    }
    // The program has the console (its session's terminal, Ctrl-C its SIGINT) until it ends or
    // stops; then the shell reads it again, and what is left of its session reads end of file.
    const int32_t status = process::wait_started(pid);
    fs::tty::detach();
    if ((status & 0xff) == 0x7f) {
        console::print("[pid {}] stopped\n", pid);
        return Status::kFailed;
    }
    if ((status & 0x7f) != 0) {
        console::print("[pid {}] killed: {}\n", pid,
                       process::signal_name(static_cast<int>(status & 0x7f)));
        return Status::kFailed;
    }
    if (status != 0) {
        console::print("[pid {}] exit status {}\n", pid, (status >> 8) & 0xff);
        return Status::kFailed;
    }
    return Status::kOk;
}

bool program_exists(StringView name) {
    char path[256];
    return process::find_program(name, path, sizeof path) != 0;
}

namespace {

Status run_command(const Context&, const Args& args) {
    if (args.count() < 2) return Status::kBadUsage;
    return run_program(args, 1);
}

// sh [ARGS...]: /bin/sh (busybox's ash, where the initramfs has busybox) with the console as its
// terminal, job control and all; its `exit` comes back here. Alone, it is a login shell, as a
// console login on Linux gives (argv[0] "-sh": /etc/profile sets PATH, HOME and the prompt).
Status sh_command(const Context&, const Args& args) {
    return run_program(args, 0, args.count() == 1);
}

}  // namespace

extern const Command kShCommand{"sh", "run /bin/sh (busybox ash) on the console; exit comes back",
                                "sh [ARGS...]", sh_command};

extern const Command kRunCommand{"run",
                                 "run a program (PROG from /bin, /sbin, /usr/bin, /usr/sbin)",
                                 "run PROG [ARGS...] [&]", run_command};

}  // namespace keel::shell
