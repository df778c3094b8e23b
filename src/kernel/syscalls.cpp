// SPDX-License-Identifier: MIT
// The syscalls keel implements (include/keel/kernel/syscalls.h, docs/syscalls.md).
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/kernel/process.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/syscall_calls.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/vm.h>
#include <keel/lib/memory.h>
#include <keel/mm/pages.h>

namespace keel::syscalls {
namespace {

using process::kPage;
using process::Process;

// Syscall numbers (include/uapi/asm-generic/unistd.h).
enum Number : uint64_t {
    kIoctl = 29,
    kOpenat = 56,
    kClose = 57,
    kGetdents64 = 61,
    kLseek = 62,
    kRead = 63,
    kWrite = 64,
    kWritev = 66,
    kReadlinkat = 78,
    kNewfstatat = 79,
    kFstat = 80,
    kExit = 93,
    kExitGroup = 94,
    kSetTidAddress = 96,
    kSetRobustList = 99,
    kNanosleep = 101,
    kClockNanosleep = 115,
    kClockGettime = 113,
    kClockGetres = 114,
    kSchedYield = 124,
    kUname = 160,
    kGetpid = 172,
    kGetppid = 173,
    kGettid = 178,
    kBrk = 214,
    kMunmap = 215,
    kMmap = 222,
    kMprotect = 226,
    kMremap = 216,
    kMadvise = 233,
    kKill = 129,
    kClone = 220,
    kExecve = 221,
    kWait4 = 260,
    kPrlimit64 = 261,
    kGetrandom = 278,
    kSetgid = 144,
    kSetuid = 146,
    kPrctl = 167,
    kGetuid = 174,
    kGeteuid = 175,
    kGetgid = 176,
    kGetegid = 177,
    kRiscvHwprobe = 258,
    kRseq = 293,
};

// Every byte of [address, address + size) the program's, with `access`, its pages present. With
// no page left for it, the process is killed as the page fault would have: the kill takes effect
// on its way back to user mode (the call may hold locks it must first let go of).
bool user_range(Process& p, uint64_t address, uint64_t size, process::Access access) {
    const process::FaultResult result = p.memory.prepare(address, size, access);
    if (result == process::FaultResult::kNoMemory) process::out_of_memory(p, address);
    return result == process::FaultResult::kMapped;
}

int64_t write_console(Process& p, uint64_t buffer, uint64_t count) {
    // As Linux's access_ok: a range reaching past user memory is refused whole; one that runs
    // into an unmapped page writes what comes before it.
    if (buffer + count < buffer || buffer + count > memlayout::kUserTop) return -kEfault;
    char chunk[256];
    for (uint64_t done = 0; done < count;) {
        const uint64_t n = count - done < sizeof chunk ? count - done : sizeof chunk;
        if (!copy_from_user(p, chunk, buffer + done, n))
            return done != 0 ? static_cast<int64_t>(done) : -kEfault;
        console::write(chunk, n);
        done += n;
    }
    console::flush();
    return static_cast<int64_t>(count);
}

int64_t do_write(Process& p, uint64_t fd, uint64_t buffer, uint64_t count) {
    if (fd == 0 || (fd >= 3 && fd < process::kMaxFiles && p.files[fd].open)) return -kEbadf;
    if (fd != 1 && fd != 2) return -kEbadf;
    return write_console(p, buffer, count);
}

// writev(fd, iov, iovcnt): struct iovec { void* base; size_t len; }.
int64_t do_writev(Process& p, uint64_t fd, uint64_t vector, uint64_t count) {
    if (fd != 1 && fd != 2) return -kEbadf;
    if (count > 1024) return -kEinval;
    // As Linux: lengths that sum past SSIZE_MAX are refused before anything is written.
    uint64_t sum = 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t length;
        if (!copy_from_user(p, &length, vector + i * 16 + 8, 8)) return -kEfault;
        if (length > uint64_t{INT64_MAX} - sum) return -kEinval;
        sum += length;
    }
    int64_t total = 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t iov[2];
        if (!copy_from_user(p, iov, vector + i * 16, 16)) return -kEfault;
        const int64_t written = write_console(p, iov[0], iov[1]);
        if (written < 0) return total != 0 ? total : written;
        total += written;
    }
    return total;
}

// struct utsname: six fields of 65 bytes.
int64_t do_uname(Process& p, uint64_t buffer) {
    char name[6][65] = {};
    const char* fields[6] = {"keel", "keel", "0.1.0", "keel", "riscv64", ""};
    for (int i = 0; i < 6; ++i) {
        for (int j = 0; fields[i][j] != '\0' && j < 64; ++j) name[i][j] = fields[i][j];
    }
    return copy_to_user(p, buffer, name, sizeof name) ? 0 : -kEfault;
}

// The clocks keel knows (linux/time.h): realtime, monotonic, the CPU-time ones, raw, coarse and
// boottime all read the one counter (time since boot; the CPU-time clocks too, for now).
constexpr uint64_t kClockBoottime = 7;
constexpr uint64_t kClockTai = 11;
constexpr uint64_t kTimerAbstime = 1;

// A clock clock_gettime and clock_getres read: 0-7 and CLOCK_TAI.
bool readable_clock(uint64_t clock) {
    return clock <= kClockBoottime || clock == kClockTai;
}

int64_t do_clock_gettime(Process& p, uint64_t clock, uint64_t timespec) {
    if (!readable_clock(clock)) return -kEinval;
    const uint64_t ticks = csr::time();
    const uint64_t hz = timer::frequency();
    const uint64_t value[2] = {ticks / hz, ticks % hz * 1'000'000'000 / hz};
    return copy_to_user(p, timespec, value, sizeof value) ? 0 : -kEfault;
}

// A struct timespec from the program, in whole milliseconds (rounded up): -EFAULT, or -EINVAL
// for a negative time or nanoseconds past a second. Times past 2^40 ms (34 years) are that.
int64_t timespec_ms(Process& p, uint64_t request, uint64_t& ms) {
    int64_t value[2];
    if (!copy_from_user(p, value, request, sizeof value)) return -kEfault;
    if (value[0] < 0 || value[1] < 0 || value[1] >= 1'000'000'000) return -kEinval;
    constexpr uint64_t kLongest = uint64_t{1} << 40;
    const auto seconds = static_cast<uint64_t>(value[0]);
    const uint64_t part = (static_cast<uint64_t>(value[1]) + 999'999) / 1'000'000;
    ms = seconds >= kLongest / 1000 ? kLongest : seconds * 1000 + part;
    return 0;
}

// clock_getres: the time CSR's period (100 ns at QEMU's 10 MHz), for the clocks clock_gettime
// reads.
int64_t do_clock_getres(Process& p, uint64_t clock, uint64_t resolution) {
    if (!readable_clock(clock)) return -kEinval;
    const uint64_t hz = timer::frequency();
    const uint64_t value[2] = {0, hz >= 1'000'000'000 ? 1 : (1'000'000'000 + hz - 1) / hz};
    if (resolution != 0 && !copy_to_user(p, resolution, value, sizeof value)) return -kEfault;
    return 0;
}

int64_t do_nanosleep(Process& p, uint64_t request) {
    uint64_t ms;
    if (const int64_t error = timespec_ms(p, request, ms); error != 0) return error;
    sched::sleep_ms(ms);
    return 0;
}

int64_t do_getrandom(Process& p, uint64_t buffer, uint64_t size) {
    static uint64_t state = 0x2545f4914f6cdd1dull;
    uint8_t chunk[512 + 8];  // room for the last step's whole word
    for (uint64_t done = 0; done < size;) {
        const uint64_t n = size - done < sizeof chunk ? size - done : sizeof chunk;
        for (uint64_t i = 0; i < n; i += 8) {  // a word per step
            state ^= csr::time();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            memcpy(chunk + i, &state, 8);
        }
        if (!copy_to_user(p, buffer + done, chunk, n))
            return done != 0 ? static_cast<int64_t>(done) : -kEfault;
        done += n;
    }
    return static_cast<int64_t>(size);
}

// ioctl on the console (fds 0-2): TCGETS (a terminal: glibc then buffers stdout by line) and
// TIOCGWINSZ (80 x 24); nothing else is a terminal.
int64_t do_ioctl(Process& p, uint64_t fd, uint64_t request, uint64_t argument) {
    constexpr uint64_t kTcgets = 0x5401;
    constexpr uint64_t kTiocgwinsz = 0x5413;
    if (fd > 2) return fd < process::kMaxFiles && p.files[fd].open ? -kEnotty : -kEbadf;
    if (request == kTcgets) {
        // struct termios (asm-generic termbits.h): iflag, oflag, cflag, lflag, line, cc[19].
        uint8_t termios[36] = {};
        const uint32_t flags[4] = {0x0500 /* ICRNL|IXON */, 0x0005 /* OPOST|ONLCR */,
                                   0x00bf /* B38400|CS8|CREAD */, 0x8a3b /* ISIG|ICANON|ECHO.. */};
        memcpy(termios, flags, sizeof flags);
        return copy_to_user(p, argument, termios, sizeof termios) ? 0 : -kEfault;
    }
    if (request == kTiocgwinsz) {
        const uint16_t size[4] = {24, 80, 0, 0};  // rows, columns, pixels
        return copy_to_user(p, argument, size, sizeof size) ? 0 : -kEfault;
    }
    return -kEnotty;
}

// clock_nanosleep(clock, flags, request, remain): relative, or absolute (TIMER_ABSTIME) on the
// clock clock_gettime reads.
int64_t do_clock_nanosleep(Process& p, uint64_t clock, uint64_t flags, uint64_t request) {
    // As Linux: realtime, monotonic, boottime and the process's CPU clock sleep; the thread's
    // CPU clock cannot; raw and coarse clocks are not supported for sleeping.
    constexpr uint64_t kThreadCputime = 3;
    if ((flags & ~kTimerAbstime) != 0 || clock == kThreadCputime || clock > kClockBoottime)
        return -kEinval;
    if (clock > kThreadCputime && clock < kClockBoottime) return -kEopnotsupp;
    uint64_t ms;
    if (const int64_t error = timespec_ms(p, request, ms); error != 0) return error;
    if ((flags & kTimerAbstime) != 0) {
        const uint64_t now_ms = csr::time() / (timer::frequency() / 1000);
        ms = ms > now_ms ? ms - now_ms : 0;
    }
    sched::sleep_ms(ms);
    return 0;
}

// prlimit64(pid, resource, new, old): limits cannot be changed; the stack's is Linux's default
// 8 MiB (unlimited hard limit), the rest unlimited.
int64_t do_prlimit(Process& p, uint64_t resource, uint64_t old_limit) {
    constexpr uint64_t kStack = 3;  // RLIMIT_STACK
    const uint64_t infinity = ~uint64_t{0};
    const uint64_t limit[2] = {resource == kStack ? process::kStackLimit : infinity, infinity};
    if (old_limit != 0 && !copy_to_user(p, old_limit, limit, sizeof limit)) return -kEfault;
    return 0;
}

// prctl: the name a process goes by (PR_SET_NAME 15, PR_GET_NAME 16: 16 bytes with the NUL);
// every other option is -EINVAL.
int64_t do_prctl(Process& p, uint64_t option, uint64_t argument) {
    constexpr uint64_t kSetName = 15;
    constexpr uint64_t kGetName = 16;
    if (option == kGetName) return copy_to_user(p, argument, p.name, sizeof p.name) ? 0 : -kEfault;
    if (option != kSetName) return -kEinval;
    char name[sizeof p.name] = {};
    for (size_t i = 0; i + 1 < sizeof name; ++i) {
        if (!copy_from_user(p, &name[i], argument + i, 1)) return -kEfault;
        if (name[i] == '\0') break;
    }
    for (size_t i = 0; i < sizeof name; ++i) p.name[i] = name[i];
    return 0;
}

const char* name_of(uint64_t number) {
    switch (number) {
    case 56: return "openat";
    case 57: return "close";
    case 62: return "lseek";
    case 63: return "read";
    case 78: return "readlinkat";
    case 79: return "newfstatat";
    case 80: return "fstat";
    case 61: return "getdents64";
    case 215: return "munmap";
    case 220: return "clone";
    case 221: return "execve";
    case 222: return "mmap";
    case 226: return "mprotect";
    case 260: return "wait4";
    case 129: return "kill";
    case 261: return "prlimit64";
    default: return nullptr;
    }
}

int64_t unknown(Process& p, uint64_t number) {
    // A bit for each number below 511; every number from 511 on shares the last one (only the
    // first of those is logged: a program cannot flood the console with them).
    const uint64_t bit = number < 511 ? number : 511;
    const uint64_t mask = uint64_t{1} << (bit % 64);
    if ((p.warned[bit / 64] & mask) == 0) {
        p.warned[bit / 64] |= mask;
        const char* name = name_of(number);
        console::print("{}[{}]: syscall {}{}{}{} is not implemented: -ENOSYS\n", p.name, p.pid,
                       number, name != nullptr ? " (" : "", name != nullptr ? name : "",
                       name != nullptr ? ")" : "");
    }
    return -kEnosys;
}

}  // namespace

bool user_writable(Process& p, uint64_t address, uint64_t size) {
    return user_range(p, address, size, process::Access::kWrite);
}

bool copy_from_user(Process& p, void* to, uint64_t from, uint64_t size) {
    if (!user_range(p, from, size, process::Access::kRead)) return false;
    KEEL_CSR_SET(sstatus, csr::kSstatusSum);
    memcpy(to, reinterpret_cast<const void*>(from), size);
    KEEL_CSR_CLEAR(sstatus, csr::kSstatusSum);
    return true;
}

bool copy_to_user(Process& p, uint64_t to, const void* from, uint64_t size) {
    if (!user_range(p, to, size, process::Access::kWrite)) return false;
    KEEL_CSR_SET(sstatus, csr::kSstatusSum);
    memcpy(reinterpret_cast<void*>(to), from, size);
    KEEL_CSR_CLEAR(sstatus, csr::kSstatusSum);
    return true;
}

int64_t dispatch(Process& p, TrapFrame& frame) {
    const uint64_t number = frame.regs[17];  // a7
    const uint64_t* a = &frame.regs[10];     // a0..a5
    // The program waits in a syscall like any task: with interrupts on (the trap turned them off).
    csr::enable_interrupts();
    int64_t result;
    switch (number) {
    case kWrite: result = do_write(p, a[0], a[1], a[2]); break;
    case kWritev: result = do_writev(p, a[0], a[1], a[2]); break;
    case kExit:
    case kExitGroup: process::exit_current(static_cast<int>((a[0] & 0xff) << 8));
    case kGetpid:
    case kGettid:
    case kSetTidAddress: result = static_cast<int64_t>(p.pid); break;
    case kGetppid: result = static_cast<int64_t>(p.parent); break;
    // One user, root: every id is 0, and root may take any (nothing changes). No robust futex
    // list to keep either: there are no threads.
    case kSetRobustList:
    case kGetuid:
    case kGeteuid:
    case kGetgid:
    case kGetegid:
    case kSetuid:
    case kSetgid: result = 0; break;
    case kPrctl: result = do_prctl(p, a[0], a[1]); break;
    // Refused without a word, as glibc expects of an older kernel: it does without them.
    case kRseq:
    case kRiscvHwprobe: result = -kEnosys; break;
    case kSchedYield:
        sched::yield();
        result = 0;
        break;
    case kBrk: result = brk(p, a[0]); break;
    case kMmap: result = mmap(p, a[0], a[1], a[2], a[3], static_cast<int32_t>(a[4]), a[5]); break;
    case kMremap: result = mremap(p, a[0], a[1], a[2], a[3], a[4]); break;
    case kMadvise: result = madvise(p, a[0], a[1], a[2]); break;
    case kMunmap: result = munmap(p, a[0], a[1]); break;
    case kMprotect: result = mprotect(p, a[0], a[1], a[2]); break;
    case kOpenat: result = openat(p, static_cast<int64_t>(a[0]), a[1], a[2]); break;
    case kClose: result = close(p, static_cast<int64_t>(a[0])); break;
    case kRead: result = read(p, static_cast<int64_t>(a[0]), a[1], a[2]); break;
    case kLseek:
        result = lseek(p, static_cast<int64_t>(a[0]), static_cast<int64_t>(a[1]), a[2]);
        break;
    case kNewfstatat: result = fstatat(p, static_cast<int64_t>(a[0]), a[1], a[2], a[3]); break;
    case kFstat: result = fstat(p, static_cast<int64_t>(a[0]), a[1]); break;
    case kGetdents64: result = getdents64(p, static_cast<int64_t>(a[0]), a[1], a[2]); break;
    case kReadlinkat: result = -kEnoent; break;  // no /proc: glibc does without
    case kClone: result = clone(p, frame, a[0], a[1], a[2], a[4]); break;
    case kWait4: result = wait4(p, static_cast<int64_t>(a[0]), a[1], a[2]); break;
    case kExecve: result = execve(p, frame, a[0], a[1]); break;
    case kKill: result = kill(p, static_cast<int64_t>(a[0]), static_cast<int64_t>(a[1])); break;
    case kPrlimit64: result = do_prlimit(p, a[1], a[3]); break;
    case kUname: result = do_uname(p, a[0]); break;
    case kClockGettime: result = do_clock_gettime(p, a[0], a[1]); break;
    case kClockGetres: result = do_clock_getres(p, a[0], a[1]); break;
    case kNanosleep: result = do_nanosleep(p, a[0]); break;
    case kGetrandom: result = do_getrandom(p, a[0], a[1]); break;
    case kIoctl: result = do_ioctl(p, a[0], a[1], a[2]); break;
    case kClockNanosleep: result = do_clock_nanosleep(p, a[0], a[1], a[2]); break;
    default: result = unknown(p, number);
    }
    csr::disable_interrupts();  // back to the trap exit, which restores the program's sstatus
    return result;
}

}  // namespace keel::syscalls
