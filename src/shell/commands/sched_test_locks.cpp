// SPDX-License-Identifier: MIT
// sched-test mutex / semaphore / condvar: the sleeping locks under load, with the evidence (counts,
// sums) printed for a test to check: a mutex-protected counter, and semaphore and
// condition-variable queues between producer and consumer tasks. (sched_test.cpp has the rest.)
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/core/hart.h>
#include <keel/kernel/sync.h>
#include <keel/lib/new.h>
#include <keel/mm/pages.h>
#include <keel/shell/command.h>
#include <keel/shell/sched_test.h>

namespace keel::shell {
namespace {

using sched::CondVar;
using sched::Mutex;
using sched::MutexGuard;
using sched::Semaphore;

constexpr uint64_t kMaxTasks = 64;

// Spawns `count` joinable tasks running function(&shared) and joins them all; false (said) when
// one could not start.
bool run_tasks(const char* name, sched::TaskFunction function, void* shared, uint64_t count) {
    sched::TaskId ids[kMaxTasks];
    uint64_t started = 0;
    for (; started < count; ++started) {
        const auto task = sched::spawn(name, function, shared);
        if (!task.ok()) {
            console::print("sched-test: {}\n", sched::spawn_error_name(task.error()));
            break;
        }
        ids[started] = task.value();
    }
    for (uint64_t i = 0; i < started; ++i) (void)sched::join(ids[i]);
    return started == count;
}

// --- mutex: N tasks add 1 to a counter K times each, reading it, yielding now and then, and
// writing it back: without the mutex, updates are lost.
struct Counter {
    Mutex mutex;
    uint64_t value = 0;
    uint64_t increments = 0;
    bool locked = true;
    Atomic<uint64_t> harts{0};  // a bit per hart slot an increment was made on
};

int64_t increment(void* argument) {
    auto& counter = *static_cast<Counter*>(argument);
    for (uint64_t i = 0; i < counter.increments; ++i) {
        if (counter.locked) counter.mutex.lock(KEEL_HERE);
        const uint64_t seen = counter.value;
        if (i % 16 == 0) sched::yield();  // inside the section: others must wait for the mutex
        counter.value = seen + 1;
        counter.harts.fetch_or(1ull << (this_hart().slot % 64), MemoryOrder::kRelaxed);
        if (counter.locked) counter.mutex.unlock(KEEL_HERE);
    }
    return 0;
}

Status mutex_test(uint64_t tasks, uint64_t increments, bool locked) {
    static Counter counter;
    counter.value = 0;
    counter.increments = increments;
    counter.locked = locked;
    counter.harts.store(0);
    const bool all = run_tasks("counter", &increment, &counter, tasks);
    const auto harts = static_cast<uint64_t>(__builtin_popcountll(counter.harts.load()));
    console::print("sched-test mutex: {} task{} x {} increment{}{}: counter {}, on {} hart{}\n",
                   tasks, plural(tasks), increments, plural(increments), locked ? "" : " (no lock)",
                   counter.value, harts, plural(harts));
    return all ? Status::kOk : Status::kFailed;
}

// --- semaphore / condvar: producers put the items 1..ITEMS through an 8-slot ring, consumers
// take them until a 0 (one per consumer, put in once the producers are done). Count, sum and sum
// of squares of what was taken show whether an item was lost or taken twice.
struct Queue {
    bool use_condvar = false;
    Semaphore empty{8};
    Semaphore full{0};
    Mutex mutex;
    CondVar not_full;
    CondVar not_empty;
    uint64_t ring[8] = {};
    uint64_t in = 0;
    uint64_t out = 0;
    uint64_t items = 0;
    Atomic<uint64_t> next{1};
    Atomic<uint64_t> taken{0};
    Atomic<uint64_t> sum{0};
    Atomic<uint64_t> squares{0};
};

void put(Queue& q, uint64_t item) {
    if (q.use_condvar) {
        MutexGuard guard(q.mutex, KEEL_HERE);
        while (q.in - q.out == 8) q.not_full.wait(q.mutex, KEEL_HERE);
        q.ring[q.in++ % 8] = item;
        q.not_empty.signal();
        return;
    }
    q.empty.down(KEEL_HERE);
    {
        MutexGuard guard(q.mutex, KEEL_HERE);
        q.ring[q.in++ % 8] = item;
    }
    q.full.up();
}

uint64_t take(Queue& q) {
    uint64_t item;
    if (q.use_condvar) {
        MutexGuard guard(q.mutex, KEEL_HERE);
        while (q.in == q.out) q.not_empty.wait(q.mutex, KEEL_HERE);
        item = q.ring[q.out++ % 8];
        q.not_full.signal();
        return item;
    }
    q.full.down(KEEL_HERE);
    {
        MutexGuard guard(q.mutex, KEEL_HERE);
        item = q.ring[q.out++ % 8];
    }
    q.empty.up();
    return item;
}

int64_t produce(void* argument) {
    auto& q = *static_cast<Queue*>(argument);
    for (uint64_t item = q.next.fetch_add(1); item <= q.items; item = q.next.fetch_add(1)) {
        put(q, item);
    }
    return 0;
}

int64_t consume(void* argument) {
    auto& q = *static_cast<Queue*>(argument);
    for (uint64_t item = take(q); item != 0; item = take(q)) {
        q.taken.fetch_add(1);
        q.sum.fetch_add(item);
        q.squares.fetch_add(item * item);
    }
    return 0;
}

Status queue_test(bool use_condvar, uint64_t producers, uint64_t consumers, uint64_t items) {
    static Queue q;
    q.~Queue();
    new (&q) Queue;
    q.use_condvar = use_condvar;
    q.items = items;
    sched::TaskId ids[kMaxTasks];
    uint64_t started = 0;
    for (uint64_t i = 0; i < consumers; ++i) {
        const auto task = sched::spawn("consumer", &consume, &q);
        if (task.ok()) ids[started++] = task.value();
    }
    const bool produced = run_tasks("producer", &produce, &q, producers);
    for (uint64_t i = 0; i < started; ++i) put(q, 0);  // one end mark per consumer
    for (uint64_t i = 0; i < started; ++i) (void)sched::join(ids[i]);
    console::print(
        "sched-test {}: {} producer{}, {} consumer{}, {} item{}: took {}, sum {}, sum of squares "
        "{}\n",
        use_condvar ? "condvar" : "semaphore", producers, plural(producers), consumers,
        plural(consumers), items, plural(items), q.taken.load(), q.sum.load(), q.squares.load());
    return produced && started == consumers ? Status::kOk : Status::kFailed;
}

}  // namespace

Status sched_test_queues(const Args& args) {
    uint64_t producers = 0;
    uint64_t consumers = 0;
    uint64_t items = 0;
    if (args.count() != 5 || !parse_argument(args, 2, "PRODUCERS", producers, 1, kMaxTasks / 2) ||
        !parse_argument(args, 3, "CONSUMERS", consumers, 1, kMaxTasks / 2) ||
        !parse_argument(args, 4, "ITEMS", items, 1, 1'000'000))
        return Status::kBadUsage;
    return queue_test(equals(args.word(1), "condvar"), producers, consumers, items);
}

Status sched_test_mutex(const Args& args) {
    uint64_t tasks = 0;
    uint64_t increments = 0;
    const bool nolock = args.count() == 5 && equals(args.word(4), "nolock");
    if ((args.count() != 4 && !nolock) || !parse_argument(args, 2, "TASKS", tasks, 1, kMaxTasks) ||
        !parse_argument(args, 3, "K", increments, 1, 1'000'000))
        return Status::kBadUsage;
    return mutex_test(tasks, increments, !nolock);
}

}  // namespace keel::shell
