// SPDX-License-Identifier: MIT
// CPU time accounting (include/keel/kernel/cpu_time.h). A task's running time is the scheduler's
// (Task::cpu_time, counted at each switch); its user time is counted here, from each return to
// U-mode to the next trap out of it (user_time.h). A process runs in one task, so its times are its
// task's.
#include <keel/arch/riscv/csr.h>
#include <keel/kernel/clock.h>
#include <keel/kernel/cpu_time.h>
#include <keel/kernel/process_state.h>
#include <keel/kernel/task.h>

namespace keel::process {
namespace {

constexpr uint64_t kNanosecond = 1'000'000'000;

uint64_t nanoseconds(uint64_t ticks) {
    const clock::Time t = clock::from_ticks(ticks);
    return static_cast<uint64_t>(t.seconds) * kNanosecond + static_cast<uint64_t>(t.nanoseconds);
}

template <typename T>
T peek(const T& field) {
    T value;
    __atomic_load(&field, &value, __ATOMIC_RELAXED);
    return value;
}

// A task's user and system time now, in `time` units. Another hart may be switching it: each
// field is read once, and user time is never more than the whole.
void task_times(const sched::Task& task, uint64_t& user, uint64_t& system) {
    const uint64_t now = csr::time();
    uint64_t total = peek(task.cpu_time);
    if (peek(task.state) == sched::TaskState::kRunning) {
        const uint64_t since = peek(task.ran_since);
        total += now > since ? now - since : 0;
    }
    user = peek(task.user_time);
    if (const uint64_t since = peek(task.user_since); since != 0)  // in U-mode now
        user += now > since ? now - since : 0;
    if (user > total) user = total;
    system = total - user;
}

}  // namespace

CpuTimes cpu_times(const Process& p) {
    CpuTimes times = p.cpu;
    times.max_resident_kib = p.memory.peak_pages() * (kPage / 1024);  // (kept after its end)
    if (const sched::Task* task = peek(p.task); task != nullptr) {
        uint64_t user, system;
        task_times(*task, user, system);
        times.user = nanoseconds(user);
        times.system = nanoseconds(system);
    }
    return times;
}

void keep_times_at_end(Process& p) {
    const CpuTimes now = cpu_times(p);
    p.cpu.user = now.user;
    p.cpu.system = now.system;
}

void add_child_times(Process& parent, const Process& child) {
    const CpuTimes times = cpu_times(child);
    parent.cpu.children_user += times.user + times.children_user;
    parent.cpu.children_system += times.system + times.children_system;
    const uint64_t largest = times.max_resident_kib > times.children_max_resident_kib
                                 ? times.max_resident_kib
                                 : times.children_max_resident_kib;
    if (largest > parent.cpu.children_max_resident_kib)
        parent.cpu.children_max_resident_kib = largest;
}

}  // namespace keel::process
