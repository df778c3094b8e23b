// SPDX-License-Identifier: MIT
// The calls about the system as a whole: its names (uname, sethostname, setdomainname: one
// machine, one set of names, as Linux's first UTS namespace), its kernel log (syslog, what dmesg
// reads), sysinfo (the numbers /proc/meminfo and /proc/loadavg give too), mount and umount2.
#include <keel/abi/errno.h>
#include <keel/abi/sysinfo.h>
#include <keel/abi/syslog.h>
#include <keel/abi/utsname.h>
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/log.h>
#include <keel/kernel/clock.h>
#include <keel/kernel/fs/mounts.h>
#include <keel/kernel/load.h>
#include <keel/kernel/sync.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/system_info.h>
#include <keel/lib/memory.h>

namespace keel::syscalls {
namespace {

using process::Process;

// The names sethostname and setdomainname change; guarded by g_names_lock.
constinit sched::Mutex g_names_lock;
char g_hostname[__NEW_UTS_LEN + 1] = "keel";
char g_domainname[__NEW_UTS_LEN + 1] = "(none)";

// sethostname/setdomainname(name, length): at most 64 bytes, taken as they are (no NUL needed).
int64_t set_name(Process& p, TrapFrame& frame, char (&name)[__NEW_UTS_LEN + 1]) {
    const int32_t length = int_arg(frame, 1);
    if (length < 0 || length > __NEW_UTS_LEN) return -EINVAL;
    char taken[__NEW_UTS_LEN + 1] = {};
    if (!copy_from_user(p, taken, arg(frame, 0), static_cast<uint64_t>(length))) return -EFAULT;
    g_names_lock.lock(KEEL_HERE);
    memcpy(name, taken, sizeof taken);
    g_names_lock.unlock(KEEL_HERE);
    return 0;
}

// Where syslog's consuming READ has got to in the log, and the console level CONSOLE_ON restores.
constinit Atomic<uint64_t> g_read_position{0};
int g_saved_console_level = log::kDefaultConsoleLevel;

// Copies the log from `position` (moved past what was copied: it may have been clamped to the
// oldest byte held) up to `end` out to the program, in chunks; how many bytes, or -EFAULT when
// none could be.
int64_t copy_log(Process& p, uint64_t buffer, uint64_t& position, uint64_t end) {
    uint64_t done = 0;
    char chunk[256];
    while (position < end) {
        const uint64_t want = end - position < sizeof chunk ? end - position : sizeof chunk;
        const size_t n = log::copy(position, chunk, want);
        if (n == 0) break;
        if (!copy_to_user(p, buffer + done, chunk, n))
            return done != 0 ? static_cast<int64_t>(done) : -EFAULT;
        done += n;
    }
    return static_cast<int64_t>(done);
}

// SYSLOG_ACTION_READ: waits until the log has something past the read position (a signal ends
// the wait), then hands out up to `length` bytes of it.
int64_t read_new(Process& p, uint64_t buffer, uint64_t length) {
    for (;;) {
        uint64_t position = g_read_position.load(MemoryOrder::kRelaxed);
        if (position < log::start()) position = log::start();
        const uint64_t end = log::end();
        if (position < end) {
            const uint64_t last = end - position < length ? end : position + length;
            const int64_t done = copy_log(p, buffer, position, last);
            if (done > 0)
                g_read_position.store(position + static_cast<uint64_t>(done),
                                      MemoryOrder::kRelaxed);
            return done;
        }
        sched::Event never;  // the log has no event to wait on: look again every 100 ms
        if (never.wait(never.count(), csr::time() + timer::from_ms(100)) ==
            sched::WaitResult::kInterrupted)
            return signals::kRestartSys;
    }
}

int64_t console_control(int32_t action, int64_t length) {
    switch (action) {
    case SYSLOG_ACTION_CONSOLE_OFF:
        g_saved_console_level = log::console_level();
        log::set_console_level(1);
        return 0;
    case SYSLOG_ACTION_CONSOLE_ON: log::set_console_level(g_saved_console_level); return 0;
    default:  // SYSLOG_ACTION_CONSOLE_LEVEL
        if (length < 1 || length > 8) return -EINVAL;
        log::set_console_level(static_cast<int>(length));
        return 0;
    }
}

}  // namespace

int64_t sys_uname(Process& p, TrapFrame& frame) {
    struct utsname name;
    memset(&name, 0, sizeof name);
    const char* fields[4] = {"keel", "0.1.0", "keel", "riscv64"};
    char* places[4] = {name.sysname, name.release, name.version, name.machine};
    for (int i = 0; i < 4; ++i) memcpy(places[i], fields[i], strlen(fields[i]));
    g_names_lock.lock(KEEL_HERE);
    memcpy(name.nodename, g_hostname, sizeof g_hostname);
    memcpy(name.domainname, g_domainname, sizeof g_domainname);
    g_names_lock.unlock(KEEL_HERE);
    return copy_to_user(p, arg(frame, 0), &name, sizeof name) ? 0 : -EFAULT;
}

int64_t sys_sethostname(Process& p, TrapFrame& frame) {
    return set_name(p, frame, g_hostname);
}
int64_t sys_setdomainname(Process& p, TrapFrame& frame) {
    return set_name(p, frame, g_domainname);
}

// syslog(action, buffer, length): Linux's errnos (EINVAL for a missing buffer or a negative
// length where one is read into, or an unknown action).
int64_t sys_syslog(Process& p, TrapFrame& frame) {
    const int32_t action = int_arg(frame, 0);
    const uint64_t buffer = arg(frame, 1);
    const int64_t length = int_arg(frame, 2);
    switch (action) {
    case SYSLOG_ACTION_CLOSE:
    case SYSLOG_ACTION_OPEN: return 0;
    case SYSLOG_ACTION_READ:
    case SYSLOG_ACTION_READ_ALL:
    case SYSLOG_ACTION_READ_CLEAR: {
        if (buffer == 0 || length < 0) return -EINVAL;
        if (length == 0) return 0;
        if (action == SYSLOG_ACTION_READ) return read_new(p, buffer, static_cast<uint64_t>(length));
        const uint64_t end = log::end();
        uint64_t position = log::newest(static_cast<size_t>(length));
        const int64_t done = copy_log(p, buffer, position, end);
        if (action == SYSLOG_ACTION_READ_CLEAR && done >= 0) log::clear(end);
        return done;
    }
    case SYSLOG_ACTION_CLEAR: log::clear(log::end()); return 0;
    case SYSLOG_ACTION_CONSOLE_OFF:
    case SYSLOG_ACTION_CONSOLE_ON:
    case SYSLOG_ACTION_CONSOLE_LEVEL: return console_control(action, length);
    case SYSLOG_ACTION_SIZE_UNREAD: {
        const uint64_t position = g_read_position.load(MemoryOrder::kRelaxed);
        const uint64_t start = log::start();
        return static_cast<int64_t>(log::end() - (position > start ? position : start));
    }
    case SYSLOG_ACTION_SIZE_BUFFER: return static_cast<int64_t>(log::kCapacity);
    default: return -EINVAL;
    }
}

int64_t sys_sysinfo(Process& p, TrapFrame& frame) {
    struct sysinfo info;
    memset(&info, 0, sizeof info);
    const clock::Time up = clock::monotonic();  // rounded up, as Linux's
    info.uptime = up.seconds + (up.nanoseconds != 0 ? 1 : 0);
    const loadavg::Averages averages = sched::load_averages();
    for (int i = 0; i < 3; ++i) info.loads[i] = loadavg::to_sysinfo(averages.load[i]);
    const system::Memory memory = system::memory();
    info.totalram = memory.total;
    info.freeram = memory.free;
    info.sharedram = memory.shared;
    info.bufferram = memory.buffers;
    const uint64_t processes = system::processes().all;
    info.procs = static_cast<uint16_t>(processes > 0xffff ? 0xffff : processes);
    info.mem_unit = 1;
    return copy_to_user(p, arg(frame, 0), &info, sizeof info) ? 0 : -EFAULT;
}

int64_t sys_mount(Process& p, TrapFrame& frame) {
    return fs::mount(fs::At{p.fs, *p.fds, fs::kAtFdcwd}, arg(frame, 0), arg(frame, 1),
                     arg(frame, 2), arg(frame, 3), arg(frame, 4));
}

int64_t sys_umount2(Process& p, TrapFrame& frame) {
    return fs::unmount(fs::At{p.fs, *p.fds, fs::kAtFdcwd}, arg(frame, 0), uint_arg(frame, 1));
}

}  // namespace keel::syscalls
