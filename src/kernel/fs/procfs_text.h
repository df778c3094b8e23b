// SPDX-License-Identifier: MIT
// proc's inside (src/kernel/fs/procfs*.cpp): what each file makes, into one text buffer that the
// file system lock guards (each read makes its text there and copies the part asked for).
#pragma once
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/fs/procfs.h>
#include <keel/lib/format.h>

namespace keel::fs::proc {

// `time` CSR units in USER_HZ (100 a second) clock ticks, as /proc counts.
inline uint64_t clock_ticks(uint64_t time) {
    return time / (timer::frequency() / 100);
}

// The text being made: what fits of it (32 KiB), and whether something did not.
class Text {
public:
    static constexpr size_t kCapacity = 32 * 1024;
    template <typename... Args>
    void add(const char* format, const Args&... args) {
        BufferSink sink(buffer_ + length_, kCapacity - length_);
        keel::format(sink, format, args...);
        length_ += sink.length();
    }
    void add_bytes(const char* bytes, size_t n);
    void clear() { length_ = 0; }
    const char* data() const { return buffer_; }
    size_t size() const { return length_; }
    // Room left, for a writer that fills the buffer itself (then grow() by what it wrote).
    char* end() { return buffer_ + length_; }
    size_t room() const { return kCapacity - 1 - length_; }
    void grow(size_t n) { length_ += n; }

private:
    char buffer_[kCapacity] = {};
    size_t length_ = 0;
};

// What a file is: the system files, a process's directory and its files.
enum class Kind : uint8_t {
    kRoot,
    kSelf,
    kMeminfo,
    kUptime,
    kLoadavg,
    kStat,
    kMounts,
    kCpuinfo,
    kVersion,
    kFilesystems,
    kPidDir,  // a process's: the kinds from here on name a pid
    kPidStat,
    kPidStatus,
    kPidCmdline,
    kPidComm,
    kPidExe,
    kPidCwd,
    kPidMaps,
    kPidMounts,
    kPidFdDir,
    kPidFd,  // one descriptor's link
};

// The system files' text (procfs_system.cpp).
void make_system_text(Kind kind, Text& out);
// A process's file's text, or its link's target: false when the process is gone (ESRCH/ENOENT)
// or has nothing there (a zombie's exe).
bool make_process_text(Kind kind, uint64_t pid, int fd, Text& out);
// /proc/PID/maps (procfs_maps.cpp): false when the process is gone.
bool make_maps(uint64_t pid, Text& out);
// What an fd link of `inode` says (its path, pipe:[N]...), as /proc/PID/maps names a file too.
void file_link(Inode* inode, Text& out);
// Whether `pid` is a process now (a zombie too); the next pid from `from` on (0: none).
bool process_exists(uint64_t pid);
uint64_t next_pid(uint64_t from);
// Whether `fd` is open in process `pid`; the next open one from `from` (-1: none).
int next_fd(uint64_t pid, int from);
// An fd link's mode, as Linux's: r-x for a file open for reading, -wx for writing, rwx for both.
uint32_t fd_link_mode(uint64_t pid, int fd);
// The calling process's pid.
uint64_t caller_pid();

}  // namespace keel::fs::proc
