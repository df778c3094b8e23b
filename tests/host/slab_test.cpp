// SPDX-License-Identifier: MIT
// SlabCache over pages from aligned_alloc: zeroed aligned objects, pages taken only when the
// partial ones are full and given back the moment they empty, every refused free changing nothing,
// and thousands of random allocations and frees against a std::map model.
#include <gtest/gtest.h>
#include <keel/mm/slab.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

namespace keel::mm {
namespace {

constexpr size_t kPage = kSlabPageSize;

// Pages as the kernel's page allocator gives them (zeroed, 4 KiB aligned); it refuses while
// `refusing` is set and records a release of a page it never gave as a misuse.
class TestPages {
public:
    ~TestPages() {
        for (void* page : live_) ::free(page);
    }

    SlabPages source() { return SlabPages{&allocate, &release, this}; }
    bool holds(const void* page) const { return live_.count(const_cast<void*>(page)) != 0; }
    size_t live() const { return live_.size(); }

    bool refusing = false;
    size_t releases = 0;
    size_t misuses = 0;

private:
    static void* allocate(void* context) {
        auto* self = static_cast<TestPages*>(context);
        if (self->refusing) return nullptr;
        void* page = aligned_alloc(kPage, kPage);
        memset(page, 0, kPage);
        self->live_.insert(page);
        return page;
    }
    static void release(void* page, void* context) {
        auto* self = static_cast<TestPages*>(context);
        if (self->live_.erase(page) == 0) {
            ++self->misuses;
            return;
        }
        ::free(page);
        ++self->releases;
    }

    std::set<void*> live_;
};

void* page_of(const void* object) {
    return reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(object) & ~(kPage - 1));
}

bool all_bytes_are(const void* object, size_t size, unsigned char value) {
    const auto* bytes = static_cast<const unsigned char*>(object);
    return std::all_of(bytes, bytes + size, [value](unsigned char b) { return b == value; });
}

// A cache of the kernel's own shape: constant-initialised, its layout worked out at compile time.
constinit SlabCache g_cache("global", 200);
static_assert(SlabCache::layout_for(200, 16).stride == 208);
static_assert(SlabCache::layout_for(1, 1).per_page == kSlabMaxObjectsPerPage);
static_assert(SlabCache::layout_for(kPage, 16).per_page == 0);

class SlabTest : public ::testing::Test {
protected:
    void SetUp() override { cache_.init(pages_.source()); }

    TestPages pages_;
    SlabCache cache_{"dentry", 280};
};

TEST_F(SlabTest, AllocateGivesZeroedAlignedObjects) {
    SlabCache aligned("aligned", 100, 64);
    aligned.init(pages_.source());
    for (int i = 0; i < 100; ++i) {
        void* object = aligned.allocate();
        ASSERT_NE(object, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(object) % 64, 0u);
        EXPECT_TRUE(all_bytes_are(object, 100, 0));
        memset(object, 0xa5, 100);
    }
    EXPECT_EQ(aligned.counters().objects, 100u);
    EXPECT_EQ(aligned.object_size(), 100u);
    EXPECT_STREQ(aligned.name(), "aligned");
}

TEST_F(SlabTest, AReusedObjectIsZeroedAgain) {
    void* keep = cache_.allocate();  // keeps the page, so that the freed slot is reused
    void* object = cache_.allocate();
    memset(object, 0xff, 280);
    ASSERT_TRUE(cache_.free(object).ok());
    void* again = cache_.allocate();
    EXPECT_EQ(again, object);
    EXPECT_TRUE(all_bytes_are(again, 280, 0));
    EXPECT_TRUE(cache_.free(again).ok());
    EXPECT_TRUE(cache_.free(keep).ok());
}

TEST_F(SlabTest, APageIsFilledBeforeASecondIsTaken) {
    const size_t per_page = cache_.objects_per_page();
    ASSERT_EQ(per_page, 13u);  // (4096 - a 112-byte header) / 288: dentries of 280 bytes
    std::vector<void*> objects;
    for (size_t i = 0; i < per_page; ++i) objects.push_back(cache_.allocate());
    EXPECT_EQ(cache_.counters().pages, 1u);
    for (void* object : objects) EXPECT_EQ(page_of(object), page_of(objects[0]));
    objects.push_back(cache_.allocate());
    EXPECT_EQ(cache_.counters().pages, 2u);
    EXPECT_NE(page_of(objects.back()), page_of(objects[0]));
    for (void* object : objects) EXPECT_TRUE(cache_.free(object).ok());
}

TEST_F(SlabTest, AFreedSlotIsUsedBeforeANewPageIsTaken) {
    std::vector<void*> objects;
    for (size_t i = 0; i < 3 * cache_.objects_per_page(); ++i) objects.push_back(cache_.allocate());
    ASSERT_EQ(cache_.counters().pages, 3u);
    void* middle = objects[cache_.objects_per_page() + 5];
    ASSERT_TRUE(cache_.free(middle).ok());
    EXPECT_EQ(cache_.allocate(), middle);
    EXPECT_EQ(cache_.counters().pages, 3u);
    for (void* object : objects) EXPECT_TRUE(cache_.free(object).ok());
}

TEST_F(SlabTest, FreeingTheLastObjectOfAPageGivesThePageBack) {
    void* a = cache_.allocate();
    void* b = cache_.allocate();
    EXPECT_EQ(pages_.live(), 1u);
    ASSERT_TRUE(cache_.free(a).ok());
    EXPECT_EQ(pages_.live(), 1u);
    ASSERT_TRUE(cache_.free(b).ok());
    EXPECT_EQ(pages_.live(), 0u);
    EXPECT_EQ(cache_.counters().pages, 0u);
    EXPECT_EQ(cache_.counters().objects, 0u);
    EXPECT_EQ(pages_.misuses, 0u);
}

TEST_F(SlabTest, DoubleFreeIsRefusedAndChangesNothing) {
    void* keep = cache_.allocate();
    void* object = cache_.allocate();
    ASSERT_TRUE(cache_.free(object).ok());
    const auto before = cache_.counters();
    EXPECT_EQ(cache_.free(object).error(), SlabError::kNotAllocated);
    EXPECT_STREQ(slab_error_name(SlabError::kNotAllocated), "not allocated (freed twice?)");
    EXPECT_TRUE(cache_.counters() == before);
    EXPECT_EQ(cache_.allocate(), object);  // the slot is still free exactly once
    EXPECT_NE(cache_.allocate(), object);
    EXPECT_EQ(cache_.counters().objects, 3u);
    EXPECT_NE(keep, object);
}

TEST_F(SlabTest, FreeOfAForeignPointerIsRefused) {
    void* ours = cache_.allocate();
    SlabCache other("other", 280);
    other.init(pages_.source());
    void* theirs = other.allocate();
    alignas(4096) static unsigned char plain[kPage];  // a page that never was a slab page
    memset(plain, 0x5a, sizeof plain);
    const auto before = cache_.counters();
    EXPECT_EQ(cache_.free(theirs).error(), SlabError::kNotOurs);
    EXPECT_EQ(cache_.free(plain + 512).error(), SlabError::kNotOurs);
    EXPECT_EQ(other.free(ours).error(), SlabError::kNotOurs);
    EXPECT_TRUE(cache_.counters() == before);
    EXPECT_TRUE(cache_.free(ours).ok());
    EXPECT_TRUE(other.free(theirs).ok());
    EXPECT_EQ(pages_.live(), 0u);
}

TEST_F(SlabTest, FreeOfAnAddressThatIsNotAnObjectsStartIsRefused) {
    const size_t per_page = cache_.objects_per_page();
    std::vector<unsigned char*> objects;
    for (size_t i = 0; i < per_page; ++i)
        objects.push_back(static_cast<unsigned char*>(cache_.allocate()));
    auto* page = static_cast<unsigned char*>(page_of(objects[0]));
    const size_t stride = SlabCache::layout_for(280, 16).stride;
    const auto before = cache_.counters();
    EXPECT_EQ(cache_.free(objects[0] + 1).error(), SlabError::kNotAnObject);
    EXPECT_EQ(cache_.free(objects[3] + stride / 2).error(), SlabError::kNotAnObject);
    EXPECT_EQ(cache_.free(page + 8).error(), SlabError::kNotAnObject);  // inside the header
    EXPECT_EQ(cache_.free(objects.back() + stride).error(),
              SlabError::kNotAnObject);  // the page's tail, where no object fits
    EXPECT_TRUE(cache_.counters() == before);
    for (unsigned char* object : objects) EXPECT_TRUE(cache_.free(object).ok());
    EXPECT_EQ(pages_.live(), 0u);
}

TEST_F(SlabTest, FreeOfNullDoesNothing) {
    EXPECT_TRUE(cache_.free(nullptr).ok());
    EXPECT_EQ(cache_.counters().objects, 0u);
}

TEST_F(SlabTest, ManyObjectsSpanManyPagesAndAllComeBack) {
    constexpr size_t kCount = 10000;
    std::vector<void*> objects;
    for (size_t i = 0; i < kCount; ++i) objects.push_back(cache_.allocate());
    const size_t per_page = cache_.objects_per_page();
    EXPECT_EQ(cache_.counters().pages, (kCount + per_page - 1) / per_page);
    EXPECT_EQ(pages_.live(), cache_.counters().pages);
    std::set<void*> distinct(objects.begin(), objects.end());
    EXPECT_EQ(distinct.size(), kCount);
    std::shuffle(objects.begin(), objects.end(), std::mt19937_64(7));
    for (void* object : objects) ASSERT_TRUE(cache_.free(object).ok());
    EXPECT_EQ(pages_.live(), 0u);
    EXPECT_EQ(cache_.counters().objects, 0u);
    EXPECT_EQ(cache_.counters().peak_objects, kCount);
    EXPECT_EQ(pages_.misuses, 0u);
}

TEST_F(SlabTest, RefusesObjectsLargerThanAPage) {
    const size_t largest = kPage - SlabCache::layout_for(1, 16).first;
    SlabCache too_big("too big", kPage + 1);
    SlabCache whole_page("whole page", kPage);
    SlabCache just_over("just over", largest + 1);
    SlabCache empty("empty", 0);
    SlabCache odd_align("odd align", 64, 24);
    for (SlabCache* cache : {&too_big, &whole_page, &just_over, &empty, &odd_align}) {
        cache->init(pages_.source());
        EXPECT_EQ(cache->objects_per_page(), 0u) << cache->name();
        EXPECT_EQ(cache->allocate(), nullptr) << cache->name();
    }
    EXPECT_EQ(pages_.live(), 0u);
    SlabCache fits("fits", largest);  // the largest object: one a page
    fits.init(pages_.source());
    EXPECT_EQ(fits.objects_per_page(), 1u);
    EXPECT_TRUE(fits.free(fits.allocate()).ok());
    EXPECT_EQ(fits.counters().peak_objects, 1u);
    EXPECT_EQ(pages_.live(), 0u);
}

TEST_F(SlabTest, AllocateGivesNullWhenNoPageCanBeHadAndChangesNothing) {
    pages_.refusing = true;
    EXPECT_EQ(cache_.allocate(), nullptr);
    EXPECT_EQ(cache_.counters().pages, 0u);
    EXPECT_EQ(cache_.counters().objects, 0u);
    pages_.refusing = false;
    void* object = cache_.allocate();
    EXPECT_NE(object, nullptr);
    EXPECT_TRUE(cache_.free(object).ok());
}

TEST_F(SlabTest, AllocateBeforeInitGivesNull) {
    SlabCache uninitialised("uninitialised", 64);
    EXPECT_EQ(uninitialised.allocate(), nullptr);
}

TEST_F(SlabTest, AConstinitCacheWorksOnceGivenPages) {
    g_cache.init(pages_.source());
    void* object = g_cache.allocate();
    ASSERT_NE(object, nullptr);
    EXPECT_STREQ(g_cache.name(), "global");
    EXPECT_TRUE(g_cache.free(object).ok());
    EXPECT_EQ(g_cache.counters().pages, 0u);
}

// Two caches sharing one page source, run against a map of the live objects: each allocation is
// checked (zeroed, aligned, in a page the source gave, overlapping nothing: every object carries a
// byte pattern that must survive), each refused free must change nothing, and the counters must
// agree with the model after every step.
class SlabModel {
public:
    SlabModel(size_t size, size_t align, uint64_t seed)
        : caches_{SlabCache("a", size, align), SlabCache("b", 64)},
          aligns_{align, 16},
          random_(seed) {
        for (SlabCache& cache : caches_) cache.init(pages_.source());
    }

    // Step `number`: allocations outnumber frees for 500 steps, then frees win for 500, so that
    // pages fill and empty again; one step in eight is a free that must be refused.
    void step(int number) {
        pages_.refusing = pick(20) == 0;
        const size_t roll = pick(100);
        if (live_.empty() || roll < (number / 500 % 2 == 0 ? 60u : 25u)) return allocate(pick(2));
        if (roll < 88) return free_one();
        return refused_free();
    }

    void check_counters() const {
        size_t pages = 0;
        for (size_t which = 0; which < 2; ++which) {
            const SlabCache::Counters counters = caches_[which].counters();
            const size_t per_page = caches_[which].objects_per_page();
            EXPECT_EQ(counters.objects, objects_[which]);
            EXPECT_EQ(counters.peak_objects, peak_[which]);
            EXPECT_GE(counters.pages * per_page, counters.objects);  // no more objects than room
            EXPECT_LE(counters.pages, counters.objects);             // and no empty page kept
            pages += counters.pages;
        }
        EXPECT_EQ(pages, pages_.live());
    }

    void check_patterns() const {
        for (const auto& [object, live] : live_)
            ASSERT_TRUE(all_bytes_are(object, caches_[live.which].object_size(), live.pattern));
    }

    size_t refused_allocations = 0;
    size_t double_frees = 0;
    size_t pages_given_back() const { return pages_.releases; }

    void free_everything() {
        while (!live_.empty()) free_one();
        EXPECT_EQ(pages_.live(), 0u);
        EXPECT_EQ(pages_.misuses, 0u);
    }

private:
    struct Live {
        size_t which;
        unsigned char pattern;
    };

    size_t pick(size_t below) {
        return std::uniform_int_distribution<size_t>(0, below - 1)(random_);
    }

    void allocate(size_t which) {
        SlabCache& cache = caches_[which];
        const auto before = cache.counters();
        void* object = cache.allocate();
        if (pages_.refusing && object == nullptr) {
            EXPECT_TRUE(cache.counters() == before);
            ++refused_allocations;
            return;
        }
        ASSERT_NE(object, nullptr);
        const size_t size = cache.object_size();
        const auto offset = reinterpret_cast<uintptr_t>(object) % kPage;
        ASSERT_TRUE(pages_.holds(page_of(object)));
        ASSERT_EQ(offset % aligns_[which], 0u);
        ASSERT_GE(offset, sizeof(SlabPage));
        ASSERT_LE(offset + size, kPage);
        ASSERT_EQ(live_.count(object), 0u);
        ASSERT_TRUE(all_bytes_are(object, size, 0));
        const auto pattern = static_cast<unsigned char>(1 + pick(255));
        memset(object, pattern, size);
        live_[object] = Live{which, pattern};
        peak_[which] = std::max(peak_[which], ++objects_[which]);
    }

    std::map<void*, Live>::iterator random_live() {
        return std::next(live_.begin(), static_cast<ptrdiff_t>(pick(live_.size())));
    }

    void free_one() {
        const auto at = random_live();
        const Live live = at->second;
        ASSERT_TRUE(all_bytes_are(at->first, caches_[live.which].object_size(), live.pattern));
        ASSERT_TRUE(caches_[live.which].free(at->first).ok());
        freed_.push_back({at->first, live.which});
        live_.erase(at);
        --objects_[live.which];
    }

    // A free from the wrong cache, of an address inside an object, or of an object freed already
    // (only while its page is still held: a page given back is not ours to read).
    void refused_free() {
        const auto at = random_live();
        auto* object = static_cast<unsigned char*>(at->first);
        const size_t which = at->second.which;
        const SlabCache::Counters before[2] = {caches_[0].counters(), caches_[1].counters()};
        const size_t kind = pick(3);
        if (kind == 0) {
            EXPECT_EQ(caches_[1 - which].free(object).error(), SlabError::kNotOurs);
        } else if (kind == 1) {
            // Inside the object; or, for 1-byte objects that have no inside, the page's header.
            unsigned char* inside = caches_[which].object_size() > 1
                                        ? object + 1
                                        : static_cast<unsigned char*>(page_of(object)) + 8;
            EXPECT_EQ(caches_[which].free(inside).error(), SlabError::kNotAnObject);
        } else if (!freed_.empty()) {
            // Its page may be the other cache's by now (kNotOurs) or still its own (kNotAllocated).
            const auto [old, owner] = freed_[pick(freed_.size())];
            if (pages_.holds(page_of(old)) && live_.count(old) == 0) {
                EXPECT_FALSE(caches_[owner].free(old).ok());
                ++double_frees;
            }
        }
        for (size_t i = 0; i < 2; ++i) EXPECT_TRUE(caches_[i].counters() == before[i]);
    }

    TestPages pages_;
    SlabCache caches_[2];
    size_t aligns_[2];
    std::mt19937_64 random_;
    std::map<void*, Live> live_;
    std::vector<std::pair<void*, size_t>> freed_;  // and the cache that freed it
    size_t objects_[2] = {};
    size_t peak_[2] = {};
};

TEST(SlabModelTest, RandomAllocationsAndFreesAgreeWithAModelAndGiveEveryPageBack) {
    const struct {
        size_t size;
        size_t align;
    } shapes[] = {{1, 1},    {8, 8},     {64, 16},   {200, 16},
                  {280, 16}, {1000, 64}, {2000, 16}, {3984, 16}};
    uint64_t seed = 1;
    for (const auto& shape : shapes) {
        SCOPED_TRACE(testing::Message() << "object size " << shape.size);
        SlabModel model(shape.size, shape.align, seed++);
        for (int i = 0; i < 4000; ++i) {
            model.step(i);
            model.check_counters();
            if (i % 500 == 0) model.check_patterns();
            ASSERT_FALSE(HasFailure()) << "step " << i;
        }
        EXPECT_GT(model.refused_allocations, 0u) << "the page source never refused";
        EXPECT_GT(model.double_frees, 0u) << "no double free was tried";
        EXPECT_GT(model.pages_given_back(), 0u) << "no page emptied during the run";
        model.check_patterns();
        model.free_everything();
        model.check_counters();
    }
}

}  // namespace
}  // namespace keel::mm
