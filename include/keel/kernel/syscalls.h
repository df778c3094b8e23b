// SPDX-License-Identifier: MIT
// The Linux RISC-V syscall ABI, the subset keel speaks (docs/syscalls.md): the number in a7, the
// arguments in a0-a5, the result (or -errno) in a0. Numbers from Linux's
// include/uapi/asm-generic/unistd.h, which RISC-V uses as they are.
#pragma once
#include <keel/abi/resource.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/arch/riscv/trap.h>
#include <keel/kernel/process_state.h>
#include <stdint.h>

namespace keel::syscalls {

// Runs the syscall `frame` asks for on behalf of `process`; returns a0's new value.
int64_t dispatch(process::Process& process, TrapFrame& frame);
// The handler of call `number` for the lean trap path (user_trap.cpp), which dispatch() would
// call; nullptr for a number keel does not implement and for a call that needs the whole frame
// (syscall_table.h), which both take the full path. Called with interrupts off; the handler runs
// with them on.
using Handler = int64_t (*)(process::Process& p, TrapFrame& frame);
inline constexpr size_t kTableSize = 512;  // riscv64's numbers are below this (abi/syscalls.h)
struct LeanTable {
    Handler handlers[kTableSize];
};
extern const LeanTable kLeanTable;  // (syscalls.cpp)
inline Handler lean_handler(uint64_t number) {
    return number < kTableSize ? kLeanTable.handlers[number] : nullptr;
}
// Whether keel implements call `number` (the rest get -ENOSYS).
bool implemented(uint64_t number);

// Whether [address, address + size) lies in user space (Linux's access_ok): read, write and
// getrandom check their whole buffer so before a byte moves, so that a length past the end of
// user memory is -EFAULT even where the first pages exist; the memory calls check their ranges.
inline bool in_user_space(uint64_t address, uint64_t size) {
    return address <= memlayout::kUserTop && size <= memlayout::kUserTop - address;
}
// Linux's MAX_RW_COUNT: the most one read, write or getrandom moves (INT_MAX, page-aligned).
inline constexpr uint64_t kMaxRwCount = 0x7ffff000;

// Copies between kernel memory and the process's: false (nothing copied) unless every byte of the
// user range lies in the program's regions with the access asked (so a bad pointer is -EFAULT,
// never a kernel fault); the pages are made present first, as the program's own touch would.
// A page that cannot be had for want of memory kills the process (process::out_of_memory).
// sstatus.SUM is set only inside these.
bool copy_from_user(process::Process& p, void* to, uint64_t from, uint64_t size);
bool copy_to_user(process::Process& p, uint64_t to, const void* from, uint64_t size);
// As those, for the calls that move a stream of bytes (a read or write of a file, getrandom):
// the copy goes as far as the program's memory does and returns how many bytes it moved, all
// `size` or those before the first byte the program may not have (Linux's copy_to_iter).
uint64_t copy_some_from_user(process::Process& p, void* to, uint64_t from, uint64_t size);
uint64_t copy_some_to_user(process::Process& p, uint64_t to, const void* from, uint64_t size);
// A struct timespec timeout of the program's (at `timeout`; 0: none) as a deadline in time CSR
// units (sched::kNoDeadline for none): 0, -EFAULT, or -EINVAL for a negative time
// (ppoll, pselect6, rt_sigtimedwait).
int64_t user_deadline(process::Process& p, uint64_t timeout, uint64_t& deadline);
// Whether every byte of the range is the program's to write (its pages made present).
bool user_writable(process::Process& p, uint64_t address, uint64_t size);

// A struct rusage with these times (nanoseconds), ru_maxrss (KiB), and every counter 0
// (getrusage, wait4).
struct rusage rusage_of(uint64_t user, uint64_t system, uint64_t max_resident_kib);

// Boot: the kernel task that sends ITIMER_REAL's SIGALRMs (itimer.cpp); it sleeps until the
// earliest timer any process has set.
void start_alarms();

}  // namespace keel::syscalls
