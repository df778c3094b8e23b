// SPDX-License-Identifier: MIT
// SlabCache: many objects of one size carved from whole 4 KiB pages (Bonwick's slab allocator,
// USENIX 1994, without constructors or colouring), for the small objects the kernel heap's bump
// allocator cannot give back: inodes, directory entries, open files, pipes. Each page starts with a
// header (SlabPage) and holds as many objects as fit after it; a page with a free object waits on
// its cache's list of partial pages, and a page whose last object is freed goes back at once, so
// that the page counters return exactly to where they were after a workload.
//
// free() checks everything it can before it changes anything: the page's header must carry the
// magic and this cache, the address must be the start of an object, and the page's bitmap must say
// it is allocated. Portable: no hardware, no heap, no lock (the owner serialises its calls).
#pragma once
#include <keel/lib/bits.h>
#include <keel/lib/intrusive_list.h>
#include <keel/lib/result.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::mm {

inline constexpr size_t kSlabPageSize = 4096;
// The most objects one page holds: the bitmap's size. Objects under 8 bytes leave part of their
// page unused rather than make every header larger.
inline constexpr size_t kSlabMaxObjectsPerPage = 512;

// Where a cache's pages come from: the page allocator through the direct map in the kernel, malloc
// in the host tests. allocate: a zeroed 4 KiB page, 4 KiB aligned, or nullptr.
struct SlabPages {
    void* (*allocate)(void* context);
    void (*release)(void* page, void* context);
    void* context;
};

enum class SlabError : uint8_t {
    kNotOurs,       // the page holds no slab header, or another cache's
    kNotAnObject,   // an address inside an object, or inside the page's header
    kNotAllocated,  // the object is free already: a double free
};

const char* slab_error_name(SlabError error);

class SlabCache;

// The header at the start of each of a cache's pages; its objects follow at SlabCache's
// first-object offset. (Declared here only because the cache's list names its link.)
struct SlabPage {
    uint64_t magic;          // kSlabMagic while the page is a cache's, 0 once it goes back
    const SlabCache* cache;  // the owner: free() refuses another cache's objects
    ListLink link;           // on the owner's partial list while 0 < free_count < objects a page
    uint32_t free_count;
    uint64_t allocated[kSlabMaxObjectsPerPage / 64];  // bit i: object i is allocated
};
static_assert(sizeof(SlabPage) <= 128, "a header larger than this costs big objects a page each");

class SlabCache {
public:
    // Where objects sit in a page: the first one's offset, the distance between them, how many.
    // Zero objects a page is a cache that refuses every allocation.
    struct Layout {
        size_t first = 0;
        size_t stride = 0;
        size_t per_page = 0;
    };
    // The layout for objects of `object_size` bytes aligned to `align` (a power of two). Sizes of
    // 0 and objects that do not fit a page after the header get no objects a page: at the default
    // 16-byte alignment the largest is 3984 bytes (4096 less the 112-byte header), one a page.
    static constexpr Layout layout_for(size_t object_size, size_t align) {
        Layout layout;
        if (object_size == 0 || object_size > kSlabPageSize || !is_power_of_two(align) ||
            align > kSlabPageSize)
            return layout;
        size_t first = 0;
        size_t stride = 0;
        if (!round_up(sizeof(SlabPage), align, first) || !round_up(object_size, align, stride) ||
            first + stride > kSlabPageSize)
            return layout;
        const size_t fit = (kSlabPageSize - first) / stride;
        return Layout{first, stride, fit < kSlabMaxObjectsPerPage ? fit : kSlabMaxObjectsPerPage};
    }

    constexpr SlabCache() = default;
    // Constant-initialised, so that caches can be constinit globals; init() gives them pages.
    constexpr SlabCache(const char* name, size_t object_size, size_t align = 16)
        : name_(name), object_size_(object_size), layout_(layout_for(object_size, align)) {}

    // Where pages come from. Call once, before the first allocate.
    void init(SlabPages pages) { pages_ = pages; }

    // A zeroed object aligned as asked, or nullptr when no page can be had (or the cache's objects
    // do not fit a page, or init has not been called).
    void* allocate();
    // Gives `object` back; nullptr is fine and does nothing (as kfree(NULL)). On an error nothing
    // changes. The object's page must be readable: any pointer the kernel holds is.
    Result<void, SlabError> free(void* object);

    struct Counters {
        size_t objects;       // allocated now
        size_t pages;         // held now
        size_t peak_objects;  // the most ever allocated at once
        friend bool operator==(const Counters&, const Counters&) = default;
    };
    Counters counters() const { return Counters{objects_, pages_held_, peak_objects_}; }
    const char* name() const { return name_; }
    size_t object_size() const { return object_size_; }
    size_t objects_per_page() const { return layout_.per_page; }

private:
    SlabPage* add_page();
    void release_page(SlabPage& page);
    void* object_at(SlabPage& page, size_t index) const;

    const char* name_ = "";
    size_t object_size_ = 0;
    Layout layout_{};
    SlabPages pages_{};
    IntrusiveList<SlabPage, &SlabPage::link> partial_;  // pages with a free object and a used one
    size_t objects_ = 0;
    size_t pages_held_ = 0;
    size_t peak_objects_ = 0;
};

}  // namespace keel::mm
