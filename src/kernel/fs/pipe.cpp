// SPDX-License-Identifier: MIT
// Pipes and FIFOs (include/keel/kernel/fs/pipe.h), as Linux's (man 7 pipe, man 7 fifo): a 64 KiB
// buffer, its pages taken as writes need them; a read blocks until there are bytes or no writer
// is left (end of file); a write blocks until there is room, and writes of PIPE_BUF (4096) bytes
// or fewer go in whole; a write with no reader left is EPIPE; O_NONBLOCK makes either EAGAIN
// instead of blocking. pipe2's ends are open files of an anonymous inode (fstat: a fifo); a FIFO's
// openers share the pipe its inode has while one of them is open, which goes (with what it holds)
// when the last closes. A change wakes the other ends, openers waiting for a partner, and ppoll.
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
constexpr uint64_t kPipeBuf = 4096;  // PIPE_BUF: writes this small are atomic

class PipeFs final : public FileSystem {
public:
    constexpr PipeFs() : FileSystem("pipefs", device_number(0, 0), kPipefsMagic) {}
};
constinit PipeFs g_pipefs;
constinit uint64_t g_next_ino = 1;

// pipe2's inode: no name, in no directory; it goes with the last end.
class AnonymousPipe final : public Inode {
public:
    AnonymousPipe() : Inode(g_pipefs, g_next_ino++, S_IFIFO | 0600) {
        atime = mtime = ctime = clock::realtime();
    }

protected:
    void destroy() override;
};

constinit mm::ObjectCache<AnonymousPipe> g_anonymous{"pipe inode"};

void AnonymousPipe::destroy() {
    g_anonymous.destroy(this);
}

}  // namespace

// The buffer and its ends. The counts of ends change with both the file system lock and the
// pipe's own held (open and close hold the first), so either lock reads them.
class Pipe {
public:
    explicit Pipe(Inode& inode) : inode_(inode) {}
    ~Pipe();
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;

    int64_t read_from(IoBuffer& buffer, bool nonblocking);
    int64_t write_into(IoBuffer& buffer, bool nonblocking);
    unsigned poll(const File& file);
    uint64_t available() const { return written_ - taken_; }
    // With the file system lock held: `file` becomes an end (a reader, a writer, or both), and
    // stops being one; leave says whether no end is left (the pipe is then the caller's to free).
    void join(File& file);
    bool leave(const File& file);
    // Sleeps until the other side's opens move past `seen` (fifo(7)): 0, or kRestartSys.
    int wait_for_partner(bool reader, uint64_t seen);

    uint32_t readers = 0;
    uint32_t writers = 0;
    uint64_t reader_opens = 0;  // ends ever opened: an opener waits for the other count to move
    uint64_t writer_opens = 0;

private:
    // Moves up to `n` bytes between the ring at byte count `at` and the buffer at `offset`.
    uint64_t copy(uint64_t at, IoBuffer& buffer, uint64_t offset, uint64_t n, bool in);
    uint64_t copy_units(uint64_t at, IoBuffer& buffer, uint64_t offset, uint64_t n, bool in,
                        uint64_t first);
    void changed();

    Inode& inode_;  // whose times reads and writes change
    sched::Mutex lock_;
    sched::Event event_;
    uint64_t pages_[kCapacity / kPage] = {};
    uint64_t written_ = 0;  // bytes ever written and taken: the ring holds [taken_, written_)
    uint64_t taken_ = 0;
    bool no_page_ = false;  // the last copy stopped for want of a page (ENOMEM, not EFAULT)
};

namespace {
constinit mm::ObjectCache<Pipe> g_pipes{"pipe"};
}  // namespace

Pipe::~Pipe() {
    for (uint64_t page : pages_) {
        if (page != 0) pages::free(page, 0);
    }
}

void Pipe::changed() {
    event_.notify();
    sched::io_event().notify();
}

// Copies n bytes between the ring at `at` and the buffer at `offset`: how many went before a
// hole in the buffer, or a page the ring could not have.
uint64_t Pipe::copy(uint64_t at, IoBuffer& buffer, uint64_t offset, uint64_t n, bool in) {
    no_page_ = false;
    for (uint64_t done = 0; done < n;) {
        const uint64_t slot = (at + done) % kCapacity;
        const uint64_t in_page = slot % kPage;
        const uint64_t chunk = kPage - in_page < n - done ? kPage - in_page : n - done;
        uint64_t& page = pages_[slot / kPage];
        if (page == 0) {
            const auto taken = pages::allocate(0);
            no_page_ = !taken.ok();
            if (no_page_) return done;
            page = taken.value();
        }
        char* bytes = memlayout::to_pointer<char>(page) + in_page;
        if (!(in ? buffer.take(offset + done, bytes, chunk)
                 : buffer.give(offset + done, bytes, chunk)))
            return done;
        done += chunk;
    }
    return n;
}

// As copy(), in Linux's units: its pipe moves whole buffers of a page, so a copy that meets a
// hole counts only the units before the one it was in. The first unit is `first` bytes (a write's
// tail, merged into the last page written: Linux's pipe_write), the others a page.
uint64_t Pipe::copy_units(uint64_t at, IoBuffer& buffer, uint64_t offset, uint64_t n, bool in,
                          uint64_t first) {
    uint64_t done = 0;
    for (uint64_t unit = first != 0 ? first : kPage; done < n; unit = kPage) {
        if (unit > n - done) unit = n - done;
        if (copy(at + done, buffer, offset + done, unit, in) != unit) break;
        done += unit;
    }
    return done;
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
                const uint64_t moved = copy_units(taken_, buffer, 0, n, false, 0);
                taken_ += moved;
                if (moved != 0) inode_.atime = clock::realtime();
                result = moved != 0 ? static_cast<int64_t>(moved) : -EFAULT;
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
                // A write's tail goes into the last page written, if that has room for it.
                const uint64_t tail = done == 0 && available() != 0 ? total % kPage : 0;
                const uint64_t last = written_ % kPage;  // 0: the last page written is full
                const uint64_t first = last != 0 && last + tail <= kPage ? tail : 0;
                uint64_t moved = copy_units(written_, buffer, done, n, true, first);
                if (left <= kPipeBuf && moved != n) moved = 0;  // a PIPE_BUF write: all or none
                written_ += moved;
                done += moved;
                if (moved != 0) inode_.mtime = inode_.ctime = clock::realtime();
                if (moved != n) failure = no_page_ || !buffer.is_user() ? -ENOMEM : -EFAULT;
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

unsigned Pipe::poll(const File& file) {
    sched::MutexGuard guard(lock_, KEEL_HERE);
    unsigned ready = 0;
    if (file.readable()) {
        if (available() > 0) ready |= kPollIn;
        // A FIFO's reader opened with O_NONBLOCK and no writer keeps the writers' count it saw
        // in its offset (a pipe's file has none): no hang-up until a writer has come and gone.
        if (writers == 0 && file.offset != writer_opens) ready |= kPollHup;
    }
    if (file.writable()) {
        if (kCapacity - available() >= kPipeBuf) ready |= kPollOut;
        if (readers == 0) ready |= kPollErr;
    }
    return ready;
}

void Pipe::join(File& file) {
    {
        sched::MutexGuard guard(lock_, KEEL_HERE);
        if (file.readable()) {
            ++readers;
            ++reader_opens;
        }
        if (file.writable()) {
            ++writers;
            ++writer_opens;
        }
    }
    file.object = this;
    changed();  // an opener waiting for a partner
}

bool Pipe::leave(const File& file) {
    bool idle;
    {
        sched::MutexGuard guard(lock_, KEEL_HERE);
        if (file.readable()) --readers;
        if (file.writable()) --writers;
        idle = readers == 0 && writers == 0;
    }
    if (!idle) changed();  // a reader sees end of file, a writer EPIPE
    return idle;
}

int Pipe::wait_for_partner(bool reader, uint64_t seen_opens) {
    for (;;) {
        const uint64_t seen = event_.count();
        {
            sched::MutexGuard guard(lock_, KEEL_HERE);
            if ((reader ? writer_opens : reader_opens) != seen_opens) return 0;
        }
        if (event_.wait(seen) == sched::WaitResult::kInterrupted)
            return static_cast<int>(signals::kRestartSys);
    }
}

namespace {

Pipe& pipe_of(File& file) {
    return *static_cast<Pipe*>(file.object);
}

bool nonblocking(const File& file) {
    return (file.flags & O_NONBLOCK) != 0;
}

// An end's going, without the file system lock: the last takes the pipe with it.
void release_end(File& file) {
    auto* pipe = static_cast<Pipe*>(file.object);
    if (pipe == nullptr) return;  // a FIFO's open that failed before it joined
    bool idle;
    {
        FsLock guard;
        idle = pipe->leave(file);
        if (idle) file.inode->pipe = nullptr;
    }
    file.object = nullptr;
    if (idle) g_pipes.destroy(pipe);  // what is left in it is gone, as on Linux
}

class PipeOps final : public FileOps {
public:
    int64_t read(File& file, IoBuffer& buffer, uint64_t&) const override {
        return file.readable() ? pipe_of(file).read_from(buffer, nonblocking(file)) : -EBADF;
    }
    int64_t write(File& file, IoBuffer& buffer, uint64_t&) const override {
        return file.writable() ? pipe_of(file).write_into(buffer, nonblocking(file)) : -EBADF;
    }
    bool seekable() const override { return false; }
    unsigned poll(File& file) const override { return pipe_of(file).poll(file); }
    int64_t ioctl(File& file, uint64_t request, uint64_t argument) const override {
        if (request != FIONREAD) return -ENOTTY;
        const int32_t n = static_cast<int32_t>(pipe_of(file).available());
        IoBuffer out = IoBuffer::user(argument, sizeof n);
        return out.give(0, &n, sizeof n) ? 0 : -EFAULT;
    }
    void release(File& file) const override { release_end(file); }
};

constinit PipeOps g_pipe_ops;

}  // namespace

const FileOps& fifo_ops() {
    return g_pipe_ops;
}

int make_pipe(uint32_t flags, File*& read_end, File*& write_end) {
    read_end = write_end = nullptr;
    AnonymousPipe* inode = g_anonymous.make();
    if (inode == nullptr) return -ENFILE;
    Pipe* pipe = g_pipes.make(*inode);
    const uint32_t status = flags & O_NONBLOCK;
    bool made = false;
    {
        FsLock guard;
        inode->get();  // ours until the ends hold it
        if (pipe != nullptr) {
            read_end = open_file(inode, g_pipe_ops, O_RDONLY | status);
            write_end = open_file(inode, g_pipe_ops, O_WRONLY | status);
        }
        made = read_end != nullptr && write_end != nullptr;
        if (made) {
            inode->pipe = pipe;
            pipe->join(*read_end);
            pipe->join(*write_end);
        }
    }
    if (!made) {
        drop(read_end);  // (neither joined: only its hold on the inode goes)
        drop(write_end);
        if (pipe != nullptr) g_pipes.destroy(pipe);
        read_end = write_end = nullptr;
    }
    FsLock guard;
    inode->put();  // the ends hold it now, or nothing does and it goes
    return made ? 0 : -ENFILE;
}

int open_fifo(File& file) {
    const bool reads = file.readable();
    const bool writes = file.writable();
    Pipe* pipe = nullptr;
    uint64_t seen = 0;
    bool wait = false;
    {
        FsLock guard;
        pipe = file.inode->pipe;
        // A writer that would wait with O_NONBLOCK: ENXIO instead (open(2)).
        const bool no_reader = pipe == nullptr || pipe->readers == 0;
        if (writes && !reads && nonblocking(file) && no_reader) return -ENXIO;
        if (pipe == nullptr) {
            pipe = g_pipes.make(*file.inode);
            if (pipe == nullptr) return -ENOMEM;
            file.inode->pipe = pipe;
        }
        pipe->join(file);
        if (reads && !writes && pipe->writers == 0) {
            if (nonblocking(file)) file.offset = pipe->writer_opens;  // (Pipe::poll)
            wait = !nonblocking(file);
            seen = pipe->writer_opens;
        } else if (writes && !reads && pipe->readers == 0) {
            wait = true;
            seen = pipe->reader_opens;
        }
    }
    return wait ? pipe->wait_for_partner(reads, seen) : 0;
}

}  // namespace keel::fs
