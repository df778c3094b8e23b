// SPDX-License-Identifier: MIT
// ObjectCache<T>: the kernel's small objects of one type (inodes, directory entries, open files,
// pipes), each a slab (mm/slab.h) over pages from the page allocator, under a lock of its own.
// make() constructs one in place, zeroed first; destroy() runs its destructor and frees it. A free
// that the slab refuses (not one of its objects, or freed already) is a kernel bug and panics.
#pragma once
#include <keel/core/lock.h>
#include <keel/lib/new.h>
#include <keel/mm/slab.h>

namespace keel::mm {

// The untyped part: one slab and its lock.
class KernelSlab {
public:
    constexpr KernelSlab(const char* name, size_t size, size_t align) : slab_(name, size, align) {}
    void* allocate();
    void free(void* object);
    SlabCache::Counters counters();
    const char* name() const { return slab_.name(); }
    KernelSlab* next() const { return next_; }

private:
    SlabCache slab_;
    Lock lock_;
    bool ready_ = false;          // pages given to the slab (at its first allocation)
    KernelSlab* next_ = nullptr;  // in the list of caches in use (for_each_cache)
};

// Every cache that has had an object, in the order of their first: for `mem`.
KernelSlab* first_cache();

template <typename T>
class ObjectCache {
public:
    constexpr explicit ObjectCache(const char* name) : slab_(name, sizeof(T), alignof(T)) {}

    // A new T(args...), or nullptr when no page can be had.
    template <typename... Args>
    T* make(Args&&... args) {
        void* place = slab_.allocate();
        return place != nullptr ? new (place) T(static_cast<Args&&>(args)...) : nullptr;
    }
    void destroy(T* object) {
        if (object == nullptr) return;
        object->~T();
        slab_.free(object);
    }
    SlabCache::Counters counters() { return slab_.counters(); }

private:
    KernelSlab slab_;
};

}  // namespace keel::mm
