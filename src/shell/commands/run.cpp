// SPDX-License-Identifier: MIT
// run PROG [ARGS...] [&]: runs PROG (found in PATH's directories, or the path PROG) as a process
// in the foreground (Ctrl-C kills it) and reports how it ended: nothing for status 0,
// "[pid P] exit status N", or "[pid P] killed: REASON"; with a last "&", in the background.
// Typing PROG alone does the same when PATH has it.
#include <keel/core/console.h>
#include <keel/kernel/process.h>
#include <keel/kernel/sched.h>
#include <keel/lib/memory.h>
#include <keel/shell/command.h>

namespace keel::shell {

// Waits for `pid`, looking every 1, 2, 4 ... 20 ms, so that a short program's end is seen at
// once and a Ctrl-C typed meanwhile kills it (SIGKILL), with its whole job: every process forked
// from it, as a terminal's Ctrl-C ends the foreground process group.
Result<int64_t, sched::JoinError> wait_foreground(uint64_t pid) {
    bool killed = false;
    for (uint64_t pause = 1;; pause = pause < 10 ? pause * 2 : 20) {
        const auto joined = sched::try_join(pid);
        if (joined.ok() || joined.error() != sched::JoinError::kRunning) return joined;
        if (!killed && console::cancel_requested()) {
            killed = sched::kill(pid).ok();
            (void)sched::kill_job(pid);  // the program is its job's first process
        }
        sched::sleep_ms(pause);
    }
}

Status run_program(const Args& args, size_t first) {
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
    const auto waited = wait_foreground(pid);
    // The shell reads the console again: whatever is left of the job (a child) reads end of file.
    process::release_console(pid);
    if (!waited.ok()) return Status::kFailed;
    const int64_t status = waited.value();
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

}  // namespace

extern const Command kRunCommand{"run",
                                 "run a program (PROG from /bin, /sbin, /usr/bin, /usr/sbin)",
                                 "run PROG [ARGS...] [&]", run_command};

}  // namespace keel::shell
