// SPDX-License-Identifier: MIT
// Character devices (include/keel/kernel/fs/devices.h).
#include <keel/abi/errno.h>
#include <keel/abi/fcntl.h>
#include <keel/kernel/fs/devices.h>
#include <keel/kernel/fs/tty.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/random.h>
#include <keel/kernel/rtc.h>

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
            const uint64_t zeroed = buffer.zero_some(done, n);
            done += zeroed;
            if (zeroed < n) return partial(done, -EFAULT);
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
            const uint64_t given = buffer.give_some(done, chunk, n);
            done += given;
            if (given < n) return partial(done, -EFAULT);
        }
        return static_cast<int64_t>(done);
    }
    int64_t write(File&, IoBuffer& buffer, uint64_t&) const override {
        return static_cast<int64_t>(buffer.size());
    }
};

constinit Null g_null;
constinit Zero g_zero{false};
constinit Zero g_full{true};
constinit Random g_random;

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
    case device_number(5, 0):  // /dev/tty: the caller's controlling terminal, if it has one
        return tty::controls_current() ? &tty::console_ops() : nullptr;
    case device_number(5, 1): return &tty::console_ops();
    case device_number(kRtcMajor, 0): return rtc::present() ? &rtc_ops() : nullptr;
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
    if (rtc::present() && dev->lookup(StringView{"rtc0", 4}) == nullptr) {
        (void)dev->create(StringView{"rtc0", 4}, S_IFCHR | 0600, device_number(kRtcMajor, 0));
        if (dev->lookup(StringView{"rtc", 3}) == nullptr)
            (void)dev->create_symlink(StringView{"rtc", 3}, StringView{"rtc0", 4});
    }
    Inode* console = dev->lookup(StringView{"console", 7});
    if (console != nullptr && console->type() == S_IFCHR) {
        console->get();
        g_console_inode = console;
    }
}

File* open_console() {
    FsLock guard;
    return g_console_inode != nullptr ? open_file(g_console_inode, tty::console_ops(), O_RDWR)
                                      : nullptr;
}

}  // namespace keel::fs
