// SPDX-License-Identifier: MIT
// Atomics over the compiler's __atomic builtins (GCC and Clang), for kernel and host alike.
// Each member maps to one builtin; MemoryOrder names the C++ memory orders.
#pragma once

namespace keel {

enum class MemoryOrder : int {
    kRelaxed = __ATOMIC_RELAXED,
    kAcquire = __ATOMIC_ACQUIRE,
    kRelease = __ATOMIC_RELEASE,
    kAcqRel = __ATOMIC_ACQ_REL,
    kSeqCst = __ATOMIC_SEQ_CST,
};

template <typename T>
class Atomic {
public:
    // T may be a pointer: its own size is the one that matters here.
    static_assert(__atomic_always_lock_free(sizeof(T), 0),  // NOLINT(bugprone-sizeof-expression)
                  "keel only uses lock-free atomics");

    constexpr Atomic() : value_() {}
    constexpr explicit Atomic(T initial) : value_(initial) {}
    Atomic(const Atomic&) = delete;
    Atomic& operator=(const Atomic&) = delete;

    // The generic builtins (not the _n forms) so that T may be an enum as well as an integer.
    T load(MemoryOrder order = MemoryOrder::kSeqCst) const {
        T result;
        __atomic_load(&value_, &result, static_cast<int>(order));
        return result;
    }
    void store(T desired, MemoryOrder order = MemoryOrder::kSeqCst) {
        __atomic_store(&value_, &desired, static_cast<int>(order));
    }
    T exchange(T desired, MemoryOrder order = MemoryOrder::kSeqCst) {
        T previous;
        __atomic_exchange(&value_, &desired, &previous, static_cast<int>(order));
        return previous;
    }
    T fetch_add(T delta, MemoryOrder order = MemoryOrder::kSeqCst) {
        return __atomic_fetch_add(&value_, delta, static_cast<int>(order));
    }
    T fetch_or(T bits, MemoryOrder order = MemoryOrder::kSeqCst) {
        return __atomic_fetch_or(&value_, bits, static_cast<int>(order));
    }
    T fetch_sub(T delta, MemoryOrder order = MemoryOrder::kSeqCst) {
        return __atomic_fetch_sub(&value_, delta, static_cast<int>(order));
    }
    // On failure `expected` receives the current value. The weak form may fail spuriously
    // (an LR/SC pair on RISC-V); use it in loops.
    bool compare_exchange_weak(T& expected, T desired, MemoryOrder success, MemoryOrder failure) {
        return __atomic_compare_exchange(&value_, &expected, &desired, true,
                                         static_cast<int>(success), static_cast<int>(failure));
    }
    bool compare_exchange_strong(T& expected, T desired, MemoryOrder success, MemoryOrder failure) {
        return __atomic_compare_exchange(&value_, &expected, &desired, false,
                                         static_cast<int>(success), static_cast<int>(failure));
    }
    // For a value only one hart (or thread) ever writes: adds `delta` with a plain load and store.
    // Exact, since nobody else writes it; others may read it at any time, as an aligned word's
    // store is single-copy atomic. On RISC-V GCC 12 turns even a relaxed atomic store into an
    // amoswap, the read-modify-write this exists to avoid, so the kernel stores through volatile;
    // the host keeps the atomic store, so that TSan checks the one-writer rule.
    void add_by_owner(T delta) {
        const T next = static_cast<T>(load(MemoryOrder::kRelaxed) + delta);
#if defined(__riscv)
        *const_cast<volatile T*>(&value_) = next;
#else
        store(next, MemoryOrder::kRelaxed);
#endif
    }
    // Raises the value to at least `candidate`; returns the value it replaced (or found).
    T fetch_max(T candidate, MemoryOrder order = MemoryOrder::kRelaxed) {
        T seen = load(MemoryOrder::kRelaxed);
        while (seen < candidate &&
               !compare_exchange_weak(seen, candidate, order, MemoryOrder::kRelaxed)) {
        }
        return seen;
    }

private:
    T value_;
};

}  // namespace keel
