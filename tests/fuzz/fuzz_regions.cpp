// SPDX-License-Identifier: MIT
// Fuzzes RegionList with any sequence of operations, four bytes each, over 256 pages: inserts,
// removes, protects, free-range searches, lookups, copies, each run beside the page model
// (tests/host/regions_model.h), which must agree after every one; check() must hold throughout,
// and an operation refused (an overlap, a hole, the limit, a storage told to refuse) changes
// nothing. The first byte picks the list's limit.
#include <string>

#include "fuzz_support.h"
#include "regions_model.h"

using namespace keel;
using namespace keel::mm;

namespace {

constexpr uint64_t kPages = 256;
constexpr uint64_t kLongest = 16;  // pages one operation reaches
constexpr uint64_t kPage = test::kPage;

// A region from the operation's bytes: where, how long, and (from `kind`) its attributes.
Region region_from(uint8_t where, uint8_t length, uint8_t kind) {
    static constexpr uint32_t kFlags[] = {0, kRegionGrowsDown, kRegionHeap, kRegionShared};
    const uint64_t start = where % kPages * kPage;
    const uint64_t object = kind >> 5 & 3;
    // Mostly a file offset that follows the address, so that file neighbours can merge.
    const uint64_t offset = object == 0 ? 0 : start + (kind >> 7) * kPage;
    return Region{start,     start + (1 + length % kLongest) * kPage,
                  kind & 7u, kFlags[kind >> 3 & 3],
                  object,    offset};
}

std::string run_one(test::RegionModelRun& run, const uint8_t* op) {
    run.storage().refusing = (op[0] & 0x80) != 0;
    const Region r = region_from(op[1], op[2], op[3]);
    switch (op[0] & 7) {
    case 0:
    case 1: return run.insert(r);
    case 2: return run.remove(r.start, r.end);
    case 3: return run.protect(r.start, r.end, r.protection);
    case 4: {
        const uint64_t high = r.start + (1 + op[3]) * kPage;
        return run.find_free(r.size(), r.start, high, (op[2] >> 4) * kPage);
    }
    case 5: return run.queries(op[1] * kPage + op[2] * 16u, op[3] * 64u);
    case 6: return run.copy((op[0] & 0x40) != 0);
    default: return run.remove(0, kPages * kPage);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const size_t limit = data[0] % 4 == 0 ? RegionList::kMaxRegions : 1 + data[0] % 32;
    test::RegionModelRun run(limit, kPages + kLongest);
    for (size_t at = 1; at + 4 <= size; at += 4) {
        const std::string problem = run_one(run, data + at);
        fuzz::check(problem.empty(), problem.c_str());
    }
    return 0;
}
