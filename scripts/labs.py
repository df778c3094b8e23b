# SPDX-License-Identifier: MIT
"""The labs (docs/labs/README.md), one table: what each lab blanks out and what grades it.

scripts/lab reads it to start a lab (it blanks each function out on a branch of the student's own),
scripts/grade to grade one (it runs each check and adds up the points), and tests/build/check_labs.py
(ctest docs.labs) to keep it true to the tree: every function is defined exactly once where it is
named, every check exists, every lab's page names its functions and checks.

A function is its file, its name as the definition writes it (`Pipe::copy`, or `bump` inside its
class) and its parameter list, as written; the stub is what its body becomes. `{todo}` in a stub is
the lab's message (a string naming the lab, the function and the page); `keep` names helpers the
real body calls that would otherwise be unused (-Werror=unused-function), so the stub mentions them.

A check is a ctest entry (`cd build && ctest -N`; `{toolchain}` is the build's KEEL_TOOLCHAIN) and,
optionally, one named check inside it: a check function of a QEMU script, a run of
tests/linux/runs.txt for qemu.linux, a case of a host suite. Without a name the whole entry runs.
Each lab's points add up to 100. A check that outlives its deadline fails (the machine is killed).
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Function:
    path: str
    name: str
    params: str
    stub: str = "panic({todo});"
    keep: tuple = ()


@dataclass(frozen=True)
class Check:
    entry: str
    name: str = ""
    points: int = 10
    deadline: int = 120  # seconds (or the ctest entry's TIMEOUT, if less)


@dataclass(frozen=True)
class Lab:
    name: str
    title: str
    functions: list = field(default_factory=list)
    checks: list = field(default_factory=list)

    @property
    def page(self):
        return f"docs/labs/{self.name}.md"

    @property
    def branch(self):
        return f"lab/{self.name}"


ALLOCATOR_H = "include/keel/mm/linear_allocator.h"
ALLOCATOR = "src/mm/linear_allocator.cpp"
SYSCALLS = "src/kernel/syscalls.cpp"
MISC = "src/kernel/syscalls_misc.cpp"
PLACEMENT = "include/keel/lib/placement.h"
SCHED = "src/kernel/sched.cpp"
PIPE = "src/kernel/fs/pipe.cpp"
PAGES = "src/mm/page_allocator.cpp"
FORK = "src/kernel/address_space_fork.cpp"
CALL = "Process& p, TrapFrame& frame"
USER = "qemu.user.{toolchain}"
CONTROL = "qemu.user-control.{toolchain}"
TASKS = "qemu.tasks.{toolchain}"

LABS = [
    Lab("heap", "The heap's allocator (a warm-up)", functions=[
        Function(ALLOCATOR, "LinearAllocator::allocate", "size_t size, size_t alignment",
                 "return nullptr;"),
        Function(ALLOCATOR_H, "bump", "size_t size, void*& block", "block = nullptr;\nreturn false;"),
        Function(ALLOCATOR, "LinearAllocator::deallocate", "void* block, size_t size",
                 "return false;"),
        Function(ALLOCATOR, "LinearAllocator::release", "Mark mark", "return false;"),
        Function(ALLOCATOR, "LinearAllocator::peak", "", "return 0;"),
    ], checks=[
        Check("host.LinearAllocatorTest", points=35),
        Check("host.LinearAllocatorWithoutArena", points=5),
        Check("host.LinearAllocatorThreads", points=10),
        Check("qemu.boot.{toolchain}", points=10),
        Check("qemu.shell", "heap_and_alloc_report_the_arena", 10),
        Check("qemu.shell", "alloc_until_exhausted_is_refused_cleanly", 10),
        Check("qemu.traps.{toolchain}", "failed_throwing_new_panics_with_the_request_and_heap_state", 10),
        Check("qemu.bench.{toolchain}", "counts_are_exact_under_icount_and_the_fast_path_is_at_most_20", 10),
    ]),
    Lab("syscall", "The syscall path (and a call of your own)", functions=[
        Function(SYSCALLS, "whole_frame_handler", "uint64_t number", "return nullptr;"),
        Function(SYSCALLS, "make_table", "", "return LeanTable{};"),
        Function(SYSCALLS, "dispatch", CALL, keep=("unknown",)),
        Function(MISC, "sys_getpid", "Process& p, TrapFrame&"),
        Function(MISC, "sys_gettid", "Process& p, TrapFrame&"),
        Function(MISC, "sys_getppid", "Process& p, TrapFrame&"),
        Function(MISC, "sys_set_tid_address", CALL),
        Function(MISC, "sys_exit", "Process&, TrapFrame& frame"),
        Function(MISC, "sys_exit_group", "Process&, TrapFrame& frame"),
        Function(MISC, "sys_sched_yield", "Process&, TrapFrame&"),
    ], checks=[
        Check("qemu.linux", "registers", 15),
        Check("qemu.linux", "identity", 15),
        Check("qemu.linux", "first-program", 15),
        Check(USER, "usertests_pass", 20),
        Check(USER, "keel_programs_run_with_arguments_and_report_their_end", 15),
        Check(USER, "forktest_passes", 20),
    ]),
    Lab("sched", "A scheduler policy", functions=[
        Function(PLACEMENT, "least_loaded", "unsigned count, unsigned preferred, Online online, Load load",
                 "return preferred;"),
        Function(PLACEMENT, "steal_victim",
                 "unsigned count, unsigned thief, Waiting waiting, HasStealable has_stealable",
                 "return count;"),
        Function(SCHED, "rearm", "HartSched& hs"),
        Function(SCHED, "pick_next", "HartSched& hs"),
        Function(SCHED, "choose_hart", "const Task& task"),
        Function(SCHED, "on_interrupt_exit", ""),
    ], checks=[
        Check("host.LeastLoaded", points=10),
        Check("host.StealVictim", points=10),
        Check(TASKS, "busy_on_one_hart_does_not_starve_the_shell", 10),
        Check(TASKS, "sleepers_wake_no_earlier_than_asked_and_within_two_ticks", 10),
        Check(TASKS, "an_idle_machine_takes_no_timer_interrupts", 10),
        Check(TASKS, "a_mutex_keeps_every_increment_on_1_2_4_8_harts", 10),
        Check(TASKS, "kill_ends_spinning_and_sleeping_tasks_but_not_the_shell_or_idle", 5),
        Check(TASKS, "ten_thousand_spawn_join_cycles_leak_no_page", 5),
        Check(CONTROL, "two_programs_run_in_parallel_on_two_harts", 10),
        Check(CONTROL, "a_program_that_lives_in_syscalls_is_preempted_and_ends_on_ctrl_c", 10),
        Check("qemu.traps.{toolchain}", "a_sleeping_task_wakes_on_time_with_one_timer_interrupt", 5),
        Check("qemu.bench.{toolchain}", "context_switches_keep_both_sides_values_and_are_counted", 5),
    ]),
    Lab("pipe", "A pipe", functions=[
        Function(PIPE, "Pipe::copy", "uint64_t at, IoBuffer& buffer, uint64_t offset, uint64_t n, bool in"),
        Function(PIPE, "Pipe::read_from", "IoBuffer& buffer, bool nonblocking", keep=("inode_",)),
        Function(PIPE, "Pipe::write_into", "IoBuffer& buffer, bool nonblocking", keep=("kPipeBuf",)),
        Function(PIPE, "Pipe::poll", "const File& file"),
        Function("src/kernel/syscalls_fd.cpp", "sys_pipe2", CALL),
    ], checks=[
        Check("qemu.linux", "first-program", 15),
        Check("qemu.linux", "fifo", 15),
        Check("qemu.linux", "edges", 15),
        Check("qemu.linux", "busybox-userland", 15),
        Check("qemu.terminal", "a_pipe_into_a_file_counts_the_root", 20),
        Check("qemu.busybox-pipeline", "a_thousand_pipelines_give_every_page_back", 20),
    ]),
    Lab("cow", "Copy-on-write", functions=[
        Function(PAGES, "PageAllocator::share", "uint64_t address", "return PageError::kTooShared;"),
        Function(PAGES, "PageAllocator::release", "uint64_t address", "return false;"),
        Function(PAGES, "PageAllocator::owners", "uint64_t address", "return 0;"),
        Function("src/mm/page_table_user.cpp", "PageTable::copy_user_leaves",
                 "PageTable& source, uint64_t start, uint64_t end, CopyLeaf copy, void* context",
                 "return MapError::kNoMemory;"),
        Function(FORK, "AddressSpace::share_leaf", "uint64_t, mm::PageTable::LeafCopy& leaf, void* context"),
        Function(FORK, "AddressSpace::unshare", "uint64_t page, uint64_t physical, const mm::Region& region"),
    ], checks=[
        Check("host.PageAllocatorTest", "APageHasOneOwnerAndTheLastReleaseFreesIt", 5),
        Check("host.PageAllocatorTest", "FreeRefusesASharedPageAndChangesNothing", 5),
        Check("host.PageAllocatorTest", "SharingStopsWhenTheCountIsFull", 5),
        Check("host.PageAllocatorTest", "OwnersMatchAModelThroughRandomSharing", 5),
        Check("host.UserSpaceTest", "CopyUserLeavesMapsWhatTheCallbackSaysInBothTables", 5),
        Check("host.UserSpaceTest", "CopyUserLeavesCopiesOnlyItsRangeAndStopsWhenTheCallbackFails", 5),
        Check("qemu.linux", "cow", 20),
        Check("qemu.linux", "memory", 10),
        Check("qemu.linux", "filemap", 5),
        Check("qemu.linux", "registers", 5),
        Check(USER, "forktest_passes", 10),
        Check(CONTROL, "a_fork_bomb_is_capped_and_killed_whole", 5),
        Check(CONTROL, "a_thousand_runs_leak_no_page", 10),
        Check("qemu.busybox-pipeline", "a_thousand_pipelines_give_every_page_back", 5),
    ]),
]


def lab_named(name):
    """The lab called `name`, or None."""
    return next((lab for lab in LABS if lab.name == name), None)


def todo(lab, function):
    """The stub's message: a C++ string literal naming the lab, the function and the page."""
    return f'"lab {lab.name}: write {function.name} ({lab.page})"'
