// SPDX-License-Identifier: MIT
// The terminal's inside (src/kernel/fs/tty*.cpp): its state, shared by tty.cpp (typed input, job
// control, the ioctls, the session) and tty_io.cpp (read(2) and write(2)).
#pragma once
#include <keel/core/lock.h>
#include <keel/kernel/fs/file.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/sync.h>
#include <keel/lib/line_discipline.h>

namespace keel::fs::tty {

// Its line discipline under its own lock (the receive interrupt takes it); its session and
// foreground group under the process lock.
extern Lock g_lock;
extern LineDiscipline g_discipline;
extern uint64_t g_session;     // the session it is the controlling terminal of (0: none)
extern uint64_t g_foreground;  // its foreground process group
// Moves when typed bytes arrive, the session changes, or a read or write turn is given back.
extern sched::Event g_input;

// Job control for a read or (with TOSTOP, or a settings change) a write by `p` (Linux's
// __tty_check_change and job_control): 0 to go on, -EIO, or a restart after SIGTTIN/SIGTTOU
// stops its group. A process outside the terminal's session reads end of file (`outside`).
int64_t check_job(const process::Process& p, int signal, bool& outside);

// The terminal's read(2) and write(2) (tty_io.cpp).
int64_t read(File& file, IoBuffer& buffer);
int64_t write(File& file, IoBuffer& buffer);
// Whether a write has the writing turn now (with g_lock): another waits for it.
bool writing();

}  // namespace keel::fs::tty
