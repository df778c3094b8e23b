// SPDX-License-Identifier: MIT
// A process's regions (include/keel/mm/regions.h). Each change works out first how many regions
// the list will hold, gets the room for them (the one step that can fail), and only then edits the
// array, so that a failure leaves the list as it was.
#include <keel/lib/memory.h>
#include <keel/mm/regions.h>

namespace keel::mm {
namespace {

constexpr uint64_t kPage = 4096;

constexpr bool aligned(uint64_t value) {
    return value % kPage == 0;
}

// How many regions a block of 2^order pages holds.
constexpr size_t capacity_of(unsigned order) {
    return (kPage << order) / sizeof(Region);
}
// kMaxRegions fit in 2^10 pages: the page allocator's largest block (PageAllocator::kMaxOrder).
static_assert(capacity_of(10) >= RegionList::kMaxRegions);

// The first index at which holds() is true, for a holds() that is false and then true along the
// list (a binary search).
template <typename Holds>
size_t first_where(const Region* regions, size_t count, Holds holds) {
    size_t low = 0;
    size_t high = count;
    while (low < high) {
        const size_t middle = low + (high - low) / 2;
        if (holds(regions[middle])) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    return low;
}

// `region` cut down to [start, end), which lies inside it: a file's offset moves with the start.
Region clip(const Region& region, uint64_t start, uint64_t end) {
    Region piece = region;
    if (piece.object != 0) piece.offset += start - region.start;
    piece.start = start;
    piece.end = end;
    return piece;
}

Result<void, RegionError> validate_range(uint64_t start, uint64_t end) {
    if (!aligned(start) || !aligned(end)) return RegionError::kNotAligned;
    if (start >= end) return RegionError::kBadRange;
    return {};
}

// What insert accepts; check() holds every region of the list to it too.
Result<void, RegionError> validate(const Region& region) {
    const auto range = validate_range(region.start, region.end);
    if (!range.ok()) return range;
    if (!aligned(region.offset)) return RegionError::kNotAligned;
    // offset + size may not wrap: merging compares it with the next region's offset.
    if (region.object != 0 && region.offset + region.size() < region.offset)
        return RegionError::kBadRange;
    if ((region.protection & ~kProtAll) != 0 || (region.flags & ~kRegionAllFlags) != 0)
        return RegionError::kBadAttributes;
    return {};
}

// Whether regions [first, last) cover [start, end) with no gap.
bool covers(const Region* regions, size_t first, size_t last, uint64_t start, uint64_t end) {
    if (first >= last || regions[first].start > start || regions[last - 1].end < end) return false;
    for (size_t index = first + 1; index < last; ++index) {
        if (regions[index - 1].end != regions[index].start) return false;
    }
    return true;
}

}  // namespace

const char* region_error_name(RegionError error) {
    switch (error) {
    case RegionError::kNotAligned: return "not page aligned";
    case RegionError::kBadRange: return "empty or wrapping range";
    case RegionError::kBadAttributes: return "unknown protection or flags";
    case RegionError::kOverlap: return "overlaps a region";
    case RegionError::kNotMapped: return "not mapped";
    case RegionError::kNoMemory: return "no memory for the region list";
    case RegionError::kTooMany: return "too many regions";
    case RegionError::kNoSpace: return "no free range that size";
    }
    return "?";
}

bool can_merge(const Region& a, const Region& b) {
    return a.end == b.start && a.protection == b.protection && a.flags == b.flags &&
           a.object == b.object && (a.object == 0 || a.offset + a.size() == b.offset);
}

RegionList::RegionList(RegionStorage storage, size_t limit)
    : storage_(storage), limit_(limit < kMaxRegions ? limit : kMaxRegions) {}

size_t RegionList::first_ending_after(uint64_t address) const {
    return first_where(regions_, count_, [address](const Region& r) { return r.end > address; });
}

size_t RegionList::first_starting_from(uint64_t address) const {
    return first_where(regions_, count_, [address](const Region& r) { return r.start >= address; });
}

const Region* RegionList::find(uint64_t address) const {
    const size_t index = first_ending_after(address);
    return index < count_ && regions_[index].start <= address ? &regions_[index] : nullptr;
}

const Region* RegionList::next_from(uint64_t address) const {
    const size_t index = first_ending_after(address);
    return index < count_ ? &regions_[index] : nullptr;
}

const Region* RegionList::previous_before(uint64_t address) const {
    const size_t index = first_starting_from(address);
    return index > 0 ? &regions_[index - 1] : nullptr;
}

bool RegionList::is_free(uint64_t start, uint64_t end) const {
    if (start >= end) return true;
    const size_t index = first_ending_after(start);
    return index == count_ || regions_[index].start >= end;
}

void RegionList::release_block() {
    if (regions_ != nullptr && storage_.release != nullptr)
        storage_.release(regions_, order_, storage_.context);
    regions_ = nullptr;
    capacity_ = 0;
    order_ = 0;
}

void RegionList::hold(const Region& region) const {
    if (region.object != 0 && storage_.hold != nullptr)
        storage_.hold(region.object, storage_.context);
}

void RegionList::drop(const Region& region) const {
    if (region.object != 0 && storage_.drop != nullptr)
        storage_.drop(region.object, storage_.context);
}

void RegionList::drop_all(size_t first, size_t last) const {
    for (size_t index = first; index < last; ++index) drop(regions_[index]);
}

void RegionList::clear() {
    drop_all(0, count_);
    release_block();
    count_ = 0;
}

// Room for `wanted` regions: a block twice as large (or larger still) when this one is too small.
void RegionList::swap(RegionList& other) {
    const auto trade = [](auto& a, auto& b) {
        const auto held = a;
        a = b;
        b = held;
    };
    trade(storage_, other.storage_);
    trade(limit_, other.limit_);
    trade(regions_, other.regions_);
    trade(count_, other.count_);
    trade(capacity_, other.capacity_);
    trade(order_, other.order_);
}

Result<void, RegionError> RegionList::make_room(size_t wanted) {
    if (wanted > limit_) return RegionError::kTooMany;
    if (wanted <= capacity_) return {};
    unsigned order = regions_ == nullptr ? 0 : order_ + 1;
    while (capacity_of(order) < wanted) ++order;  // ends by order 10: wanted <= kMaxRegions
    void* block =
        storage_.allocate == nullptr ? nullptr : storage_.allocate(order, storage_.context);
    if (block == nullptr) return RegionError::kNoMemory;
    auto* grown = static_cast<Region*>(block);
    if (count_ > 0) memcpy(grown, regions_, count_ * sizeof(Region));
    release_block();
    regions_ = grown;
    capacity_ = capacity_of(order);
    order_ = order;
    return {};
}

// Puts with[0, with_count) where regions [first, last) are. The block must have room for the
// result (make_room), and `with` may not point into it. An empty list gives its block back.
void RegionList::replace(size_t first, size_t last, const Region* with, size_t with_count) {
    const size_t after = count_ - last;
    if (after > 0 && first + with_count != last)
        memmove(regions_ + first + with_count, regions_ + last, after * sizeof(Region));
    if (with_count > 0) memcpy(regions_ + first, with, with_count * sizeof(Region));
    count_ = count_ - (last - first) + with_count;
    if (count_ == 0) release_block();
}

Result<void, RegionError> RegionList::insert(const Region& region) {
    Region added = region;
    if (added.object == 0) added.offset = 0;  // anonymous memory has no offset to keep
    const auto valid = validate(added);
    if (!valid.ok()) return valid;
    const size_t index = first_ending_after(added.start);
    if (index < count_ && regions_[index].start < added.end) return RegionError::kOverlap;
    const bool left = index > 0 && can_merge(regions_[index - 1], added);
    const bool right = index < count_ && can_merge(added, regions_[index]);
    const size_t first = left ? index - 1 : index;
    const size_t last = right ? index + 1 : index;
    if (left) {
        added.start = regions_[first].start;
        added.offset = regions_[first].offset;
    }
    if (right) added.end = regions_[index].end;
    const auto room = make_room(count_ - (last - first) + 1);
    if (!room.ok()) return room;
    hold(added);  // (the neighbours it absorbs name the same object)
    drop_all(first, last);
    replace(first, last, &added, 1);
    return {};
}

Result<void, RegionError> RegionList::remove(uint64_t start, uint64_t end) {
    const auto valid = validate_range(start, end);
    if (!valid.ok()) return valid;
    const size_t first = first_ending_after(start);
    const size_t last = first_starting_from(end);
    if (first >= last) return {};  // no region meets the range
    // What is left of the regions at either end; they are apart, so neither merges.
    Region kept[2];
    size_t kept_count = 0;
    const Region& head = regions_[first];
    const Region& tail = regions_[last - 1];
    if (head.start < start) kept[kept_count++] = clip(head, head.start, start);
    if (tail.end > end) kept[kept_count++] = clip(tail, end, tail.end);
    const auto room = make_room(count_ - (last - first) + kept_count);
    if (!room.ok()) return room;
    for (size_t index = 0; index < kept_count; ++index) hold(kept[index]);
    drop_all(first, last);
    replace(first, last, kept, kept_count);
    return {};
}

// A protect worked out before anything changes. Regions [first, last) cover [start, end); the
// first (last) is cut in two when part of it lies outside and keeps another protection. Merges
// can happen only inside [low, high): those regions and the untouched neighbours beside them.
struct RegionList::ProtectPlan {
    uint64_t start;
    uint64_t end;
    uint32_t protection;
    size_t first;
    size_t last;
    bool split_first;
    bool split_last;
    size_t low;
    size_t high;
};

// Region `index` as the protect leaves it (the part of a split region inside the range).
Region RegionList::protected_piece(const ProtectPlan& plan, size_t index) const {
    const Region& region = regions_[index];
    if (index < plan.first || index >= plan.last) return region;
    const uint64_t start = index == plan.first && plan.split_first ? plan.start : region.start;
    const uint64_t end = index == plan.last - 1 && plan.split_last ? plan.end : region.end;
    Region piece = clip(region, start, end);
    piece.protection = plan.protection;
    return piece;
}

size_t RegionList::merges_after_protect(const ProtectPlan& plan) const {
    size_t merges = 0;
    for (size_t index = plan.low; index + 1 < plan.high; ++index) {
        if (can_merge(protected_piece(plan, index), protected_piece(plan, index + 1))) ++merges;
    }
    return merges;
}

Result<void, RegionError> RegionList::protect(uint64_t start, uint64_t end, uint32_t protection) {
    const auto valid = validate_range(start, end);
    if (!valid.ok()) return valid;
    if ((protection & ~kProtAll) != 0) return RegionError::kBadAttributes;
    const size_t first = first_ending_after(start);
    const size_t last = first_starting_from(end);
    if (!covers(regions_, first, last, start, end)) return RegionError::kNotMapped;
    const bool split_first =
        regions_[first].start < start && regions_[first].protection != protection;
    const bool split_last =
        regions_[last - 1].end > end && regions_[last - 1].protection != protection;
    const size_t low = split_first || first == 0 ? first : first - 1;
    const size_t high = split_last || last == count_ ? last : last + 1;
    const ProtectPlan plan{start, end, protection, first, last, split_first, split_last, low, high};
    const size_t splits = (plan.split_first ? 1 : 0) + (plan.split_last ? 1 : 0);
    const auto room = make_room(count_ + splits - merges_after_protect(plan));
    if (!room.ok()) return room;
    apply_protect(plan);
    return {};
}

// Merging first, then putting back the split-off parts, so the list never holds more regions
// than it will at the end (the room protect() made).
void RegionList::apply_protect(const ProtectPlan& plan) {
    const Region& first = regions_[plan.first];
    const Region& last = regions_[plan.last - 1];
    const Region head = plan.split_first ? clip(first, first.start, plan.start) : first;
    const Region tail = plan.split_last ? clip(last, plan.end, last.end) : last;
    if (plan.split_first) hold(head);
    if (plan.split_last) hold(tail);
    for (size_t index = plan.first; index < plan.last; ++index)
        regions_[index] = protected_piece(plan, index);
    size_t kept = plan.low;  // regions_[low, kept] are the merged ones so far
    for (size_t index = plan.low + 1; index < plan.high; ++index) {
        if (can_merge(regions_[kept], regions_[index])) {
            regions_[kept].end = regions_[index].end;
            drop(regions_[index]);  // (regions_[kept] names the same object)
        } else {
            regions_[++kept] = regions_[index];
        }
    }
    replace(kept + 1, plan.high, nullptr, 0);
    if (plan.split_first) {
        const size_t at = first_starting_from(plan.start);
        replace(at, at, &head, 1);
    }
    if (plan.split_last) {
        const size_t at = first_starting_from(plan.end);
        replace(at, at, &tail, 1);
    }
}

Result<uint64_t, RegionError> RegionList::find_free_top_down(uint64_t size, uint64_t low,
                                                             uint64_t high, uint64_t guard) const {
    if (!aligned(size) || !aligned(low) || !aligned(high) || !aligned(guard))
        return RegionError::kNotAligned;
    if (size == 0 || low >= high) return RegionError::kBadRange;
    // The gaps from the top down: gap `above` lies just under regions_[above] (or under nothing).
    for (size_t above = first_starting_from(high);; --above) {
        const uint64_t floor = above > 0 ? regions_[above - 1].end : 0;
        uint64_t ceiling = high;
        if (above < count_) {
            const Region& next = regions_[above];
            uint64_t top = next.start;
            if ((next.flags & kRegionGrowsDown) != 0) top = top > guard ? top - guard : 0;
            if (top < ceiling) ceiling = top;
        }
        const uint64_t bottom = floor > low ? floor : low;
        if (ceiling >= bottom && ceiling - bottom >= size) return ceiling - size;
        if (above == 0 || floor <= low) return RegionError::kNoSpace;  // the rest lies below low
    }
}

Result<void, RegionError> RegionList::copy_from(const RegionList& other) {
    if (&other == this) return {};
    if (other.count_ == 0) {
        clear();
        return {};
    }
    const auto room = make_room(other.count_);
    if (!room.ok()) return room;
    for (const Region& region : other) hold(region);
    drop_all(0, count_);
    memcpy(regions_, other.regions_, other.count_ * sizeof(Region));
    count_ = other.count_;
    return {};
}

bool RegionList::check() const {
    if (count_ > limit_ || count_ > capacity_ || (count_ == 0) != (regions_ == nullptr))
        return false;
    for (size_t index = 0; index < count_; ++index) {
        const Region& region = regions_[index];
        if (!validate(region).ok() || (region.object == 0 && region.offset != 0)) return false;
        if (index == 0) continue;
        const Region& previous = regions_[index - 1];
        if (previous.end > region.start || can_merge(previous, region)) return false;
    }
    return true;
}

}  // namespace keel::mm
