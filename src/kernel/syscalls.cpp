// SPDX-License-Identifier: MIT
// The syscalls keel implements (include/keel/kernel/syscalls.h, docs/syscalls.md).
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/timer.h>
#include <keel/core/console.h>
#include <keel/kernel/process.h>
#include <keel/kernel/sched.h>
#include <keel/kernel/syscalls.h>
#include <keel/kernel/vm.h>
#include <keel/lib/memory.h>
#include <keel/mm/pages.h>

namespace keel::syscalls {
namespace {

using process::kPage;
using process::Process;

// errno values (Linux include/uapi/asm-generic/errno-base.h).
constexpr int64_t kEbadf = 9;
constexpr int64_t kEfault = 14;
constexpr int64_t kEinval = 22;
constexpr int64_t kEnotty = 25;
constexpr int64_t kEnosys = 38;

// Syscall numbers (include/uapi/asm-generic/unistd.h).
enum Number : uint64_t {
    kIoctl = 29,
    kWrite = 64,
    kWritev = 66,
    kExit = 93,
    kExitGroup = 94,
    kSetTidAddress = 96,
    kSetRobustList = 99,
    kNanosleep = 101,
    kClockGettime = 113,
    kSchedYield = 124,
    kUname = 160,
    kGetpid = 172,
    kGetppid = 173,
    kGettid = 178,
    kBrk = 214,
    kGetrandom = 278,
};

constexpr uint64_t kSum = uint64_t{1} << 18;  // sstatus.SUM: S-mode may touch U pages

// Every page of [address, address + size) mapped for the program, readable (and writable).
bool user_range(const Process& p, uint64_t address, uint64_t size, bool write) {
    if (size == 0) return true;
    if (address + size < address || address + size > vm::user_top()) return false;
    for (uint64_t page = address & ~(kPage - 1); page < address + size; page += kPage) {
        const mm::Walk w = p.space.walk(page);
        const uint64_t need = mm::kPteUser | mm::kPteRead | (write ? mm::kPteWrite : 0);
        if (!w.mapped || (w.flags & need) != need) return false;
    }
    return true;
}

int64_t write_console(const Process& p, uint64_t buffer, uint64_t count) {
    char chunk[256];
    for (uint64_t done = 0; done < count;) {
        const uint64_t n = count - done < sizeof chunk ? count - done : sizeof chunk;
        if (!copy_from_user(p, chunk, buffer + done, n))
            return done != 0 ? static_cast<int64_t>(done) : -kEfault;
        console::write(chunk, n);
        done += n;
    }
    console::flush();
    return static_cast<int64_t>(count);
}

int64_t do_write(const Process& p, uint64_t fd, uint64_t buffer, uint64_t count) {
    if (fd != 1 && fd != 2) return -kEbadf;
    return write_console(p, buffer, count);
}

// writev(fd, iov, iovcnt): struct iovec { void* base; size_t len; }.
int64_t do_writev(const Process& p, uint64_t fd, uint64_t vector, uint64_t count) {
    if (fd != 1 && fd != 2) return -kEbadf;
    if (count > 1024) return -kEinval;
    int64_t total = 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t iov[2];
        if (!copy_from_user(p, iov, vector + i * 16, 16)) return -kEfault;
        const int64_t written = write_console(p, iov[0], iov[1]);
        if (written < 0) return total != 0 ? total : written;
        total += written;
    }
    return total;
}

// brk(address): the heap's end moves to `address` (pages mapped or freed); the end it has now
// comes back (unchanged when the move is refused). 0 asks where it is.
int64_t do_brk(Process& p, uint64_t address) {
    const uint64_t limit = p.mmap_next - 16 * kPage;  // keep clear of mappings and the stack
    if (address < p.brk_start || address > limit) return static_cast<int64_t>(p.brk);
    const uint64_t old_end = (p.brk + kPage - 1) & ~(kPage - 1);
    const uint64_t new_end = (address + kPage - 1) & ~(kPage - 1);
    for (uint64_t page = old_end; page < new_end; page += kPage) {
        if (process::map_new_page(p, page, mm::kPteRead | mm::kPteWrite) == 0) {
            for (uint64_t undo = old_end; undo < page; undo += kPage) {
                const mm::Walk w = p.space.walk(undo);
                (void)p.space.unmap(undo, kPage);
                pages::free(w.physical, 0);
            }
            return static_cast<int64_t>(p.brk);
        }
    }
    for (uint64_t page = new_end; page < old_end; page += kPage) {
        const mm::Walk w = p.space.walk(page);
        (void)p.space.unmap(page, kPage);
        asm volatile("sfence.vma %0, zero" ::"r"(page) : "memory");
        pages::free(w.physical, 0);
    }
    p.brk = address;
    return static_cast<int64_t>(p.brk);
}

// struct utsname: six fields of 65 bytes.
int64_t do_uname(const Process& p, uint64_t buffer) {
    char name[6][65] = {};
    const char* fields[6] = {"keel", "keel", "0.1.0", "keel", "riscv64", ""};
    for (int i = 0; i < 6; ++i) {
        for (int j = 0; fields[i][j] != '\0' && j < 64; ++j) name[i][j] = fields[i][j];
    }
    return copy_to_user(p, buffer, name, sizeof name) ? 0 : -kEfault;
}

int64_t do_clock_gettime(const Process& p, uint64_t timespec) {
    const uint64_t ticks = csr::time();
    const uint64_t hz = timer::frequency();
    const uint64_t value[2] = {ticks / hz, ticks % hz * 1'000'000'000 / hz};
    return copy_to_user(p, timespec, value, sizeof value) ? 0 : -kEfault;
}

int64_t do_nanosleep(const Process& p, uint64_t request) {
    uint64_t value[2];
    if (!copy_from_user(p, value, request, sizeof value)) return -kEfault;
    if (value[1] >= 1'000'000'000) return -kEinval;
    sched::sleep_ms(value[0] * 1000 + (value[1] + 999'999) / 1'000'000);
    return 0;
}

int64_t do_getrandom(const Process& p, uint64_t buffer, uint64_t size) {
    static uint64_t state = 0x2545f4914f6cdd1dull;
    uint8_t chunk[64];
    for (uint64_t done = 0; done < size;) {
        const uint64_t n = size - done < sizeof chunk ? size - done : sizeof chunk;
        for (uint64_t i = 0; i < n; ++i) {
            state ^= csr::time();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk[i] = static_cast<uint8_t>(state);
        }
        if (!copy_to_user(p, buffer + done, chunk, n))
            return done != 0 ? static_cast<int64_t>(done) : -kEfault;
        done += n;
    }
    return static_cast<int64_t>(size);
}

const char* name_of(uint64_t number) {
    switch (number) {
    case 56: return "openat";
    case 57: return "close";
    case 62: return "lseek";
    case 63: return "read";
    case 78: return "readlinkat";
    case 79: return "newfstatat";
    case 80: return "fstat";
    case 61: return "getdents64";
    case 215: return "munmap";
    case 220: return "clone";
    case 221: return "execve";
    case 222: return "mmap";
    case 226: return "mprotect";
    case 260: return "wait4";
    case 129: return "kill";
    case 261: return "prlimit64";
    case 115: return "clock_nanosleep";
    default: return nullptr;
    }
}

int64_t unknown(Process& p, uint64_t number) {
    const bool logged = number < 512 && (p.warned[number / 64] >> (number % 64) & 1) != 0;
    if (!logged) {
        if (number < 512) p.warned[number / 64] |= uint64_t{1} << (number % 64);
        const char* name = name_of(number);
        console::print("{}[{}]: syscall {}{}{}{} is not implemented: -ENOSYS\n", p.name, p.pid,
                       number, name != nullptr ? " (" : "", name != nullptr ? name : "",
                       name != nullptr ? ")" : "");
    }
    return -kEnosys;
}

}  // namespace

bool copy_from_user(const Process& p, void* to, uint64_t from, uint64_t size) {
    if (!user_range(p, from, size, false)) return false;
    KEEL_CSR_SET(sstatus, kSum);
    memcpy(to, reinterpret_cast<const void*>(from), size);
    KEEL_CSR_CLEAR(sstatus, kSum);
    return true;
}

bool copy_to_user(const Process& p, uint64_t to, const void* from, uint64_t size) {
    if (!user_range(p, to, size, true)) return false;
    KEEL_CSR_SET(sstatus, kSum);
    memcpy(reinterpret_cast<void*>(to), from, size);
    KEEL_CSR_CLEAR(sstatus, kSum);
    return true;
}

int64_t dispatch(Process& p, TrapFrame& frame) {
    const uint64_t number = frame.regs[17];  // a7
    const uint64_t* a = &frame.regs[10];     // a0..a5
    // The program waits in a syscall like any task: with interrupts on (the trap turned them off).
    csr::enable_interrupts();
    int64_t result;
    switch (number) {
    case kWrite: result = do_write(p, a[0], a[1], a[2]); break;
    case kWritev: result = do_writev(p, a[0], a[1], a[2]); break;
    case kExit:
    case kExitGroup: process::exit_current(static_cast<int>((a[0] & 0xff) << 8));
    case kGetpid:
    case kGettid:
    case kSetTidAddress: result = static_cast<int64_t>(p.pid); break;
    case kGetppid: result = static_cast<int64_t>(p.parent); break;
    case kSetRobustList: result = 0; break;
    case kSchedYield:
        sched::yield();
        result = 0;
        break;
    case kBrk: result = do_brk(p, a[0]); break;
    case kUname: result = do_uname(p, a[0]); break;
    case kClockGettime: result = do_clock_gettime(p, a[1]); break;
    case kNanosleep: result = do_nanosleep(p, a[0]); break;
    case kGetrandom: result = do_getrandom(p, a[0], a[1]); break;
    case kIoctl: result = a[0] <= 2 ? -kEnotty : -kEbadf; break;
    default: result = unknown(p, number);
    }
    csr::disable_interrupts();  // back to the trap exit, which restores the program's sstatus
    return result;
}

}  // namespace keel::syscalls
