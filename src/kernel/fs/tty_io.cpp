// SPDX-License-Identifier: MIT
// The terminal's read(2) and write(2) (tty_state.h), as Linux's n_tty_read and n_tty_write: one
// reader and one writer at a time (atomic_read_lock, atomic_write_lock), so that a line goes
// whole to one reader, and a program's write goes out whole, in the order it was processed.
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/termios.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>

#include "tty_state.h"

namespace keel::fs::tty {
namespace {

using process::Process;
using process::TreeLock;

constexpr uint64_t kChunk = 256;

// A turn one task at a time has (Linux's atomic_read_lock and atomic_write_lock: mutexes taken
// interruptibly, or tried with O_NONBLOCK), kept under g_lock.
struct Turn {
    bool taken = false;
};
constinit Turn g_reading;
constinit Turn g_writing;

// 0 once the turn is the caller's; -EAGAIN (O_NONBLOCK), or a restart after a signal.
int64_t take_turn(Turn& turn, const File& file) {
    for (;;) {
        const uint64_t seen = g_input.count();
        {
            LockGuard guard(g_lock, KEEL_HERE);
            if (!turn.taken) {
                turn.taken = true;
                return 0;
            }
        }
        if ((file.flags & O_NONBLOCK) != 0) return -EAGAIN;
        if (g_input.wait(seen) == sched::WaitResult::kInterrupted) return signals::kRestartSys;
    }
}

void give_back(Turn& turn) {
    {
        LockGuard guard(g_lock, KEEL_HERE);
        turn.taken = false;
    }
    g_input.notify();
    sched::io_event().notify();  // a poll for POLLOUT looks again (Linux's tty_write_unlock)
}

// Up to `left` bytes (a chunk at most) off the input queue, with g_lock held; `more` says whether
// the same read goes on: canonical, inside the line it took part of; raw, with more queued.
size_t take(char (&chunk)[kChunk], uint64_t left, bool& more) {
    const size_t wanted = left < kChunk ? left : kChunk;
    const size_t got = g_discipline.read(chunk, wanted);
    const bool canonical = (g_discipline.settings().c_lflag & ICANON) != 0;
    more = got == wanted && got < left &&
           (canonical ? g_discipline.inside_line() : g_discipline.available() > 0);
    return got;
}

// Gives the first piece taken, and takes and gives the rest of what the read returns.
int64_t hand_out(IoBuffer& buffer, char (&chunk)[kChunk], size_t got, bool more) {
    uint64_t done = 0;
    for (;;) {
        if (got != 0 && !buffer.give(done, chunk, got)) return partial(done, -EFAULT);
        done += got;
        if (!more) return static_cast<int64_t>(done);
        LockGuard guard(g_lock, KEEL_HERE);
        got = take(chunk, buffer.size() - done, more);
    }
}

// Waits for input and hands it out, with the reading turn.
int64_t read_in_turn(const File& file, const Process& p, IoBuffer& buffer) {
    uint64_t deadline = sched::kNoDeadline;
    for (;;) {
        const uint64_t seen = g_input.count();
        {
            TreeLock guard;
            if (g_session == 0 || p.sid != g_session) return 0;  // it lost the terminal
        }
        char chunk[kChunk];
        size_t got = 0;
        bool ready, more = false;
        {
            LockGuard guard(g_lock, KEEL_HERE);
            const size_t wanted = buffer.size() < kChunk ? buffer.size() : kChunk;
            // (VTIME's timer running: what there is will do)
            ready = g_discipline.readable(wanted) ||
                    (deadline != sched::kNoDeadline && g_discipline.available() > 0);
            if (ready) got = take(chunk, buffer.size(), more);
        }
        if (ready) return hand_out(buffer, chunk, got, more);  // 0 bytes: end of file
        if (deadline != sched::kNoDeadline && csr::time() >= deadline) return 0;  // VTIME
        if ((file.flags & O_NONBLOCK) != 0) return -EAGAIN;
        // VTIME: with VMIN 0, from the read on; with VMIN, from the first byte (termios(3)).
        const termios& t = g_discipline.settings();
        const bool timed = (t.c_lflag & ICANON) == 0 && t.c_cc[VTIME] != 0 &&
                           (t.c_cc[VMIN] == 0 || g_discipline.available() > 0);
        if (timed && deadline == sched::kNoDeadline)
            deadline = csr::time() + timer::from_ms(uint64_t{t.c_cc[VTIME]} * 100);
        if (g_input.wait(seen, deadline) == sched::WaitResult::kInterrupted)
            return signals::kRestartSys;
    }
}

// IXON: after Ctrl-S, a program's output waits for Ctrl-Q (or, with IXANY, any key). 0 to go
// on, -EAGAIN (O_NONBLOCK), or a restart after a signal.
int64_t wait_while_stopped(const File& file) {
    for (;;) {
        const uint64_t seen = g_input.count();
        {
            LockGuard guard(g_lock, KEEL_HERE);
            if (!g_discipline.output_stopped()) return 0;
        }
        if ((file.flags & O_NONBLOCK) != 0) return -EAGAIN;
        if (g_input.wait(seen) == sched::WaitResult::kInterrupted) return signals::kRestartSys;
    }
}

// How many of `left` bytes a write that may not wait takes next (with g_lock): as many as output
// processing cannot make more of than the console has room for (a byte becomes at most a tab's
// kTabStop).
size_t room_for(uint64_t left) {
    const size_t room = console::output_room().bytes;
    if (room >= TtyOutput::kCapacity) return left;  // (processing stops at a TtyOutput's worth)
    const size_t bytes = room / LineDiscipline::kTabStop;
    return bytes < left ? bytes : left;
}

// The bytes through output processing (under g_lock, which the echo takes too) and out to the
// console (without it: the write may wait there for a terminal that does not read), with the
// writing turn. A signal that cuts either wait short ends the write with what was processed.
// With O_NONBLOCK, only what the console has room for goes (Linux: what fits in the UART's
// transmit buffer), then -EAGAIN if nothing did.
int64_t write_in_turn(const File& file, IoBuffer& buffer) {
    console::flush();  // what the kernel said first comes first
    const bool nonblocking = (file.flags & O_NONBLOCK) != 0;
    char chunk[kChunk];
    uint64_t done = 0;
    while (done < buffer.size()) {
        const uint64_t n = buffer.size() - done < kChunk ? buffer.size() - done : kChunk;
        if (!buffer.take(done, chunk, n)) return partial(done, -EFAULT);
        for (size_t taken = 0; taken < n;) {
            if (const int64_t held = wait_while_stopped(file); held != 0)
                return partial(done + taken, held);
            TtyOutput out;
            bool sent = false;
            {
                // Without O_NONBLOCK, the console is written without the lock: the write may
                // wait there for a terminal that does not read. With it, nothing waits, and the
                // room looked at is the room the processed bytes find (the echo takes the lock).
                LockGuard guard(g_lock, KEEL_HERE);
                const size_t piece = nonblocking ? room_for(n - taken) : n - taken;
                if (piece == 0) return partial(done + taken, -EAGAIN);
                taken += g_discipline.write(chunk + taken, piece, out);
                sent = nonblocking && console::write_raw_now(out.data(), out.size());
            }
            if (sent) continue;
            if (!console::write_raw(out.data(), out.size()))  // it is out, or will be
                return partial(done + taken, signals::kRestartSys);
        }
        done += n;
    }
    return static_cast<int64_t>(done);
}

}  // namespace

int64_t read(File& file, IoBuffer& buffer) {
    const Process* p = process::current();
    bool outside = true;
    if (p != nullptr) {
        if (const int64_t verdict = check_job(*p, SIGTTIN, outside); verdict != 0) return verdict;
    }
    if (outside || buffer.size() == 0) return 0;
    if (const int64_t busy = take_turn(g_reading, file); busy != 0) return busy;
    const int64_t result = read_in_turn(file, *p, buffer);
    give_back(g_reading);
    return result;
}

bool writing() {
    return g_writing.taken;
}

int64_t write(File& file, IoBuffer& buffer) {
    const Process* p = process::current();
    bool outside = true;
    if (p != nullptr && (g_discipline.settings().c_lflag & TOSTOP) != 0) {
        if (const int64_t verdict = check_job(*p, SIGTTOU, outside); verdict != 0) return verdict;
    }
    if (const int64_t busy = take_turn(g_writing, file); busy != 0) return busy;
    const int64_t result = write_in_turn(file, buffer);
    give_back(g_writing);
    return result;
}

}  // namespace keel::fs::tty
