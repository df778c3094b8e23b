// SPDX-License-Identifier: MIT
// A process's regions: the ranges of its address space it has mapped and what each may do (Linux's
// VMAs, mm/mmap.c). A sorted array of disjoint, page-aligned regions in one block of whole pages
// from a RegionStorage (the page allocator in the kernel, malloc in the host tests); neighbours
// that touch and agree on everything are kept merged, so the list is as short as it can be.
// Every operation that fails changes nothing. Portable: no hardware, no heap, no lock (the owner
// serialises its calls).
#pragma once
#include <keel/lib/result.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::mm {

// Linux's PROT_* values (include/uapi/asm-generic/mman-common.h), so that mmap and mprotect pass
// theirs straight through. No bit at all is PROT_NONE.
inline constexpr uint32_t kProtRead = 1u << 0;
inline constexpr uint32_t kProtWrite = 1u << 1;
inline constexpr uint32_t kProtExec = 1u << 2;
inline constexpr uint32_t kProtAll = kProtRead | kProtWrite | kProtExec;

// What a region is, beyond its protection. Regions merge only when their flags are equal.
inline constexpr uint32_t kRegionGrowsDown = 1u << 0;  // a stack (VM_GROWSDOWN): keeps a guard gap
inline constexpr uint32_t kRegionHeap = 1u << 1;       // the brk heap
inline constexpr uint32_t kRegionNoReserve = 1u << 2;  // MAP_NORESERVE: not counted as committed
inline constexpr uint32_t kRegionShared = 1u << 3;     // MAP_SHARED: writes reach the object
inline constexpr uint32_t kRegionImage = 1u << 4;      // a segment of the program's executable
// Never writable (VM_MAYWRITE clear): a MAP_SHARED mapping of a file opened read-only.
inline constexpr uint32_t kRegionNoWrite = 1u << 5;
inline constexpr uint32_t kRegionAllFlags = kRegionGrowsDown | kRegionHeap | kRegionNoReserve |
                                            kRegionShared | kRegionImage | kRegionNoWrite;

struct Region {
    uint64_t start;  // page aligned; the region is [start, end)
    uint64_t end;
    uint32_t protection;  // kProt* bits
    uint32_t flags;       // kRegion* bits
    uint64_t object;      // 0: anonymous memory; otherwise an opaque handle (a mapped file)
    uint64_t offset;      // page aligned byte offset into `object` at `start` (0 when anonymous)
    uint64_t size() const { return end - start; }
    friend bool operator==(const Region&, const Region&) = default;
};
// 102 regions to a page: the growth arithmetic and kMaxRegions' largest block count on it.
static_assert(sizeof(Region) == 40);

// Whether b continues a: they touch, agree on protection, flags and object, and a file's pages
// follow on (a.offset + a.size() == b.offset). Such neighbours are one region.
bool can_merge(const Region& a, const Region& b);

// What the list needs from its owner. allocate: a block of 2^order 4 KiB pages (the list writes
// a region before it reads it: the block need not be zeroed), or nullptr; release takes one back
// with the order it was allocated with. hold and drop (either may be nullptr) keep a region's
// object alive as Linux's VMAs hold their file: hold(object) for each region that comes to name
// it, drop(object) for each that stops (a split holds once more, a merge or a removal drops), so
// that an object has exactly one hold per region naming it. A change makes its holds before its
// drops, and a failed one makes neither: an object a change keeps is never dropped to nothing in
// between.
struct RegionStorage {
    void* (*allocate)(unsigned order, void* context);
    void (*release)(void* block, unsigned order, void* context);
    void* context;
    void (*hold)(uint64_t object, void* context) = nullptr;
    void (*drop)(uint64_t object, void* context) = nullptr;
};

enum class RegionError : uint8_t {
    kNotAligned,     // an address, size, offset or guard is not a multiple of 4 KiB
    kBadRange,       // an empty or wrapping range, or a file offset that wraps
    kBadAttributes,  // protection or flags with bits keel does not know
    kOverlap,        // insert: part of the range is in a region already
    kNotMapped,      // protect: part of the range is in no region (Linux's mprotect: ENOMEM)
    kNoMemory,       // no block for a longer list
    kTooMany,        // the list would hold more regions than its limit
    kNoSpace,        // find_free_top_down: no gap fits
};

const char* region_error_name(RegionError error);

class RegionList {
public:
    // Linux's default vm.max_map_count (DEFAULT_MAX_MAP_COUNT): the most regions a list holds.
    static constexpr size_t kMaxRegions = 65530;

    RegionList() = default;  // a list with no storage and a limit of 0: it stays empty
    // A list whose block comes from `storage`, holding at most `limit` regions (at most
    // kMaxRegions; tests pass fewer to reach the limit quickly).
    explicit RegionList(RegionStorage storage, size_t limit = kMaxRegions);
    RegionList(const RegionList&) = delete;
    RegionList& operator=(const RegionList&) = delete;
    ~RegionList() { clear(); }

    // The region holding `address`, or nullptr.
    const Region* find(uint64_t address) const;
    // The region holding `address` or else the first above it; nullptr when there is none.
    const Region* next_from(uint64_t address) const;
    // The last region starting below `address` (it may hold it), or nullptr.
    const Region* previous_before(uint64_t address) const;
    // Whether no region meets [start, end) (true for an empty range).
    bool is_free(uint64_t start, uint64_t end) const;

    // Adds a region where there is none (kOverlap otherwise), merged with neighbours it continues.
    Result<void, RegionError> insert(const Region& region);
    // Takes [start, end) out of whatever regions it meets; gaps in it are fine, and a region it
    // lies inside is split in two.
    Result<void, RegionError> remove(uint64_t start, uint64_t end);
    // Gives all of [start, end) `protection`; it must lie in regions with no gap (kNotMapped).
    // Regions it cuts through are split; neighbours that end up alike are merged.
    Result<void, RegionError> protect(uint64_t start, uint64_t end, uint32_t protection);

    // The highest page-aligned a with [a, a + size) free and inside [low, high), where the region
    // just above (if any) is at least `guard` bytes above a + size when it grows down (Linux's
    // stack_guard_gap), so that a stack keeps room to grow. kNoSpace when nothing fits.
    Result<uint64_t, RegionError> find_free_top_down(uint64_t size, uint64_t low, uint64_t high,
                                                     uint64_t guard) const;

    // Makes this list a copy of `other` (fork): each object its regions name is held once more per
    // region. On an error this list is as it was.
    Result<void, RegionError> copy_from(const RegionList& other);
    // Removes every region (each object dropped) and gives the block back.
    void clear();
    // Trades contents (regions, block, storage and limit) with `other` (execve's new image).
    void swap(RegionList& other);

    size_t count() const { return count_; }
    // Pages of the block the list holds (0 when it holds none).
    size_t block_pages() const { return regions_ != nullptr ? size_t{1} << order_ : 0; }
    const Region& at(size_t index) const { return regions_[index]; }
    const Region* begin() const { return regions_; }
    const Region* end() const { return regions_ + count_; }

    // Whether the list is well formed: sorted, aligned, non-empty and disjoint regions with known
    // bits, no neighbours left unmerged, within its limit and its block (for tests).
    bool check() const;

private:
    struct ProtectPlan;

    size_t first_ending_after(uint64_t address) const;
    size_t first_starting_from(uint64_t address) const;
    Result<void, RegionError> make_room(size_t wanted);
    void replace(size_t first, size_t last, const Region* with, size_t with_count);
    Region protected_piece(const ProtectPlan& plan, size_t index) const;
    size_t merges_after_protect(const ProtectPlan& plan) const;
    void apply_protect(const ProtectPlan& plan);
    void release_block();
    void hold(const Region& region) const;
    void drop(const Region& region) const;
    void drop_all(size_t first, size_t last) const;

    RegionStorage storage_{};
    size_t limit_ = 0;
    Region* regions_ = nullptr;
    size_t count_ = 0;
    size_t capacity_ = 0;
    unsigned order_ = 0;  // of the block regions_ points at (when not null)
};

}  // namespace keel::mm
