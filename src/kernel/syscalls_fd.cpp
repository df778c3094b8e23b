// SPDX-License-Identifier: MIT
// The calls on descriptors themselves: close, dup, dup3, fcntl, pipe2, and waiting for several at
// once (ppoll, pselect6), with Linux's rules and errnos.
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/poll.h>
#include <keel/abi/time.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/fs/pipe.h>
#include <keel/kernel/signals.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>

namespace keel::syscalls {
namespace {

using fs::FdTable;
using fs::File;
using process::Process;

constexpr uint32_t kChangeableFlags = O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME;

int64_t duplicate(FdTable& fds, int fd, int from, bool close_on_exec) {
    File* file = fds.get(fd);
    if (file == nullptr) return -EBADF;
    if (from < 0 || from >= FdTable::kMax) return -EINVAL;
    return fds.install(fs::hold(file), from, close_on_exec);
}

// What a descriptor is ready for now, of `events` (POLLERR, POLLHUP always; POLLNVAL if closed).
unsigned readiness(const FdTable& fds, int fd, unsigned events) {
    File* file = fds.get(fd);
    if (file == nullptr) return POLLNVAL;
    return file->ops->poll(*file) & (events | POLLERR | POLLHUP);
}

// One look at every pollfd: how many are ready, their revents written back when `write_back`.
int64_t poll_once(Process& p, uint64_t array, uint64_t count, bool write_back) {
    int64_t ready = 0;
    for (uint64_t i = 0; i < count; ++i) {
        struct pollfd entry;
        if (!copy_from_user(p, &entry, array + i * sizeof entry, sizeof entry)) return -EFAULT;
        const unsigned revents =
            entry.fd < 0 ? 0 : readiness(*p.fds, entry.fd, static_cast<uint16_t>(entry.events));
        entry.revents = static_cast<int16_t>(revents);
        ready += entry.revents != 0 ? 1 : 0;
        if (write_back && !copy_to_user(p, array + i * sizeof entry, &entry, sizeof entry))
            return -EFAULT;
    }
    return ready;
}

// Waits until `look` finds something ready, the deadline passes, or a kill comes.
template <typename Look>
int64_t wait_until_ready(uint64_t deadline, Look look) {
    for (;;) {
        const uint64_t seen = sched::io_event().count();
        const int64_t ready = look(false);
        if (ready != 0) return ready < 0 ? ready : look(true);
        if (deadline != sched::kNoDeadline && csr::time() >= deadline) return look(true);
        if (sched::io_event().wait(seen, deadline) == sched::WaitResult::kInterrupted)
            return signals::kRestartNoHand;
    }
}

}  // namespace

// A struct timespec timeout as a deadline in time CSR units (kNoDeadline for none): -EFAULT,
// -EINVAL for a negative time.
int64_t user_deadline(Process& p, uint64_t timeout, uint64_t& deadline) {
    deadline = sched::kNoDeadline;
    if (timeout == 0) return 0;
    struct timespec value;
    if (!copy_from_user(p, &value, timeout, sizeof value)) return -EFAULT;
    if (value.tv_sec < 0 || value.tv_nsec < 0 || value.tv_nsec >= 1'000'000'000) return -EINVAL;
    const uint64_t hz = timer::frequency();
    const uint64_t seconds = static_cast<uint64_t>(value.tv_sec) > (uint64_t{1} << 32)
                                 ? uint64_t{1} << 32
                                 : static_cast<uint64_t>(value.tv_sec);
    deadline =
        csr::time() + seconds * hz + static_cast<uint64_t>(value.tv_nsec) * hz / 1'000'000'000;
    return 0;
}

int64_t sys_close(Process& p, TrapFrame& frame) {
    return p.fds->close(int_arg(frame, 0));
}

int64_t sys_dup(Process& p, TrapFrame& frame) {
    return duplicate(*p.fds, int_arg(frame, 0), 0, false);
}

int64_t sys_dup3(Process& p, TrapFrame& frame) {
    const int old_fd = int_arg(frame, 0);
    const int new_fd = int_arg(frame, 1);
    const uint32_t flags = uint_arg(frame, 2);
    if ((flags & ~uint32_t{O_CLOEXEC}) != 0 || old_fd == new_fd) return -EINVAL;
    if (new_fd < 0 || new_fd >= FdTable::kMax) return -EBADF;
    File* file = p.fds->get(old_fd);
    if (file == nullptr) return -EBADF;
    p.fds->replace(new_fd, fs::hold(file), (flags & O_CLOEXEC) != 0);
    return new_fd;
}

int64_t sys_fcntl(Process& p, TrapFrame& frame) {
    const int fd = int_arg(frame, 0);
    const uint64_t argument = arg(frame, 2);
    File* file = p.fds->get(fd);
    if (file == nullptr) return -EBADF;
    switch (int_arg(frame, 1)) {
    case F_DUPFD: return duplicate(*p.fds, fd, static_cast<int>(argument), false);
    case F_DUPFD_CLOEXEC: return duplicate(*p.fds, fd, static_cast<int>(argument), true);
    case F_GETFD: return p.fds->close_on_exec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD: p.fds->set_close_on_exec(fd, (argument & FD_CLOEXEC) != 0); return 0;
    case F_GETFL: return file->flags;
    case F_SETFL:
        file->flags = (file->flags & ~kChangeableFlags) |
                      (static_cast<uint32_t>(argument) & kChangeableFlags);
        return 0;
    case F_GETPIPE_SZ:
    case F_SETPIPE_SZ:
        return file->inode != nullptr && file->inode->type() == S_IFIFO ? fs::kPipeCapacity
                                                                        : -EBADF;
    default: return -EINVAL;
    }
}

int64_t sys_pipe2(Process& p, TrapFrame& frame) {
    const uint32_t flags = uint_arg(frame, 1);
    if ((flags & ~uint32_t{O_CLOEXEC | O_NONBLOCK | O_DIRECT}) != 0) return -EINVAL;
    File* ends[2];
    if (const int error = fs::make_pipe(flags, ends[0], ends[1]); error != 0) return error;
    const bool close_on_exec = (flags & O_CLOEXEC) != 0;
    const int read_fd = p.fds->install(ends[0], 0, close_on_exec);
    if (read_fd < 0) {
        fs::drop(ends[1]);
        return read_fd;
    }
    const int write_fd = p.fds->install(ends[1], 0, close_on_exec);
    if (write_fd < 0) {
        (void)p.fds->close(read_fd);
        return write_fd;
    }
    const int32_t fds[2] = {read_fd, write_fd};
    if (!copy_to_user(p, arg(frame, 0), fds, sizeof fds)) {
        (void)p.fds->close(read_fd);
        (void)p.fds->close(write_fd);
        return -EFAULT;
    }
    return 0;
}

int64_t sys_ppoll(Process& p, TrapFrame& frame) {
    const uint64_t array = arg(frame, 0);
    const uint64_t count = uint_arg(frame, 1);  // (nfds is an unsigned int)
    if (count > FdTable::kMax) return -EINVAL;
    uint64_t deadline;
    if (const int64_t error = user_deadline(p, arg(frame, 2), deadline); error != 0) return error;
    if (const int64_t error = signals::set_temporary_mask(p, arg(frame, 3), arg(frame, 4));
        error != 0)
        return error;
    const int64_t result = wait_until_ready(
        deadline, [&](bool write_back) { return poll_once(p, array, count, write_back); });
    signals::end_temporary_mask(p, result);
    return result;
}

// pselect6(nfds, readfds, writefds, exceptfds, timeout, sigmask): the three sets of nfds bits
// (as Linux, nfds past the descriptor table counts as the table).
int64_t sys_pselect6(Process& p, TrapFrame& frame) {
    int count = int_arg(frame, 0);
    if (count < 0) return -EINVAL;
    if (count > FdTable::kMax) count = FdTable::kMax;
    const uint64_t sets[3] = {arg(frame, 1), arg(frame, 2), arg(frame, 3)};
    uint64_t wanted[3][FdTable::kMax / 64] = {};
    const uint64_t bytes = (static_cast<uint64_t>(count) + 63) / 64 * 8;
    for (int s = 0; s < 3; ++s) {
        if (sets[s] != 0 && !copy_from_user(p, wanted[s], sets[s], bytes)) return -EFAULT;
    }
    for (int fd = 0; fd < count; ++fd) {
        const bool asked =
            ((wanted[0][fd / 64] | wanted[1][fd / 64] | wanted[2][fd / 64]) >> (fd % 64) & 1) != 0;
        if (asked && p.fds->get(fd) == nullptr) return -EBADF;
    }
    uint64_t deadline;
    if (const int64_t error = user_deadline(p, arg(frame, 4), deadline); error != 0) return error;
    uint64_t mask[2] = {};  // {const sigset_t* ss; size_t ss_len}
    if (arg(frame, 5) != 0 && !copy_from_user(p, mask, arg(frame, 5), sizeof mask)) return -EFAULT;
    if (const int64_t error = signals::set_temporary_mask(p, mask[0], mask[1]); error != 0)
        return error;
    const unsigned kinds[3] = {POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI};
    const int64_t result = wait_until_ready(deadline, [&](bool write_back) -> int64_t {
        uint64_t found[3][FdTable::kMax / 64] = {};
        int64_t ready = 0;
        for (int s = 0; s < 3; ++s) {
            for (int fd = 0; fd < count; ++fd) {
                if ((wanted[s][fd / 64] >> (fd % 64) & 1) == 0) continue;
                if ((readiness(*p.fds, fd, kinds[s]) & kinds[s]) == 0) continue;
                found[s][fd / 64] |= uint64_t{1} << (fd % 64);
                ++ready;
            }
            if (write_back && sets[s] != 0 && !copy_to_user(p, sets[s], found[s], bytes))
                return -EFAULT;
        }
        return ready;
    });
    signals::end_temporary_mask(p, result);
    return result;
}

}  // namespace keel::syscalls
