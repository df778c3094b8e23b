// SPDX-License-Identifier: MIT
// PageAllocator: a buddy allocator over pages (include/keel/mm/page_allocator.h).
#include <keel/lib/memory.h>
#include <keel/mm/page_allocator.h>

namespace keel::mm {
namespace {

// One byte per page. Only the first page of a block says anything; every other page is kBody,
// as is every page the allocator does not hand out (reserved), so that free() of such a page is
// refused.
constexpr uint8_t kBody = 0x00;
constexpr uint8_t kFreeHead = 0x80;       // | order
constexpr uint8_t kAllocatedHead = 0x40;  // | order
constexpr uint8_t kOrderMask = 0x0f;

static_assert(PageAllocator::kMaxOrder <= kOrderMask, "the order must fit the state byte");

uint64_t block_bytes(unsigned order) {
    return kPageSize << order;
}

}  // namespace

const char* page_error_name(PageError error) {
    switch (error) {
    case PageError::kNone: return "no error";
    case PageError::kOutOfMemory: return "out of memory";
    case PageError::kBadOrder: return "order too large";
    case PageError::kNotPageAligned: return "not page aligned";
    case PageError::kNotRam: return "not RAM the page allocator manages";
    case PageError::kNotAllocated: return "not an allocated block";
    case PageError::kWrongOrder: return "allocated with another order";
    case PageError::kNoRoom: return "no room for the page state";
    case PageError::kShared: return "shared with other owners";
    case PageError::kTooShared: return "too many owners";
    }
    return "?";
}

void PageAllocator::lock() const {
    while (lock_.exchange(1, MemoryOrder::kAcquire) != 0) {
        while (lock_.load(MemoryOrder::kRelaxed) != 0) {
        }
    }
}

void PageAllocator::unlock() const {
    lock_.store(0, MemoryOrder::kRelease);
}

const PageAllocator::Region* PageAllocator::region_of(uint64_t address) const {
    for (size_t i = 0; i < region_count_; ++i) {
        const Region& r = regions_[i];
        if (address >= r.base && (address - r.base) / kPageSize < r.pages) return &r;
    }
    return nullptr;
}

PageAllocator::Link* PageAllocator::link(uint64_t address) const {
    return reinterpret_cast<Link*>(static_cast<uintptr_t>(address) + virtual_offset_);
}

void PageAllocator::push(unsigned order, uint64_t address) {
    Link* node = link(address);
    node->next = heads_[order];
    node->prev = kNone;
    if (heads_[order] != kNone) link(heads_[order])->prev = address;
    heads_[order] = address;
}

void PageAllocator::remove(unsigned order, uint64_t address) {
    const Link* node = link(address);
    if (node->prev != kNone) {
        link(node->prev)->next = node->next;
    } else {
        heads_[order] = node->next;
    }
    if (node->next != kNone) link(node->next)->prev = node->prev;
}

uint64_t PageAllocator::pop(unsigned order) {
    const uint64_t address = heads_[order];
    if (address != kNone) remove(order, address);
    return address;
}

void PageAllocator::insert(const Region& region, uint64_t address, unsigned order) {
    // Merge upward while the buddy (the other half of the block one order up) is a free block of
    // the same order inside this region.
    while (order < kMaxOrder) {
        const uint64_t buddy = address ^ block_bytes(order);
        if (buddy < region.base ||
            (buddy - region.base) / kPageSize + (1ull << order) > region.pages)
            break;
        uint8_t& buddy_state = region.state[(buddy - region.base) / kPageSize];
        if (buddy_state != (kFreeHead | order)) break;
        remove(order, buddy);
        buddy_state = kBody;
        region.state[(address - region.base) / kPageSize] = kBody;
        if (buddy < address) address = buddy;
        ++order;
    }
    region.state[(address - region.base) / kPageSize] = static_cast<uint8_t>(kFreeHead | order);
    push(order, address);
}

Result<void, PageError> PageAllocator::init(const Range* ram, size_t ram_count, const Range* free,
                                            size_t free_count, uintptr_t virtual_offset) {
    virtual_offset_ = virtual_offset;
    region_count_ = ram_count < kMaxRegions ? ram_count : kMaxRegions;
    total_ = 0;
    for (size_t i = 0; i < region_count_; ++i) {
        regions_[i] = Region{ram[i].base, ram[i].size / kPageSize, nullptr, nullptr};
        total_ += regions_[i].pages;
    }
    // A byte of state per page, then (aligned) two bytes of count.
    const uint64_t counts_at = (total_ + 1) & ~uint64_t{1};
    const uint64_t state_bytes = counts_at + total_ * sizeof(uint16_t);
    // The state goes at the start of the largest free range.
    size_t home = free_count;
    for (size_t i = 0; i < free_count; ++i) {
        if (home == free_count || free[i].size > free[home].size) home = i;
    }
    const uint64_t state_size = (state_bytes + kPageSize - 1) & ~(kPageSize - 1);
    if (home == free_count || free[home].size < state_size) return PageError::kNoRoom;
    state_ = Range{free[home].base, state_size};
    auto* state = reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(state_.base) + virtual_offset);
    memset(state, 0, total_);  // kBody (the counts are set as pages are allocated)
    auto* others = reinterpret_cast<uint16_t*>(state + counts_at);
    for (size_t i = 0; i < region_count_; ++i) {
        regions_[i].state = state;
        regions_[i].others = others;
        state += regions_[i].pages;
        others += regions_[i].pages;
    }

    // The free ranges are kept as they are and carved into blocks only when allocation needs
    // them (carve()): writing a list link into every free block at boot would touch all of RAM,
    // which QEMU's host pays for page by page (8 ms for 128 MiB, seconds for 8 GiB).
    uint64_t free_pages = 0;
    untouched_count_ = 0;
    next_untouched_ = 0;
    for (size_t i = 0; i < free_count && untouched_count_ < kMaxUntouched; ++i) {
        Range range = free[i];
        if (i == home) range = Range{range.base + state_size, range.size - state_size};
        if (range.size < kPageSize) continue;
        const Region* region = region_of(range.base);
        // A free range outside RAM (or across its end) is the caller's mistake: left out.
        if (region == nullptr || region_of(range.end() - 1) != region) continue;
        untouched_[untouched_count_++] = range;
        free_pages += range.size / kPageSize;
    }
    reserved_ = total_ - free_pages;
    free_.store(free_pages, MemoryOrder::kRelaxed);
    peak_.store(0, MemoryOrder::kRelaxed);
    return {};
}

bool PageAllocator::carve() {
    while (next_untouched_ < untouched_count_) {
        Range& range = untouched_[next_untouched_];
        if (range.size == 0) {
            ++next_untouched_;
            continue;
        }
        const uint64_t address = range.base;
        const uint64_t end = range.end();
        const Region& region = *region_of(address);
        // The largest block that starts here aligned to its size and fits the range: the
        // canonical buddy split of a contiguous range.
        unsigned order = 0;
        while (order < kMaxOrder && address % block_bytes(order + 1) == 0 &&
               end - address >= block_bytes(order + 1) &&
               (address - region.base) / kPageSize + (2ull << order) <= region.pages) {
            ++order;
        }
        range = Range{address + block_bytes(order), range.size - block_bytes(order)};
        insert(region, address, order);  // merges with a free buddy, as a free would
        return true;
    }
    return false;
}

Result<uint64_t, PageError> PageAllocator::allocate(unsigned order, Contents contents) {
    if (order > kMaxOrder) return PageError::kBadOrder;
    lock();
    unsigned found = order;
    for (;;) {
        while (found <= kMaxOrder && heads_[found] == kNone) ++found;
        if (found <= kMaxOrder) break;
        if (!carve()) {  // nothing on the lists that fits: a block from the untouched ranges
            unlock();
            return PageError::kOutOfMemory;
        }
        found = order;
    }
    const uint64_t address = pop(found);
    const Region& region = *region_of(address);
    // Split down to the order asked, putting each upper half back on its list.
    while (found > order) {
        --found;
        const uint64_t upper = address + block_bytes(found);
        region.state[(upper - region.base) / kPageSize] = static_cast<uint8_t>(kFreeHead | found);
        push(found, upper);
    }
    const uint64_t index = (address - region.base) / kPageSize;
    region.state[index] = static_cast<uint8_t>(kAllocatedHead | order);
    // A single page's owner count is read only while it is allocated: it starts here, not at
    // init (whose zeroing of every count tripled the allocator's start).
    if (order == 0) region.others[index] = 0;
    const uint64_t left = free_.load(MemoryOrder::kRelaxed) - (1ull << order);
    free_.store(left, MemoryOrder::kRelaxed);
    const uint64_t in_use = total_ - reserved_ - left;
    if (in_use > peak_.load(MemoryOrder::kRelaxed)) peak_.store(in_use, MemoryOrder::kRelaxed);
    unlock();
    if (contents == Contents::kZeroed) {
        memset(reinterpret_cast<void*>(static_cast<uintptr_t>(address) + virtual_offset_), 0,
               block_bytes(order));
    }
    return address;
}

Result<void, PageError> PageAllocator::free(uint64_t address, unsigned order) {
    if (order > kMaxOrder) return PageError::kBadOrder;
    if (address % kPageSize != 0) return PageError::kNotPageAligned;
    const Region* region = region_of(address);
    if (region == nullptr) return PageError::kNotRam;
    lock();
    const uint8_t state = region->state[(address - region->base) / kPageSize];
    if ((state & kAllocatedHead) == 0) {
        unlock();
        return PageError::kNotAllocated;
    }
    if ((state & kOrderMask) != order) {
        unlock();
        return PageError::kWrongOrder;
    }
    if (order == 0 && region->others[(address - region->base) / kPageSize] != 0) {
        unlock();
        return PageError::kShared;
    }
    insert(*region, address, order);
    free_.store(free_.load(MemoryOrder::kRelaxed) + (1ull << order), MemoryOrder::kRelaxed);
    unlock();
    return {};
}

PageError PageAllocator::check_single(const Region* region, uint64_t address) const {
    if (address % kPageSize != 0) return PageError::kNotPageAligned;
    if (region == nullptr) return PageError::kNotRam;
    const uint8_t state = region->state[(address - region->base) / kPageSize];
    if ((state & kAllocatedHead) == 0) return PageError::kNotAllocated;
    if ((state & kOrderMask) != 0) return PageError::kWrongOrder;
    return PageError::kNone;
}

uint16_t* PageAllocator::others_of(const Region* region, uint64_t address, PageError& error) const {
    error = check_single(region, address);
    return error == PageError::kNone ? &region->others[(address - region->base) / kPageSize]
                                     : nullptr;
}

Result<void, PageError> PageAllocator::share(uint64_t address) {
    const Region* region = region_of(address);
    lock();
    PageError error;
    uint16_t* others = others_of(region, address, error);
    if (others != nullptr && *others == UINT16_MAX) error = PageError::kTooShared;
    if (error == PageError::kNone) ++*others;
    unlock();
    if (error != PageError::kNone) return error;
    return {};
}

Result<bool, PageError> PageAllocator::release(uint64_t address) {
    const Region* region = region_of(address);
    lock();
    PageError error;
    uint16_t* others = others_of(region, address, error);
    const bool last = others != nullptr && *others == 0;
    if (last) {
        insert(*region, address, 0);
        free_.store(free_.load(MemoryOrder::kRelaxed) + 1, MemoryOrder::kRelaxed);
    } else if (others != nullptr) {
        --*others;
    }
    unlock();
    if (error != PageError::kNone) return error;
    return last;
}

uint32_t PageAllocator::owners(uint64_t address) const {
    const Region* region = region_of(address);
    lock();
    PageError error;
    const uint16_t* others = others_of(region, address, error);
    const uint32_t count = others != nullptr ? *others + 1u : 0;
    unlock();
    return count;
}

PageAllocator::Counters PageAllocator::counters() const {
    lock();  // so that the figures belong together (in use never above the peak)
    const uint64_t free = free_.load(MemoryOrder::kRelaxed);
    const Counters counters{total_, reserved_, free, total_ - reserved_ - free,
                            peak_.load(MemoryOrder::kRelaxed)};
    unlock();
    return counters;
}

}  // namespace keel::mm
