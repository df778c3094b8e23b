// SPDX-License-Identifier: MIT
// PageAllocator: whole 4 KiB pages of RAM, one at a time or in aligned runs of 2^order pages (a
// buddy allocator: free blocks of each order on their own list; a block is split on the way down
// and merged with its free buddy on the way back). Allocation and freeing take O(kMaxOrder) steps
// under one spin lock, so every hart may use it at once. Blocks come zeroed (unless asked not to).
//
// Checked on every free: the address must be page aligned, inside managed RAM, the start of an
// allocated block of exactly that order; anything else is an error that changes nothing (the
// kernel's wrapper panics with the address and the caller). Counters are exact.
//
// Memory is reached through `virtual_offset` (the address where physical 0 is mapped: the direct
// map's base, KEEL_DIRECT_MAP, in the kernel; a host buffer's address minus the RAM base in the
// host tests). The
// allocator keeps one byte of state per page of RAM, and a 16-bit count of a page's other owners
// (a page shared copy-on-write by forked programs), in pages it takes from the free ranges at
// init, and the links of its free lists in the free blocks themselves. Free memory is carved into
// blocks only as allocation reaches it, so init touches none of it.
//
// Sharing (single pages only): allocate() gives a page one owner; share() adds one; release()
// takes one away, and frees the page with its last. free() is for a page with a single owner.
#pragma once
#include <keel/lib/atomic.h>
#include <keel/lib/result.h>
#include <keel/mm/phys_map.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::mm {

enum class PageError : uint8_t {
    kNone,
    kOutOfMemory,     // no free block of the order asked (or larger)
    kBadOrder,        // order > kMaxOrder
    kNotPageAligned,  // free(): not the start of a page
    kNotRam,          // free(): outside the RAM the allocator manages
    kNotAllocated,    // free(): not the start of an allocated block (free already, or inside one)
    kWrongOrder,      // free(): allocated with another order
    kNoRoom,          // init(): no free range can hold the per-page state
    kShared,          // free(): the page has other owners (release() is the way)
    kTooShared,       // share(): the count is full (the caller copies the page instead)
};

const char* page_error_name(PageError error);

// What a new block holds: zeros, or whatever it held before, for a caller that writes every byte
// it will read (a page it copies into, an object it constructs) and need not pay for zeroing it
// first (640 instructions a page).
enum class Contents : uint8_t { kZeroed, kUninitialized };

class PageAllocator {
public:
    static constexpr unsigned kMaxOrder = 10;  // blocks up to 2^10 pages (4 MiB)
    static constexpr size_t kMaxRegions = PhysMap::kMaxRam;

    struct Counters {
        uint64_t total;     // pages of RAM
        uint64_t reserved;  // of them, never free: reservations and the allocator's own state
        uint64_t free;      // free now
        uint64_t in_use;    // allocated now (total - reserved - free)
        uint64_t peak;      // the most ever allocated at once
    };

    constexpr PageAllocator() = default;
    PageAllocator(const PageAllocator&) = delete;
    PageAllocator& operator=(const PageAllocator&) = delete;

    // Manages the RAM ranges `ram` (page-aligned, disjoint, sorted: PhysMap::ram_pages) with the
    // pages of `free` (PhysMap::free_pages) free. Call once, before anything allocates.
    Result<void, PageError> init(const Range* ram, size_t ram_count, const Range* free,
                                 size_t free_count, uintptr_t virtual_offset);

    // The physical address of a block of 2^order pages, aligned to its size, zeroed unless asked.
    Result<uint64_t, PageError> allocate(unsigned order = 0, Contents contents = Contents::kZeroed);
    // Gives a block back. On an error nothing changes.
    Result<void, PageError> free(uint64_t address, unsigned order = 0);

    // One more owner of the allocated page (order 0) at `address`.
    Result<void, PageError> share(uint64_t address);
    // One owner fewer: true when that was the last, and the page is free now.
    Result<bool, PageError> release(uint64_t address);
    // The owners of the allocated page at `address`; 0 for anything else.
    uint32_t owners(uint64_t address) const;

    Counters counters() const;
    // The pages of the allocator's own state (taken from the free ranges at init).
    Range state() const { return state_; }

private:
    struct Region {
        uint64_t base;  // physical, page aligned
        uint64_t pages;
        uint8_t* state;    // one byte per page
        uint16_t* others;  // per page: its owners but one (0 unless shared)
    };
    struct Link {  // at the start of every free block
        uint64_t next;
        uint64_t prev;
    };

    void lock() const;
    void unlock() const;
    const Region* region_of(uint64_t address) const;
    // Whether `address` is an allocated single page of `region` (with the lock held).
    PageError check_single(const Region* region, uint64_t address) const;
    // With the lock held: the owner count (its owners but one) of the single page at `address`,
    // or nullptr with `error` saying why there is none.
    uint16_t* others_of(const Region* region, uint64_t address, PageError& error) const;
    Link* link(uint64_t address) const;
    void push(unsigned order, uint64_t address);
    void remove(unsigned order, uint64_t address);
    uint64_t pop(unsigned order);
    // Frees the block at `address` of `order` into the lists, merging with free buddies.
    void insert(const Region& region, uint64_t address, unsigned order);
    // Puts the next block of the untouched free ranges on the lists; false when none is left.
    bool carve();

    Region regions_[kMaxRegions] = {};
    size_t region_count_ = 0;
    static constexpr uint64_t kNone = ~0ull;  // no block (physical 0 may well be RAM)
    uint64_t heads_[kMaxOrder + 1] = {kNone, kNone, kNone, kNone, kNone, kNone,
                                      kNone, kNone, kNone, kNone, kNone};
    uintptr_t virtual_offset_ = 0;
    Range state_;
    // Free ranges not yet carved into blocks (init does not touch free memory), in order.
    static constexpr size_t kMaxUntouched = PhysMap::kMaxRam + PhysMap::kMaxReservations + 1;
    Range untouched_[kMaxUntouched] = {};
    size_t untouched_count_ = 0;
    size_t next_untouched_ = 0;
    uint64_t total_ = 0;
    uint64_t reserved_ = 0;
    Atomic<uint64_t> free_{0};
    Atomic<uint64_t> peak_{0};
    mutable Atomic<uint32_t> lock_{0};
};

}  // namespace keel::mm
