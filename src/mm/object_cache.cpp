// SPDX-License-Identifier: MIT
// The kernel's slabs (include/keel/mm/object_cache.h): pages from the page allocator, through the
// direct map.
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/panic.h>
#include <keel/mm/object_cache.h>
#include <keel/mm/pages.h>

namespace keel::mm {
namespace {

void* slab_page(void*) {
    const auto page = pages::allocate(0);
    return page.ok() ? memlayout::to_pointer<void>(page.value()) : nullptr;
}

void release_slab_page(void* page, void*) {
    pages::free(memlayout::to_physical(page), 0);
}

// The caches in use, newest last; each joins once, at its first allocation, and never leaves.
constinit Lock g_caches_lock;
constinit KernelSlab* g_first = nullptr;
constinit KernelSlab** g_tail = &g_first;

}  // namespace

KernelSlab* first_cache() {
    LockGuard guard(g_caches_lock, KEEL_HERE);
    return g_first;
}

void* KernelSlab::allocate() {
    LockGuard guard(lock_, KEEL_HERE);
    if (!ready_) {
        slab_.init(SlabPages{&slab_page, &release_slab_page, nullptr});
        ready_ = true;
        LockGuard list_guard(g_caches_lock, KEEL_HERE);
        *g_tail = this;
        g_tail = &next_;
    }
    return slab_.allocate();
}

void KernelSlab::free(void* object) {
    Result<void, SlabError> freed;
    {
        LockGuard guard(lock_, KEEL_HERE);
        freed = slab_.free(object);
    }
    if (!freed.ok()) {
        panic("{} object {:#x} freed from {:#x}: {}", slab_.name(),
              reinterpret_cast<uintptr_t>(object),
              reinterpret_cast<uintptr_t>(__builtin_return_address(0)),
              slab_error_name(freed.error()));
    }
}

SlabCache::Counters KernelSlab::counters() {
    LockGuard guard(lock_, KEEL_HERE);
    return slab_.counters();
}

}  // namespace keel::mm
