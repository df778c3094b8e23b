// SPDX-License-Identifier: MIT
// RegionList's rules written a second way, page by page, for the model test and the fuzzer to hold
// it against; a storage for its block that can be told to refuse; and the shorthands the region
// tests write regions with. Plain C++ without GoogleTest: a disagreement comes back as a message.
#pragma once
#include <keel/mm/regions.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace keel::mm::test {

inline constexpr uint64_t kPage = 4096;

// Blocks from aligned_alloc, zeroed like the page allocator's; it remembers each live block's
// order (a release with another order, or of an unknown block, is recorded as a misuse) and
// refuses while `refusing` is set.
class TestStorage {
public:
    TestStorage() = default;
    TestStorage(const TestStorage&) = delete;
    TestStorage& operator=(const TestStorage&) = delete;
    ~TestStorage() {
        for (const auto& [block, order] : live_) free(block);
    }

    RegionStorage source() { return RegionStorage{&allocate, &release, this, &hold, &drop}; }

    bool refusing = false;
    size_t refusals = 0;     // allocations refused
    size_t allocations = 0;  // allocations granted
    size_t misuses = 0;      // bad releases

    // Each object's holds less its drops, and the objects dropped to none since forget_drops().
    std::map<uint64_t, long> holds;
    std::vector<uint64_t> dropped_to_none;
    void forget_drops() { dropped_to_none.clear(); }

    size_t live_blocks() const { return live_.size(); }
    // The order of the one live block (the list holds at most one between operations).
    std::optional<unsigned> live_order() const {
        if (live_.size() != 1) return std::nullopt;
        return live_.begin()->second;
    }
    // How many regions the live block holds (0 with none).
    size_t live_capacity() const {
        const auto order = live_order();
        return order ? (kPage << *order) / sizeof(Region) : 0;
    }

private:
    static void* allocate(unsigned order, void* context) {
        auto* self = static_cast<TestStorage*>(context);
        if (self->refusing || order > 10) {
            ++self->refusals;
            return nullptr;
        }
        const size_t bytes = kPage << order;
        void* block = aligned_alloc(kPage, bytes);
        if (block == nullptr) return nullptr;
        memset(block, 0xa5, bytes);  // garbage, as the kernel's: the list writes before it reads
        self->live_[block] = order;
        ++self->allocations;
        return block;
    }
    static void release(void* block, unsigned order, void* context) {
        auto* self = static_cast<TestStorage*>(context);
        const auto found = self->live_.find(block);
        if (found == self->live_.end() || found->second != order) {
            ++self->misuses;
            return;
        }
        self->live_.erase(found);
        free(block);
    }

    static void hold(uint64_t object, void* context) {
        ++static_cast<TestStorage*>(context)->holds[object];
    }
    static void drop(uint64_t object, void* context) {
        auto* self = static_cast<TestStorage*>(context);
        if (--self->holds[object] == 0) self->dropped_to_none.push_back(object);
    }

    std::map<void*, unsigned> live_;
};

// What disagrees between `storage`'s holds and the regions of `list` (its list): an object must be
// held once for each region naming it, and one dropped to none by the last change may not be
// named at all (it would have been let go while in use). "" when all agree.
inline std::string holds_disagree(const TestStorage& storage, const RegionList& list) {
    std::map<uint64_t, long> named;
    for (const Region& region : list) {
        if (region.object != 0) ++named[region.object];
    }
    for (const auto& [object, count] : storage.holds) {
        const auto found = named.find(object);
        if (count != (found == named.end() ? 0 : found->second))
            return "object " + std::to_string(object) + " held " + std::to_string(count) + " times";
    }
    for (const auto& [object, count] : named) {
        if (storage.holds.find(object) == storage.holds.end())
            return "object " + std::to_string(object) + " named but never held";
    }
    for (const uint64_t object : storage.dropped_to_none) {
        if (named.find(object) != named.end())
            return "object " + std::to_string(object) + " dropped to none while named";
    }
    return "";
}

// Shorthands: protections, and regions by page number.
inline constexpr uint32_t kRead = kProtRead;
inline constexpr uint32_t kReadWrite = kProtRead | kProtWrite;
inline constexpr uint32_t kReadExec = kProtRead | kProtExec;

// Anonymous memory over pages [first, end).
inline Region anonymous(uint64_t first, uint64_t end, uint32_t protection = kReadWrite,
                        uint32_t flags = 0) {
    return Region{first * kPage, end * kPage, protection, flags, 0, 0};
}

// Pages [first, end) of `object` from its page `offset_page` on.
inline Region file(uint64_t first, uint64_t end, uint64_t object, uint64_t offset_page,
                   uint32_t protection = kRead) {
    return Region{first * kPage, end * kPage, protection, 0, object, offset_page * kPage};
}

// One page of the model: whether a region has it, and that region's attributes with the file
// offset of this very page.
struct Page {
    bool mapped;
    uint32_t protection;
    uint32_t flags;
    uint64_t object;
    uint64_t offset;  // 0 when anonymous
    bool operator==(const Page&) const = default;
};
using Pages = std::vector<Page>;  // by page number, over the whole range the model covers

inline bool mapped(const Pages& pages, uint64_t page) {
    return page < pages.size() && pages[page].mapped;
}

inline bool any_mapped(const Pages& pages, uint64_t first_page, uint64_t end_page) {
    for (uint64_t page = first_page; page < end_page && page < pages.size(); ++page) {
        if (pages[page].mapped) return true;
    }
    return false;
}

inline void set_pages(Pages& pages, const Region& region) {
    for (uint64_t at = region.start; at < region.end; at += kPage) {
        const uint64_t offset = region.object == 0 ? 0 : region.offset + (at - region.start);
        if (at / kPage >= pages.size()) pages.resize(at / kPage + 1);  // shows as a difference
        pages[at / kPage] = {true, region.protection, region.flags, region.object, offset};
    }
}

// The list's regions as `size` pages (more if a region lies beyond them).
inline Pages pages_of(const RegionList& list, size_t size) {
    Pages pages(size);
    for (const Region& region : list) set_pages(pages, region);
    return pages;
}

// How many regions the pages make: a new one wherever a page does not continue the one before.
inline size_t region_count(const Pages& pages) {
    size_t count = 0;
    for (size_t page = 0; page < pages.size(); ++page) {
        const Page& here = pages[page];
        if (!here.mapped) continue;
        const Page* before = page > 0 && pages[page - 1].mapped ? &pages[page - 1] : nullptr;
        const bool continues = before != nullptr && before->protection == here.protection &&
                               before->flags == here.flags && before->object == here.object &&
                               (here.object == 0 || before->offset + kPage == here.offset);
        if (!continues) ++count;
    }
    return count;
}

// The highest page-aligned address fitting size bytes in [low, high), free, and `guard` bytes
// under the next region up when that one grows down: by trying every page from the top.
inline std::optional<uint64_t> find_free_model(const Pages& pages, uint64_t size, uint64_t low,
                                               uint64_t high, uint64_t guard) {
    const uint64_t wanted = size / kPage;
    // next_mapped[p]: the first mapped page at or above p (pages.size() for none).
    std::vector<uint64_t> next_mapped(pages.size() + 1, pages.size());
    for (size_t page = pages.size(); page-- > 0;)
        next_mapped[page] = pages[page].mapped ? page : next_mapped[page + 1];
    for (uint64_t at = high / kPage; at >= low / kPage + wanted; --at) {
        const uint64_t first = at - wanted;
        if (any_mapped(pages, first, at)) continue;
        const uint64_t above = at < pages.size() ? next_mapped[at] : pages.size();
        if (above < pages.size() && (pages[above].flags & kRegionGrowsDown) != 0 &&
            (above - at) * kPage < guard)
            continue;
        return first * kPage;
    }
    return std::nullopt;
}

// A RegionList with its storage and the pages it should hold. Each operation runs on both and
// returns what disagreed ("" when nothing did). Arguments must be valid (aligned, non-empty ranges,
// known bits): the unit tests cover the refusal of bad ones. What only the list can know is judged
// by rules: kTooMany exactly when the result would pass the limit, kNoMemory only when the storage
// refused a block that the result needed, and a failure changes nothing.
class RegionModelRun {
public:
    // A list with `limit`, over pages [0, page_count): every operation must stay inside them.
    RegionModelRun(size_t limit, size_t page_count)
        : list_(storage_.source(), limit), pages_(page_count), limit_(limit) {}

    TestStorage& storage() { return storage_; }
    const RegionList& list() const { return list_; }
    const Pages& pages() const { return pages_; }
    size_t too_many = 0;   // operations refused for the limit
    size_t no_memory = 0;  // ... for want of a block
    size_t most = 0;       // the most regions the list held

    std::string insert(const Region& region) {
        Region anonymous_zeroed = region;
        if (region.object == 0) anonymous_zeroed.offset = 0;
        Pages after = pages_;
        set_pages(after, anonymous_zeroed);
        const bool overlap = any_mapped(pages_, region.start / kPage, region.end / kPage);
        const auto refusal = overlap ? std::optional(RegionError::kOverlap) : std::nullopt;
        return judge(
            "insert", [&] { return list_.insert(region); }, refusal, after);
    }

    std::string remove(uint64_t start, uint64_t end) {
        Pages after = pages_;
        for (uint64_t page = start / kPage; page < end / kPage && page < after.size(); ++page)
            after[page] = Page{};
        return judge(
            "remove", [&] { return list_.remove(start, end); }, std::nullopt, after);
    }

    std::string protect(uint64_t start, uint64_t end, uint32_t protection) {
        Pages after = pages_;
        bool hole = false;
        for (uint64_t page = start / kPage; page < end / kPage; ++page) {
            hole = hole || !mapped(after, page);
            if (!hole) after[page].protection = protection;
        }
        const auto refusal = hole ? std::optional(RegionError::kNotMapped) : std::nullopt;
        return judge(
            "protect", [&] { return list_.protect(start, end, protection); }, refusal, after);
    }

    std::string find_free(uint64_t size, uint64_t low, uint64_t high, uint64_t guard) const {
        const auto got = list_.find_free_top_down(size, low, high, guard);
        const auto want = find_free_model(pages_, size, low, high, guard);
        if (got.ok() != want.has_value() || (want && got.value() != *want) ||
            (!got.ok() && got.error() != RegionError::kNoSpace))
            return "find_free_top_down(" + hex(size) + ", " + hex(low) + ", " + hex(high) + ", " +
                   hex(guard) + ") gave " + (got.ok() ? hex(got.value()) : "an error") +
                   ", the model " + (want ? hex(*want) : "nothing");
        return "";
    }

    // find, next_from, previous_before at `address` (any, aligned or not), and is_free from it
    // for `length` bytes.
    std::string queries(uint64_t address, uint64_t length) const {
        const uint64_t page = address / kPage;
        const Region* found = list_.find(address);
        if ((found != nullptr) != mapped(pages_, page) ||
            (found != nullptr && !(found->start <= address && address < found->end)))
            return "find(" + hex(address) + ") disagrees";
        uint64_t next = page;
        while (next < pages_.size() && !pages_[next].mapped) ++next;
        if (!holds(list_.next_from(address), next))
            return "next_from(" + hex(address) + ") disagrees";
        uint64_t previous = (address + kPage - 1) / kPage;  // pages from here up start too high
        while (previous > 0 && !mapped(pages_, previous - 1)) --previous;
        if (!holds(list_.previous_before(address), previous == 0 ? pages_.size() : previous - 1))
            return "previous_before(" + hex(address) + ") disagrees";
        const bool free = !any_mapped(pages_, page, (address + length + kPage - 1) / kPage);
        if (length > 0 && list_.is_free(address, address + length) != free)
            return "is_free(" + hex(address) + ", +" + hex(length) + ") disagrees";
        return "";
    }

    // A copy (into a list whose storage refuses when `refuse`) holds the same regions, or fails
    // with kNoMemory and stays as it was.
    std::string copy(bool refuse) {
        TestStorage storage;
        RegionList other(storage.source());
        const Region first{0, kPage, kProtRead, 0, 0, 0};
        if (!other.insert(first).ok()) return "copy: no first region";
        storage.refusing = refuse;
        const auto copied = other.copy_from(list_);
        if (!copied.ok()) {
            if (copied.error() != RegionError::kNoMemory || !refuse ||
                list_.count() <= storage.live_capacity() || other.count() != 1 ||
                other.at(0) != first)
                return "copy_from failed wrongly";
        } else if (pages_of(other, pages_.size()) != pages_ || !other.check()) {
            return "copy_from's copy differs";
        }
        if (const std::string holds = holds_disagree(storage, other); !holds.empty())
            return "copy: " + holds;
        other.clear();
        for (const auto& [object, count] : storage.holds) {
            if (count != 0) return "copy: a cleared list still holds an object";
        }
        return storage.misuses == 0 ? "" : "copy: bad release";
    }

private:
    template <typename Operation>
    std::string judge(const char* name, Operation operation, std::optional<RegionError> refusal,
                      const Pages& after) {
        const size_t capacity_before = storage_.live_capacity();
        const size_t refusals_before = storage_.refusals;
        const size_t allocations_before = storage_.allocations;
        const auto got = operation();
        const size_t wanted = region_count(after);
        if (storage_.allocations != allocations_before && wanted <= capacity_before)
            return std::string(name) + ": took a block it did not need";
        if (!refusal && wanted > limit_) refusal = RegionError::kTooMany;
        if (!refusal && !got.ok() && got.error() == RegionError::kNoMemory &&
            storage_.refusals > refusals_before && wanted > capacity_before)
            refusal = RegionError::kNoMemory;
        if (refusal) {
            if (got.ok() || got.error() != *refusal)
                return std::string(name) + ": wanted " + region_error_name(*refusal) + ", got " +
                       (got.ok() ? "success" : region_error_name(got.error()));
            too_many += *refusal == RegionError::kTooMany ? 1 : 0;
            no_memory += *refusal == RegionError::kNoMemory ? 1 : 0;
        } else if (!got.ok()) {
            return std::string(name) + " failed: " + region_error_name(got.error());
        } else {
            pages_ = after;
        }
        return consistent(name);
    }

    // The list holds the model's pages as the fewest regions, in one block of the right size.
    std::string consistent(const char* name) {
        if (!list_.check()) return std::string(name) + ": check() fails";
        if (pages_of(list_, pages_.size()) != pages_)
            return std::string(name) + ": the pages differ";
        if (list_.count() != region_count(pages_)) return std::string(name) + ": count differs";
        if (storage_.misuses != 0) return std::string(name) + ": a bad release";
        if (const std::string holds = holds_disagree(storage_, list_); !holds.empty())
            return std::string(name) + ": " + holds;
        storage_.forget_drops();
        if (storage_.live_blocks() != (list_.count() == 0 ? 0u : 1u) ||
            list_.count() > storage_.live_capacity())
            return std::string(name) + ": the block does not fit the list";
        if (list_.count() > most) most = list_.count();
        return "";
    }

    // Whether `region` is the one holding `page` (nullptr for a page past the model's).
    bool holds(const Region* region, uint64_t page) const {
        if (region == nullptr || page >= pages_.size())
            return region == nullptr && page >= pages_.size();
        return region->start <= page * kPage && page * kPage < region->end;
    }

    static std::string hex(uint64_t value) {
        char text[24];
        snprintf(text, sizeof text, "%#llx", static_cast<unsigned long long>(value));
        return text;
    }

    TestStorage storage_;
    RegionList list_;
    Pages pages_;
    size_t limit_;
};

}  // namespace keel::mm::test
