// SPDX-License-Identifier: MIT
// The console as a terminal (include/keel/kernel/fs/tty.h): input through the line discipline,
// job control (SIGTTIN, SIGTTOU, the signal characters), and the tty ioctls, as Linux's
// drivers/tty (tty_io.c, tty_jobctrl.c, n_tty.c) answer them; read(2) and write(2) are in
// tty_io.cpp.
#include <keel/abi/errno.h>
#include <keel/abi/termios.h>
#include <keel/core/console.h>
#include <keel/kernel/fs/tty.h>

#include "tty_state.h"

namespace keel::fs::tty {

using process::Process;
using process::TreeLock;

constinit Lock g_lock;
constinit LineDiscipline g_discipline;
constinit uint64_t g_session = 0;
constinit uint64_t g_foreground = 0;
constinit sched::Event g_input;

namespace {

constinit struct winsize g_size = {24, 80, 0, 0};
constinit termios g_boot_settings = {};  // what detach() puts back

// The echo's way out: from the receive interrupt, which never waits for a terminal that does not
// read (console::write_raw keeps the echo back until it reads again).
void drain(void*, const char* bytes, size_t size) {
    (void)console::write_raw(bytes, size);
}

// One typed byte through the line discipline, its echo out; the signal it sends, or 0.
int discipline_receive(uint8_t byte) {
    LockGuard guard(g_lock, KEEL_HERE);
    TtyOutput echo(&drain, nullptr);
    const int signal = g_discipline.receive(byte, echo);
    echo.flush();
    return signal;
}

// After typed bytes went in: the signal (if any) to the foreground group, readers woken.
void after_input(uint64_t foreground, int signal) {
    if (signal != 0) (void)process::kill_group_from_kernel(foreground, signal);
    g_input.notify();
    sched::io_event().notify();  // ppoll and pselect look again
}

// The console's input handler: a byte typed while a session has the terminal.
bool receive(uint8_t byte) {
    uint64_t foreground;
    {
        TreeLock guard;
        if (g_session == 0) return false;  // keel's shell reads it
        foreground = g_foreground;
    }
    after_input(foreground, discipline_receive(byte));
    return true;
}

}  // namespace

int64_t check_job(const Process& p, int signal, bool& outside) {
    TreeLock guard;
    outside = g_session == 0 || p.sid != g_session;
    if (outside || p.pgid == g_foreground) return 0;
    const bool ignored = (p.signals.blocked & signals::bit(signal)) != 0 ||
                         p.signals.actions[signal].sa_handler == SIG_IGN;
    if (ignored) return signal == SIGTTIN ? -EIO : 0;  // a write goes on; a read cannot
    if (process::orphaned_group(p.pgid)) return -EIO;
    signals::Info info;
    info.code = SI_KERNEL;
    (void)process::signal_group(p.pgid, signal, info);
    return signals::kRestartSys;
}

namespace {

class Terminal final : public FileOps {
public:
    int64_t read(File& file, IoBuffer& buffer, uint64_t&) const override {
        return tty::read(file, buffer);
    }
    int64_t write(File& file, IoBuffer& buffer, uint64_t&) const override {
        return tty::write(file, buffer);
    }
    bool seekable() const override { return false; }
    // Writable as Linux's n_tty_poll says: no write has the turn, little is left to send, and
    // there is room. Not while Ctrl-S holds the output, where keel's write says EAGAIN at once
    // (Linux's takes what its UART buffer holds first, and says POLLOUT until that fills).
    unsigned poll(File&) const override {
        const console::OutputRoom room = console::output_room();
        LockGuard guard(g_lock, KEEL_HERE);
        const bool writable =
            room.drained && room.bytes != 0 && !g_discipline.output_stopped() && !writing();
        return (writable ? kPollOut : 0) | (g_discipline.poll_readable() ? kPollIn : 0);
    }
    int64_t ioctl(File& file, uint64_t request, uint64_t argument) const override;
};

// The calling process's view for the job-control ioctls: whether the console is its
// controlling terminal (else ENOTTY).
bool is_controlling(const Process* p) {
    return p != nullptr && g_session != 0 && p->sid == g_session;
}

template <typename T>
int64_t give(uint64_t argument, const T& value) {
    IoBuffer out = IoBuffer::user(argument, sizeof value);
    return out.give(0, &value, sizeof value) ? 0 : -EFAULT;
}

template <typename T>
bool take(uint64_t argument, T& value) {
    const IoBuffer in = IoBuffer::user(argument, sizeof value);
    return in.take(0, &value, sizeof value);
}

// TIOCSPGRP: the foreground group, from a process of the session, to a group of the session; a
// background caller is stopped by SIGTTOU first (tcsetpgrp(3)).
int64_t set_foreground(const Process* p, uint64_t argument) {
    int32_t pgid = 0;
    if (!take(argument, pgid)) return -EFAULT;
    bool outside = true;
    if (p != nullptr) {
        if (const int64_t verdict = check_job(*p, SIGTTOU, outside); verdict != 0) return verdict;
    }
    TreeLock guard;
    if (!is_controlling(p)) return -ENOTTY;
    if (pgid < 0) return -EINVAL;
    if (!process::group_exists(static_cast<uint64_t>(pgid), p->sid)) return -EPERM;
    g_foreground = static_cast<uint64_t>(pgid);
    return 0;
}

// TIOCSCTTY: a session leader without a terminal takes the console (if no session has it).
int64_t make_controlling(const Process* p) {
    TreeLock guard;
    if (p == nullptr || p->sid != p->pid) return -EPERM;
    if (is_controlling(p)) return 0;
    if (g_session != 0) return -EPERM;
    g_session = p->sid;
    g_foreground = p->pgid;
    return 0;
}

// TIOCNOTTY: the caller gives up its controlling terminal (a session leader hangs it up).
int64_t give_up(const Process* p) {
    {
        TreeLock guard;
        if (!is_controlling(p)) return -ENOTTY;
        if (p->sid != p->pid) return 0;  // only the leader's gives the session's up
    }
    session_leader_ended(*p);
    return 0;
}

int64_t set_settings(const Process* p, uint64_t request, uint64_t argument) {
    struct termios wanted;
    if (!take(argument, wanted)) return -EFAULT;
    bool outside = true;
    if (p != nullptr) {
        if (const int64_t verdict = check_job(*p, SIGTTOU, outside); verdict != 0) return verdict;
    }
    {
        LockGuard guard(g_lock, KEEL_HERE);
        if (request == TCSETSF) g_discipline.flush_input();
        g_discipline.set_settings(wanted);
    }
    // IXON turned off lets held output go: its writers and pollers look again (Linux's
    // n_tty_set_termios starts the tty).
    g_input.notify();
    sched::io_event().notify();
    return 0;
}

int64_t Terminal::ioctl(File&, uint64_t request, uint64_t argument) const {
    const Process* p = process::current();
    switch (request) {
    case TCGETS: {
        termios now;
        {
            LockGuard guard(g_lock, KEEL_HERE);
            now = g_discipline.settings();
        }
        return give(argument, now);
    }
    case TCSETS:
    case TCSETSW:
    case TCSETSF: return set_settings(p, request, argument);
    case TIOCGWINSZ: return give(argument, g_size);
    case TIOCSWINSZ: {
        struct winsize size;
        if (!take(argument, size)) return -EFAULT;
        const bool changed = size.ws_row != g_size.ws_row || size.ws_col != g_size.ws_col;
        g_size = size;
        if (changed && g_foreground != 0)
            (void)process::kill_group_from_kernel(g_foreground, SIGWINCH);
        return 0;
    }
    case TIOCGPGRP:
    case TIOCGSID: {
        int32_t id;
        {
            TreeLock guard;
            if (!is_controlling(p)) return -ENOTTY;
            id = static_cast<int32_t>(request == TIOCGPGRP ? g_foreground : g_session);
        }
        return give(argument, id);
    }
    case TIOCSPGRP: return set_foreground(p, argument);
    case TIOCSCTTY: return make_controlling(p);
    case TIOCNOTTY: return give_up(p);
    case FIONREAD: {
        int32_t queued;
        {
            LockGuard guard(g_lock, KEEL_HERE);
            queued = static_cast<int32_t>(g_discipline.input_queued());
        }
        return give(argument, queued);
    }
    case TCFLSH:
        if (argument > 2) return -EINVAL;
        if (argument != 1) {  // TCIFLUSH or TCIOFLUSH: typed input goes; output is gone already
            LockGuard guard(g_lock, KEEL_HERE);
            g_discipline.flush_input();
        }
        return 0;
    case TCSBRK:
    case TCXONC: return 0;  // output is sent as it is written; no flow to control
    default: return -ENOTTY;
    }
}

constinit Terminal g_terminal;

}  // namespace

const FileOps& console_ops() {
    return g_terminal;
}

void init() {
    g_boot_settings = g_discipline.settings();
    console::set_input_handler(&receive);
}

void attach(uint64_t sid, uint64_t pgid) {
    int signal = 0;
    {
        // What was typed after the shell's line and before the program ran is the program's, as
        // a terminal's typed-ahead input is: it goes in first, before any byte the receive
        // interrupt brings once the session has the terminal (it waits for this lock).
        TreeLock guard;
        g_session = sid;
        g_foreground = pgid;
        for (int byte = console::read_byte(); byte >= 0; byte = console::read_byte()) {
            const int sent = discipline_receive(static_cast<uint8_t>(byte));
            signal = sent != 0 ? sent : signal;
        }
    }
    after_input(pgid, signal);
}

void detach() {
    {
        TreeLock guard;
        g_session = 0;
        g_foreground = 0;
    }
    {
        LockGuard guard(g_lock, KEEL_HERE);
        termios without_flow =
            g_boot_settings;  // (IXON off lets output go again, if Ctrl-S held it)
        without_flow.c_iflag &= ~static_cast<tcflag_t>(IXON);
        g_discipline.set_settings(without_flow);
        g_discipline.set_settings(g_boot_settings);  // nothing typed ahead is kept
        g_discipline.flush_input();
    }
    g_input.notify();
}

bool controls_current() {
    const Process* p = process::current();
    TreeLock guard;
    return p != nullptr && g_session != 0 && p->sid == g_session;
}

void session_leader_ended(const Process& p) {
    uint64_t foreground = 0;
    {
        TreeLock guard;
        if (g_session == 0 || g_session != p.sid) return;
        foreground = g_foreground;
        g_session = 0;
        g_foreground = 0;
    }
    (void)process::kill_group_from_kernel(foreground, SIGHUP);
    (void)process::kill_group_from_kernel(foreground, SIGCONT);
    g_input.notify();
}

}  // namespace keel::fs::tty
