// SPDX-License-Identifier: MIT
// The calls about the system as a whole: sysinfo (the numbers /proc/meminfo and /proc/loadavg
// give too), mount and umount2.
#include <keel/abi/errno.h>
#include <keel/abi/sysinfo.h>
#include <keel/kernel/fs/mounts.h>
#include <keel/kernel/load.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/system_info.h>
#include <keel/lib/memory.h>

namespace keel::syscalls {

using process::Process;

int64_t sys_sysinfo(Process& p, TrapFrame& frame) {
    struct sysinfo info;
    memset(&info, 0, sizeof info);
    info.uptime = static_cast<int64_t>(system::uptime().seconds);
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
                     arg(frame, 2), arg(frame, 3));
}

int64_t sys_umount2(Process& p, TrapFrame& frame) {
    return fs::unmount(fs::At{p.fs, *p.fds, fs::kAtFdcwd}, arg(frame, 0), uint_arg(frame, 1));
}

}  // namespace keel::syscalls
