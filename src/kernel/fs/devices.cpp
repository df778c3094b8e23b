// SPDX-License-Identifier: MIT
// Character devices (include/keel/kernel/fs/devices.h).
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/abi/termios.h>
#include <keel/core/console.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/process.h>
#include <keel/kernel/random.h>

namespace keel::fs {
namespace {

constexpr uint64_t kChunk = 256;

// /dev/null: nothing to read, everything written is gone.
class Null final : public FileOps {
public:
    int64_t read(File&, IoBuffer&, uint64_t&) const override { return 0; }
    int64_t write(File&, IoBuffer& buffer, uint64_t&) const override {
        return static_cast<int64_t>(buffer.size());
    }
};

// /dev/zero: zeros; /dev/full: zeros, and no room for a write (ENOSPC).
class Zero final : public FileOps {
public:
    explicit constexpr Zero(bool full) : full_(full) {}
    int64_t read(File&, IoBuffer& buffer, uint64_t&) const override {
        uint64_t done = 0;
        while (done < buffer.size()) {
            const uint64_t n = buffer.size() - done < kChunk ? buffer.size() - done : kChunk;
            if (!buffer.zero(done, n)) return partial(done, -EFAULT);
            done += n;
        }
        return static_cast<int64_t>(done);
    }
    int64_t write(File&, IoBuffer& buffer, uint64_t&) const override {
        return full_ ? -ENOSPC : static_cast<int64_t>(buffer.size());
    }

private:
    bool full_;
};

// /dev/random and /dev/urandom: bytes of keel's generator; writes are taken (and do nothing).
class Random final : public FileOps {
public:
    int64_t read(File&, IoBuffer& buffer, uint64_t&) const override {
        uint8_t chunk[kChunk];
        uint64_t done = 0;
        while (done < buffer.size()) {
            const uint64_t n = buffer.size() - done < kChunk ? buffer.size() - done : kChunk;
            random::bytes(chunk, n);
            if (!buffer.give(done, chunk, n)) return partial(done, -EFAULT);
            done += n;
        }
        return static_cast<int64_t>(done);
    }
    int64_t write(File&, IoBuffer& buffer, uint64_t&) const override {
        return static_cast<int64_t>(buffer.size());
    }
};

// The console, keel's one terminal. Reading: a line typed for the shell's foreground job (any
// other reads end of file, and so does a reader whose job loses the console while it waits):
// echoed as it is typed, Backspace/DEL erase, Enter ends it ("\n" included), Ctrl-D alone is end
// of file. At most what the buffer holds; the rest of a longer line waits for the next read.
class Console final : public FileOps {
public:
    int64_t read(File& file, IoBuffer& buffer, uint64_t&) const override;
    int64_t write(File&, IoBuffer& buffer, uint64_t&) const override;
    bool seekable() const override { return false; }
    unsigned poll(File&) const override {
        return kPollOut | (console::input_pending() ? kPollIn : 0);
    }
    int64_t ioctl(File& file, uint64_t request, uint64_t argument) const override;
};

int64_t Console::read(File&, IoBuffer& buffer, uint64_t&) const {
    if (buffer.size() == 0 || !process::holds_console()) return 0;
    char line[kChunk];
    size_t length = 0;
    const size_t limit = buffer.size() < sizeof line ? buffer.size() : sizeof line;
    while (length < limit) {
        if (!process::holds_console()) break;  // the shell has it back: end of file
        const int byte = console::read_byte();
        if (byte < 0) {
            if (console::cancel_requested()) break;  // Ctrl-C: the shell kills the program
            console::wait_for_input();
            continue;
        }
        if (byte == 0x04 && length == 0) break;  // Ctrl-D: end of file
        if (byte == 0x7f || byte == '\b') {
            if (length > 0) {
                --length;
                console::print("\b \b");
                console::flush();
            }
            continue;
        }
        const char c = byte == '\r' ? '\n' : static_cast<char>(byte);
        if (c != '\n' && (c < ' ' || c > '~')) continue;  // other controls and non-ASCII dropped
        line[length++] = c;
        console::write(&c, 1);
        console::flush();
        if (c == '\n') break;
    }
    if (length != 0 && !buffer.give(0, line, length)) return -EFAULT;
    return static_cast<int64_t>(length);
}

int64_t Console::write(File&, IoBuffer& buffer, uint64_t&) const {
    char chunk[kChunk];
    uint64_t done = 0;
    while (done < buffer.size()) {
        const uint64_t n = buffer.size() - done < kChunk ? buffer.size() - done : kChunk;
        if (!buffer.take(done, chunk, n)) return partial(done, -EFAULT);
        console::write(chunk, n);
        done += n;
    }
    console::flush();
    return static_cast<int64_t>(done);
}

// TCGETS (a terminal: glibc then buffers stdout by line), TIOCGWINSZ (80 x 24); the next issue
// gives the console a real line discipline.
int64_t Console::ioctl(File&, uint64_t request, uint64_t argument) const {
    if (request == TCGETS) {
        struct termios settings = {};
        settings.c_iflag = ICRNL | IXON;
        settings.c_oflag = OPOST | ONLCR;
        settings.c_cflag = B38400 | CS8 | CREAD;
        settings.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN | ECHOCTL | ECHOKE;
        IoBuffer out = IoBuffer::user(argument, sizeof settings);
        return out.give(0, &settings, sizeof settings) ? 0 : -EFAULT;
    }
    if (request == TIOCGWINSZ) {
        const struct winsize size = {24, 80, 0, 0};
        IoBuffer out = IoBuffer::user(argument, sizeof size);
        return out.give(0, &size, sizeof size) ? 0 : -EFAULT;
    }
    return -ENOTTY;
}

constinit Null g_null;
constinit Zero g_zero{false};
constinit Zero g_full{true};
constinit Random g_random;
constinit Console g_console;

struct Node {
    const char* name;
    uint32_t major, minor;
    uint32_t mode;
};
constexpr Node kNodes[] = {
    {"console", 5, 1, 0600}, {"tty", 5, 0, 0666},    {"null", 1, 3, 0666},    {"zero", 1, 5, 0666},
    {"full", 1, 7, 0666},    {"random", 1, 8, 0666}, {"urandom", 1, 9, 0666},
};

}  // namespace

const FileOps* device_ops(uint64_t rdev) {
    switch (rdev) {
    case device_number(1, 3): return &g_null;
    case device_number(1, 5): return &g_zero;
    case device_number(1, 7): return &g_full;
    case device_number(1, 8):
    case device_number(1, 9): return &g_random;
    case device_number(5, 0):  // /dev/tty: the caller's terminal, the console
    case device_number(5, 1): return &g_console;
    default: return nullptr;
    }
}

// The console's inode, held from boot on: a program's fds 0-2 are the console even after
// /dev/console has been removed or replaced.
constinit Inode* g_console_inode = nullptr;

void make_device_nodes(Inode& root) {
    Inode* dev = root.lookup(StringView{"dev", 3});
    if (dev == nullptr) {
        const auto made = root.create(StringView{"dev", 3}, S_IFDIR | 0755, 0);
        if (!made.ok()) return;
        dev = made.value();
    }
    for (const Node& node : kNodes) {
        const StringView name = StringView::of(node.name);
        if (dev->lookup(name) == nullptr)
            (void)dev->create(name, S_IFCHR | node.mode, device_number(node.major, node.minor));
    }
    Inode* console = dev->lookup(StringView{"console", 7});
    if (console != nullptr && console->type() == S_IFCHR) {
        console->get();
        g_console_inode = console;
    }
}

File* open_console() {
    FsLock guard;
    return g_console_inode != nullptr ? open_file(g_console_inode, g_console, O_RDWR) : nullptr;
}

}  // namespace keel::fs
