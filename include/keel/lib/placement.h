// SPDX-License-Identifier: MIT
// The scheduler's two choices of hart, as plain functions of per-hart numbers (kernel/sched.cpp
// feeds them its run queues; the host tests feed them arrays): where a woken task goes, and which
// hart an idle one takes a task from. Portable and header-only.
#pragma once
#include <stddef.h>

namespace keel {

// The least loaded of harts 0..count-1 that are online(i), load(i) being what runs or waits
// there. Ties go to `preferred` (the hart the task last ran on: its cache may still be warm),
// then to the lowest number. Returns `preferred` if no hart is online.
template <typename Online, typename Load>
unsigned least_loaded(unsigned count, unsigned preferred, Online online, Load load) {
    unsigned best = preferred;
    bool found = preferred < count && online(preferred);
    size_t best_load = found ? load(preferred) : 0;
    for (unsigned hart = 0; hart < count && (!found || best_load != 0); ++hart) {
        if (!online(hart)) continue;
        if (!found || load(hart) < best_load) {
            best = hart;
            best_load = load(hart);
            found = true;
        }
    }
    return best;
}

// The hart an idle `thief` takes a task from: of the others that have a task it may take
// (has_stealable(i)), the one with the most waiting (waiting(i)); the first of equals. `count`
// when there is none.
template <typename Waiting, typename HasStealable>
unsigned steal_victim(unsigned count, unsigned thief, Waiting waiting, HasStealable has_stealable) {
    unsigned victim = count;
    size_t most = 0;
    for (unsigned hart = 0; hart < count; ++hart) {
        if (hart == thief || waiting(hart) <= most || !has_stealable(hart)) continue;
        victim = hart;
        most = waiting(hart);
    }
    return victim;
}

}  // namespace keel
