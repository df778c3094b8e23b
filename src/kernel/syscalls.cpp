// SPDX-License-Identifier: MIT
// The syscall dispatch (include/keel/kernel/syscalls.h): a table by number, made from the list of
// the calls keel implements (syscall_table.h) and Linux's numbers (abi/syscalls.h); and the copies
// between the kernel and a program's memory every call goes through.
#include <keel/abi/errno.h>
#include <keel/abi/names.h>
#include <keel/abi/syscalls.h>
#include <keel/arch/riscv/csr.h>
#include <keel/core/log.h>
#include <keel/kernel/syscall_table.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>

namespace keel::syscalls {
namespace {

using process::Process;

// The calls that need the whole frame (syscall_table.h): not in the table the lean path reads.
Handler whole_frame_handler(uint64_t number) {
#define KEEL_WHOLE_FRAME(name) \
    if (number == SYS_##name) return &sys_##name;
    KEEL_WHOLE_FRAME_SYSCALLS(KEEL_WHOLE_FRAME)
#undef KEEL_WHOLE_FRAME
    return nullptr;
}

constexpr LeanTable make_table() {
    LeanTable table{};
#define KEEL_TABLE_ENTRY(name) table.handlers[SYS_##name] = &sys_##name;
    KEEL_IMPLEMENTED_SYSCALLS(KEEL_TABLE_ENTRY)
#undef KEEL_TABLE_ENTRY
#define KEEL_WHOLE_FRAME(name) table.handlers[SYS_##name] = nullptr;
    KEEL_WHOLE_FRAME_SYSCALLS(KEEL_WHOLE_FRAME)
#undef KEEL_WHOLE_FRAME
    return table;
}

// Every byte of [address, address + size) the program's, with `access`, its pages present. With
// no page left for it, the process is killed as the page fault would have: the kill takes effect
// on its way back to user mode (the call may hold locks it must first let go of).
bool user_range(Process& p, uint64_t address, uint64_t size, process::Access access) {
    const process::FaultResult result = p.space().prepare(address, size, access);
    if (result == process::FaultResult::kNoMemory) process::out_of_memory(p, address);
    return result == process::FaultResult::kMapped;
}

// How many bytes from `address` on the program has with `access`, their pages present (none
// when a page cannot be had: the process is killed, as in user_range).
uint64_t user_prefix(Process& p, uint64_t address, uint64_t size, process::Access access) {
    uint64_t ready = 0;
    const process::FaultResult result = p.space().prepare_prefix(address, size, access, ready);
    if (result == process::FaultResult::kNoMemory) process::out_of_memory(p, address);
    return result == process::FaultResult::kMapped ? ready : 0;
}

int64_t unknown(Process& p, uint64_t number) {
    // A bit for each number below 511; every number from 511 on shares the last one (only the
    // first of those is logged: a program cannot flood the kernel log with them).
    const uint64_t bit = number < 511 ? number : 511;
    const uint64_t mask = uint64_t{1} << (bit % 64);
    if ((p.warned[bit / 64] & mask) == 0) {
        p.warned[bit / 64] |= mask;
        const char* name =
            number < kTableSize ? keel_syscall_name(static_cast<unsigned>(number)) : nullptr;
        log::note("{}[{}]: syscall {}{}{}{} is not implemented: -ENOSYS", p.name, p.pid, number,
                  name != nullptr ? " (" : "", name != nullptr ? name : "",
                  name != nullptr ? ")" : "");
    }
    return -ENOSYS;
}

}  // namespace

// The table the lean path and dispatch() read: every call keel implements but those that need the
// whole frame.
constexpr LeanTable kLeanTable = make_table();

bool implemented(uint64_t number) {
    return lean_handler(number) != nullptr || whole_frame_handler(number) != nullptr;
}

bool user_writable(Process& p, uint64_t address, uint64_t size) {
    return user_range(p, address, size, process::Access::kWrite);
}

bool copy_from_user(Process& p, void* to, uint64_t from, uint64_t size) {
    if (!user_range(p, from, size, process::Access::kRead)) return false;
    KEEL_CSR_SET(sstatus, csr::kSstatusSum);
    memcpy(to, reinterpret_cast<const void*>(from), size);
    KEEL_CSR_CLEAR(sstatus, csr::kSstatusSum);
    return true;
}

bool copy_to_user(Process& p, uint64_t to, const void* from, uint64_t size) {
    if (!user_range(p, to, size, process::Access::kWrite)) return false;
    KEEL_CSR_SET(sstatus, csr::kSstatusSum);
    memcpy(reinterpret_cast<void*>(to), from, size);
    KEEL_CSR_CLEAR(sstatus, csr::kSstatusSum);
    return true;
}

uint64_t copy_some_from_user(Process& p, void* to, uint64_t from, uint64_t size) {
    const uint64_t n = user_prefix(p, from, size, process::Access::kRead);
    KEEL_CSR_SET(sstatus, csr::kSstatusSum);
    memcpy(to, reinterpret_cast<const void*>(from), n);
    KEEL_CSR_CLEAR(sstatus, csr::kSstatusSum);
    return n;
}

uint64_t copy_some_to_user(Process& p, uint64_t to, const void* from, uint64_t size) {
    const uint64_t n = user_prefix(p, to, size, process::Access::kWrite);
    KEEL_CSR_SET(sstatus, csr::kSstatusSum);
    memcpy(reinterpret_cast<void*>(to), from, n);
    KEEL_CSR_CLEAR(sstatus, csr::kSstatusSum);
    return n;
}

int64_t dispatch(Process& p, TrapFrame& frame) {
    const uint64_t number = frame.regs[17];  // a7
    // The program waits in a syscall like any task: with interrupts on (the trap turned them off).
    csr::enable_interrupts();
    Handler handler = lean_handler(number);
    if (handler == nullptr) handler = whole_frame_handler(number);
    const int64_t result = handler != nullptr ? handler(p, frame) : unknown(p, number);
    csr::disable_interrupts();  // back to the trap exit, which restores the program's sstatus
    return result;
}

}  // namespace keel::syscalls
