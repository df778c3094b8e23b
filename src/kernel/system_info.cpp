// SPDX-License-Identifier: MIT
// System-wide numbers (include/keel/kernel/system_info.h).
#include <keel/kernel/clock.h>
#include <keel/kernel/process_tree.h>
#include <keel/kernel/system_info.h>
#include <keel/kernel/task.h>
#include <keel/mm/pages.h>

namespace keel::system {

Memory memory() {
    const auto counters = pages::counters();
    constexpr uint64_t kPage = 4096;
    Memory m{};
    m.total = (counters.total - counters.reserved) * kPage;
    m.free = counters.free * kPage;
    m.available = m.free;
    return m;
}

Processes processes() {
    Processes counts{};
    process::TreeLock guard;
    process::for_each(
        [](process::Process& p, void* context) {
            auto& c = *static_cast<Processes*>(context);
            if (p.pid > c.last_pid) c.last_pid = p.pid;
            if (p.life == process::Life::kZombie) return;
            ++c.all;
            const sched::Task* task = p.task;
            if (p.life == process::Life::kRunning && task != nullptr &&
                (task->state == sched::TaskState::kRunning ||
                 task->state == sched::TaskState::kRunnable))
                ++c.running;
        },
        &counts);
    return counts;
}

Uptime uptime() {
    const clock::Time now = clock::monotonic();
    return Uptime{static_cast<uint64_t>(now.seconds),
                  static_cast<uint64_t>(now.nanoseconds) / 10'000'000};
}

}  // namespace keel::system
