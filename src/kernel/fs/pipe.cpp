// SPDX-License-Identifier: MIT
// Pipes (include/keel/kernel/fs/pipe.h), as Linux's (man 7 pipe): a 64 KiB buffer, its pages taken
// as writes need them; a read blocks until there are bytes or no writer is left (end of file); a
// write blocks until there is room, and writes of PIPE_BUF (4096) bytes or fewer go in whole; a
// write with no reader left is EPIPE; O_NONBLOCK makes either EAGAIN instead of blocking. Each end
// is an open file of one anonymous inode (fstat: a fifo); a change wakes the other end and ppoll.
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/termios.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/fs/pipe.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/signals.h>
#include <keel/mm/object_cache.h>
#include <keel/mm/pages.h>

namespace keel::fs {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kCapacity = kPipeCapacity;
constexpr uint64_t kPipeBuf = 4096;          // PIPE_BUF: writes this small are atomic
constexpr uint64_t kPipeMagic = 0x50495045;  // PIPEFS_MAGIC

class PipeFs final : public FileSystem {
public:
    constexpr PipeFs() : FileSystem("pipefs", device_number(0, 0), kPipeMagic) {}
};
constinit PipeFs g_pipefs;
constinit uint64_t g_next_ino = 1;

class Pipe final : public Inode {
public:
    Pipe() : Inode(g_pipefs, g_next_ino++, S_IFIFO | 0600) {
        atime = mtime = ctime = clock::realtime();
    }

    int64_t read_from(IoBuffer& buffer, bool nonblocking);
    int64_t write_into(IoBuffer& buffer, bool nonblocking);
    unsigned poll(bool read_end);
    uint64_t available() const { return written_ - taken_; }
    void close_end(bool read_end);
    uint32_t readers = 1;
    uint32_t writers = 1;

protected:
    void destroy() override;

private:
    // Moves up to `n` bytes between the ring at byte count `at` and the buffer at `offset`.
    bool copy(uint64_t at, IoBuffer& buffer, uint64_t offset, uint64_t n, bool in);
    void changed();

    sched::Mutex lock_;
    sched::Event event_;
    uint64_t pages_[kCapacity / kPage] = {};
    uint64_t written_ = 0;  // bytes ever written and taken: the ring holds [taken_, written_)
    uint64_t taken_ = 0;
};

constinit mm::ObjectCache<Pipe> g_pipes{"pipe"};

void Pipe::changed() {
    event_.notify();
    sched::io_event().notify();
}

bool Pipe::copy(uint64_t at, IoBuffer& buffer, uint64_t offset, uint64_t n, bool in) {
    for (uint64_t done = 0; done < n;) {
        const uint64_t slot = (at + done) % kCapacity;
        const uint64_t in_page = slot % kPage;
        const uint64_t chunk = kPage - in_page < n - done ? kPage - in_page : n - done;
        uint64_t& page = pages_[slot / kPage];
        if (page == 0) {
            const auto taken = pages::allocate(0);
            if (!taken.ok()) return false;
            page = taken.value();
        }
        char* bytes = memlayout::to_pointer<char>(page) + in_page;
        if (!(in ? buffer.take(offset + done, bytes, chunk)
                 : buffer.give(offset + done, bytes, chunk)))
            return false;
        done += chunk;
    }
    return true;
}

int64_t Pipe::read_from(IoBuffer& buffer, bool nonblocking) {
    if (buffer.size() == 0) return 0;
    for (;;) {
        const uint64_t seen = event_.count();
        bool wait = false;
        int64_t result = 0;
        {
            sched::MutexGuard guard(lock_, KEEL_HERE);
            if (available() > 0) {
                const uint64_t n = buffer.size() < available() ? buffer.size() : available();
                if (copy(taken_, buffer, 0, n, false)) {
                    taken_ += n;
                    atime = clock::realtime();
                    result = static_cast<int64_t>(n);
                } else {
                    result = -EFAULT;
                }
            } else if (writers != 0) {
                wait = !nonblocking;
                result = -EAGAIN;
            }  // else no writer left: end of file, 0
        }
        if (!wait) {
            if (result > 0) changed();
            return result;
        }
        if (event_.wait(seen) == sched::WaitResult::kInterrupted) return signals::kRestartSys;
    }
}

int64_t Pipe::write_into(IoBuffer& buffer, bool nonblocking) {
    uint64_t done = 0;
    const uint64_t total = buffer.size();
    if (total == 0) return 0;  // as Linux: before looking for a reader
    for (;;) {
        const uint64_t seen = event_.count();
        int64_t failure = 0;
        const uint64_t before = done;
        {
            sched::MutexGuard guard(lock_, KEEL_HERE);
            if (readers == 0) {
                signals::raise_self(SIGPIPE);  // and EPIPE, if it lives (pipe(7))
                return partial(done, -EPIPE);
            }
            const uint64_t room = kCapacity - available();
            const uint64_t left = total - done;
            // A write of PIPE_BUF bytes or fewer goes in whole or waits; a longer one as room
            // comes.
            const uint64_t wanted = left <= kPipeBuf ? left : 1;
            if (room >= wanted && left != 0) {
                const uint64_t n = left < room ? left : room;
                if (copy(written_, buffer, done, n, true)) {
                    written_ += n;
                    done += n;
                    mtime = ctime = clock::realtime();
                } else {
                    failure = buffer.is_user() ? -EFAULT : -ENOMEM;
                }
            }
        }
        if (done != before) changed();  // only real progress moves the count we wait on
        if (failure != 0) return partial(done, failure);
        if (done == total) return static_cast<int64_t>(done);
        if (nonblocking) return partial(done, -EAGAIN);
        if (event_.wait(seen) == sched::WaitResult::kInterrupted)
            return partial(done, signals::kRestartSys);
    }
}

unsigned Pipe::poll(bool read_end) {
    sched::MutexGuard guard(lock_, KEEL_HERE);
    if (read_end) return (available() > 0 ? kPollIn : 0) | (writers == 0 ? kPollHup : 0);
    return (kCapacity - available() >= kPipeBuf ? kPollOut : 0) | (readers == 0 ? kPollErr : 0);
}

void Pipe::close_end(bool read_end) {
    {
        sched::MutexGuard guard(lock_, KEEL_HERE);
        --(read_end ? readers : writers);
    }
    changed();  // a reader sees end of file, a writer EPIPE
}

void Pipe::destroy() {
    for (uint64_t page : pages_) {
        if (page != 0) pages::free(page, 0);
    }
    g_pipes.destroy(this);
}

Pipe& pipe_of(File& file) {
    return *static_cast<Pipe*>(file.inode);
}

bool nonblocking(const File& file) {
    return (file.flags & O_NONBLOCK) != 0;
}

class PipeEnd final : public FileOps {
public:
    explicit constexpr PipeEnd(bool read_end) : read_end_(read_end) {}
    int64_t read(File& file, IoBuffer& buffer, uint64_t&) const override {
        return read_end_ ? pipe_of(file).read_from(buffer, nonblocking(file)) : -EBADF;
    }
    int64_t write(File& file, IoBuffer& buffer, uint64_t&) const override {
        return read_end_ ? -EBADF : pipe_of(file).write_into(buffer, nonblocking(file));
    }
    bool seekable() const override { return false; }
    unsigned poll(File& file) const override { return pipe_of(file).poll(read_end_); }
    int64_t ioctl(File& file, uint64_t request, uint64_t argument) const override {
        if (request != FIONREAD) return -ENOTTY;
        const int32_t n = static_cast<int32_t>(pipe_of(file).available());
        IoBuffer out = IoBuffer::user(argument, sizeof n);
        return out.give(0, &n, sizeof n) ? 0 : -EFAULT;
    }
    void release(File& file) const override { pipe_of(file).close_end(read_end_); }

private:
    bool read_end_;
};

constinit PipeEnd g_read_end{true};
constinit PipeEnd g_write_end{false};

}  // namespace

int make_pipe(uint32_t flags, File*& read_end, File*& write_end) {
    Pipe* pipe = g_pipes.make();
    if (pipe == nullptr) return -ENFILE;
    const uint32_t status = flags & O_NONBLOCK;
    {
        FsLock guard;
        read_end = open_file(pipe, g_read_end, O_RDONLY | status);
        write_end = open_file(pipe, g_write_end, O_WRONLY | status);
    }
    if (read_end == nullptr || write_end == nullptr) {
        // No file for an end: neither exists, and the pipe goes with the ends that do.
        if (read_end == nullptr) pipe->readers = 0;
        if (write_end == nullptr) pipe->writers = 0;
        drop(read_end);
        drop(write_end);
        if (read_end == nullptr && write_end == nullptr) g_pipes.destroy(pipe);
        read_end = write_end = nullptr;
        return -ENFILE;
    }
    return 0;
}

}  // namespace keel::fs
