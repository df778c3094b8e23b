// SPDX-License-Identifier: MIT
// Slab caches (include/keel/mm/slab.h). A page's free objects are the clear bits of its bitmap, not
// a list threaded through the free objects: a stray write to a freed object then cannot corrupt
// the cache, and the lowest free object is a scan of at most eight words.
#include <keel/lib/memory.h>
#include <keel/lib/new.h>
#include <keel/mm/slab.h>

namespace keel::mm {
namespace {

// "keelslab": a page that starts with anything else is not a slab page.
constexpr uint64_t kSlabMagic = 0x6b65656c736c6162;

constexpr bool is_allocated(const SlabPage& page, size_t index) {
    return (page.allocated[index / 64] >> (index % 64) & 1) != 0;
}

// The lowest clear bit, one word at a time and then one bit at a time: rv64gc has no count-
// trailing-zeros instruction (that is Zbb), and the kernel links no libgcc for __builtin_ctzll.
// The page has a free object, so the bit found is below its object count.
size_t lowest_free(const SlabPage& page) {
    size_t word = 0;
    while (page.allocated[word] == ~uint64_t{0}) ++word;
    size_t bit = 0;
    while ((page.allocated[word] >> bit & 1) != 0) ++bit;
    return word * 64 + bit;
}

SlabPage* page_of(const void* object) {
    return reinterpret_cast<SlabPage*>(reinterpret_cast<uintptr_t>(object) & ~(kSlabPageSize - 1));
}

}  // namespace

const char* slab_error_name(SlabError error) {
    switch (error) {
    case SlabError::kNotOurs: return "not this cache's object";
    case SlabError::kNotAnObject: return "not the start of an object";
    case SlabError::kNotAllocated: return "not allocated (freed twice?)";
    }
    return "?";
}

void* SlabCache::object_at(SlabPage& page, size_t index) const {
    return reinterpret_cast<unsigned char*>(&page) + layout_.first + index * layout_.stride;
}

SlabPage* SlabCache::add_page() {
    if (layout_.per_page == 0 || pages_.allocate == nullptr) return nullptr;
    void* memory = pages_.allocate(pages_.context);
    if (memory == nullptr) return nullptr;
    // Every field written, the bitmap cleared: the header does not rely on the page being zeroed.
    auto* page = new (memory)
        SlabPage{kSlabMagic, this, ListLink{}, static_cast<uint32_t>(layout_.per_page), {}};
    ++pages_held_;
    return page;
}

void SlabCache::release_page(SlabPage& page) {
    // Cleared first, so that a stale pointer into a page that is no longer a slab page is refused.
    page.magic = 0;
    page.cache = nullptr;
    --pages_held_;
    pages_.release(&page, pages_.context);
}

void* SlabCache::allocate() {
    SlabPage* page = partial_.front();
    const bool fresh = page == nullptr;
    if (fresh) page = add_page();
    if (page == nullptr) return nullptr;
    const size_t index = lowest_free(*page);
    page->allocated[index / 64] |= uint64_t{1} << (index % 64);
    --page->free_count;
    // A fresh page joins the partial list if it has room left; a page that has just filled leaves.
    if (fresh && page->free_count != 0) partial_.push_back(*page);
    if (!fresh && page->free_count == 0) partial_.remove(*page);
    if (++objects_ > peak_objects_) peak_objects_ = objects_;
    void* object = object_at(*page, index);
    memset(object, 0, object_size_);  // fresh pages come zeroed, but freed objects keep their bytes
    return object;
}

Result<void, SlabError> SlabCache::free(void* object) {
    if (object == nullptr) return {};
    SlabPage* page = page_of(object);
    if (page->magic != kSlabMagic || page->cache != this) return SlabError::kNotOurs;
    const uintptr_t offset =
        reinterpret_cast<uintptr_t>(object) - reinterpret_cast<uintptr_t>(page);
    if (offset < layout_.first || (offset - layout_.first) % layout_.stride != 0)
        return SlabError::kNotAnObject;
    const size_t index = (offset - layout_.first) / layout_.stride;
    if (index >= layout_.per_page) return SlabError::kNotAnObject;  // the tail no object fills
    if (!is_allocated(*page, index)) return SlabError::kNotAllocated;

    page->allocated[index / 64] &= ~(uint64_t{1} << (index % 64));
    --objects_;
    // A full page is on no list. A page whose last object has gone goes back at once (the list
    // holds no empty page); any other with one object free again is a partial page.
    const bool was_full = page->free_count++ == 0;
    if (page->free_count == layout_.per_page) {
        if (!was_full) partial_.remove(*page);
        release_page(*page);
    } else if (was_full) {
        partial_.push_back(*page);
    }
    return {};
}

}  // namespace keel::mm
