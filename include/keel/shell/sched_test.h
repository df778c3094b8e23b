// SPDX-License-Identifier: MIT
// The parts of sched-test (src/shell/commands/sched_test*.cpp) that live in their own file.
#pragma once
#include <keel/shell/command.h>

namespace keel::shell {

// sched-test mutex TASKS K [nolock]
Status sched_test_mutex(const Args& args);
// sched-test semaphore|condvar PRODUCERS CONSUMERS ITEMS
Status sched_test_queues(const Args& args);

}  // namespace keel::shell
