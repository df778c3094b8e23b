// SPDX-License-Identifier: MIT
// proc's system files (proc(5)): meminfo, uptime, loadavg, stat, mounts, cpuinfo, version,
// filesystems, in Linux's formats, made from the numbers sysinfo(2) gives too.
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/clock.h>
#include <keel/kernel/cpus.h>
#include <keel/kernel/load.h>
#include <keel/kernel/process_state.h>
#include <keel/kernel/system_info.h>
#include <keel/lib/memory.h>

#include "procfs_text.h"

namespace keel::fs {
namespace {

void meminfo(proc::Text& out) {
    const system::Memory m = system::memory();
    struct Line {
        const char* name;
        uint64_t bytes;
    };
    const Line lines[] = {
        {"MemTotal:", m.total},
        {"MemFree:", m.free},
        {"MemAvailable:", m.available},
        {"Buffers:", m.buffers},
        {"Cached:", m.cached},
        {"SwapCached:", 0},
        {"Active:", 0},
        {"Inactive:", 0},
        {"Active(anon):", 0},
        {"Inactive(anon):", 0},
        {"Active(file):", 0},
        {"Inactive(file):", 0},
        {"Unevictable:", 0},
        {"Mlocked:", 0},
        {"SwapTotal:", 0},
        {"SwapFree:", 0},
        {"Dirty:", 0},
        {"Writeback:", 0},
        {"AnonPages:", 0},
        {"Mapped:", 0},
        {"Shmem:", m.shared},
        {"KReclaimable:", 0},
        {"Slab:", 0},
        {"SReclaimable:", 0},
        {"SUnreclaim:", 0},
        {"KernelStack:", 0},
        {"PageTables:", 0},
        {"CommitLimit:", m.total / 2},
        {"Committed_AS:", 0},
        {"VmallocTotal:", 0},
        {"VmallocUsed:", 0},
        {"VmallocChunk:", 0},
    };
    for (const Line& line : lines) out.add("{:<15} {:>8} kB\n", line.name, line.bytes / 1024);
}

uint64_t idle_all_harts() {
    uint64_t idle = 0;
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) idle += sched::idle_time(slot);
    return idle;
}

void uptime(proc::Text& out) {
    const system::Uptime up = system::uptime();
    const uint64_t idle = proc::clock_ticks(idle_all_harts());
    out.add("{}.{:02} {}.{:02}\n", up.seconds, up.hundredths, idle / 100, idle % 100);
}

void loadavg(proc::Text& out) {
    const loadavg::Averages averages = sched::load_averages();
    for (uint64_t load : averages.load) {
        const loadavg::Decimal d = loadavg::to_decimal(load);
        out.add("{}.{:02} ", d.whole, d.hundredths);
    }
    const system::Processes processes = system::processes();
    out.add("{}/{} {}\n", processes.running, processes.all, processes.last_pid);
}

// One cpu line: busy time shown as user time (keel does not tell user from system time yet).
void cpu_line(proc::Text& out, const char* name, uint64_t busy, uint64_t idle) {
    out.add("{} {} 0 0 {} 0 0 0 0 0 0\n", name, busy, idle);
}

void stat(proc::Text& out) {
    const uint64_t up = proc::clock_ticks(csr::time());
    uint64_t all_busy = 0;
    uint64_t all_idle = 0;
    unsigned online = 0;
    for (unsigned slot = 0; slot < memlayout::kMaxHarts; ++slot) {
        if (!sched::hart_online(slot)) continue;
        const uint64_t idle = proc::clock_ticks(sched::idle_time(slot));
        all_idle += idle;
        all_busy += up > idle ? up - idle : 0;
        ++online;
    }
    cpu_line(out, "cpu ", all_busy, all_idle);
    for (unsigned slot = 0, n = 0; slot < memlayout::kMaxHarts; ++slot) {
        if (!sched::hart_online(slot)) continue;
        const uint64_t idle = proc::clock_ticks(sched::idle_time(slot));
        char name[16];
        format_to(name, sizeof name, "cpu{}", n++);
        cpu_line(out, name, up > idle ? up - idle : 0, idle);
    }
    (void)online;
    const system::Processes processes = system::processes();
    const int64_t boot = clock::realtime().seconds - clock::monotonic().seconds;
    out.add("intr 0\nctxt {}\nbtime {}\nprocesses {}\nprocs_running {}\nprocs_blocked {}\n",
            sched::context_switches(), boot, processes.last_pid, processes.running,
            processes.blocked);
    out.add("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
}

struct MountsContext {
    proc::Text* out;
    const Context* context;
};

void mount_line(Inode& at, FileSystem& fs, void* argument) {
    auto& c = *static_cast<MountsContext*>(argument);
    char path[256];
    const int64_t length = path_of(*c.context, at, path, sizeof path);
    if (length <= 0) return;  // outside the reader's root, or gone
    const bool is_proc = fs.magic() == kProcSuperMagic;
    c.out->add("{} {} {} {} 0 0\n", fs.name(), path, fs.name(),
               is_proc ? "rw,nosuid,nodev,noexec,relatime" : "rw,relatime");
}

void mounts(proc::Text& out) {
    const process::Process* p = process::current();
    const Context whole{root(), root(), 022};
    const Context& context = p != nullptr ? p->fs : whole;
    out.add("tmpfs / tmpfs rw 0 0\n");  // the root tmpfs the initramfs is unpacked into
    MountsContext c{&out, &context};
    for_each_mount(&mount_line, &c);
}

// As Linux 6.12's: the MMU is the mode keel runs (Sv39, whatever more the hart has); the machine
// ids are the SBI's.
void cpuinfo(proc::Text& out) {
    const cpus::MachineIds ids = cpus::machine_ids();
    for (unsigned i = 0; i < cpus::count(); ++i) {
        const cpus::Cpu& cpu = cpus::cpu(i);
        out.add("processor\t: {}\nhart\t\t: {}\n", i, cpu.hart_id);
        if (cpu.isa != nullptr) out.add("isa\t\t: {}\n", cpu.isa);
        out.add("mmu\t\t: sv39\nmvendorid\t: {:#x}\nmarchid\t\t: {:#x}\nmimpid\t\t: {:#x}\n",
                ids.vendor, ids.arch, ids.impl);
        if (cpu.isa != nullptr) out.add("hart isa\t: {}\n", cpu.isa);
        out.add("\n");
    }
}

}  // namespace

void proc::make_system_text(Kind kind, Text& out) {
    switch (kind) {
    case Kind::kMeminfo: return meminfo(out);
    case Kind::kUptime: return uptime(out);
    case Kind::kLoadavg: return loadavg(out);
    case Kind::kStat: return stat(out);
    case Kind::kMounts: return mounts(out);
    case Kind::kCpuinfo: return cpuinfo(out);
    case Kind::kVersion:
        return out.add("keel version 0.1.0 (keel@keel) (C++20, freestanding) #1 SMP riscv64\n");
    case Kind::kFilesystems: return out.add("nodev\ttmpfs\nnodev\tproc\nnodev\tpipefs\n");
    default: return;
    }
}

}  // namespace keel::fs
