// SPDX-License-Identifier: MIT
// check_blocks: bounds and alignment per block, then mark its bytes; a byte already marked means
// two blocks overlap.
#include <keel/lib/memory.h>
#include <keel/mm/block_check.h>

namespace keel {

BlockCheck check_blocks(uintptr_t base, size_t capacity, const BlockRecord* blocks, size_t count,
                        uint8_t* bitmap, size_t bitmap_size) {
    BlockCheck result;
    const size_t bits = bitmap_size * 8 < capacity ? bitmap_size * 8 : capacity;
    memset(bitmap, 0, bitmap_size);
    for (size_t i = 0; i < count; ++i) {
        const BlockRecord& block = blocks[i];
        if (block.alignment == 0 || block.address % block.alignment != 0) ++result.misaligned;
        if (block.address < base || block.address - base > bits ||
            block.size > bits - (block.address - base)) {
            ++result.out_of_bounds;
            continue;  // outside the bitmap: nothing to mark
        }
        bool overlapped = false;
        const size_t first = block.address - base;
        for (size_t byte = first; byte < first + block.size; ++byte) {
            const uint8_t bit = static_cast<uint8_t>(1u << (byte % 8));
            overlapped = overlapped || (bitmap[byte / 8] & bit) != 0;
            bitmap[byte / 8] |= bit;
        }
        if (overlapped) ++result.overlaps;
    }
    return result;
}

}  // namespace keel
