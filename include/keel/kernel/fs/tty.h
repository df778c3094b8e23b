// SPDX-License-Identifier: MIT
// The console as a terminal (Linux's tty layer for keel's one tty): a line discipline
// (lib/line_discipline.h) between the UART and programs, a session that has it as its
// controlling terminal and a foreground process group there. While no session has it, keel's
// shell reads the console itself (its typed bytes stay in the console's ring); a program keel's
// shell runs gets it (attach), and the shell takes it back when the program ends or stops
// (detach), with the terminal's settings put back as they were at boot.
#pragma once
#include <keel/kernel/fs/file.h>
#include <stdint.h>

namespace keel::process {
struct Process;
}

namespace keel::fs::tty {

// The terminal's file operations (/dev/console, 5:1; /dev/tty, 5:0, for a process whose
// controlling terminal it is).
const FileOps& console_ops();
// Installs the input handler (from boot on, bytes typed reach the line discipline while a
// session holds the console).
void init();
// Gives the console to session `sid` with `pgid` in the foreground (keel's shell, for a program
// it starts in the foreground): input from here on is that session's.
void attach(uint64_t sid, uint64_t pgid);
// keel's shell takes the console back: no session has it, its settings are the boot ones again,
// and waiting readers look again (they now read end of file).
void detach();
// Whether the calling process has the console as its controlling terminal (/dev/tty opens).
bool controls_current();
// The session leader `p` ends: if it had the console, its foreground group is hung up (SIGHUP,
// SIGCONT) and the session loses the terminal.
void session_leader_ended(const process::Process& p);

}  // namespace keel::fs::tty
