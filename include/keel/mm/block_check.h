// SPDX-License-Identifier: MIT
// Checks a set of blocks handed out by an allocator: each inside the arena, aligned as asked, and
// no two sharing a byte. Overlaps are found with a bitmap of the arena (one bit per byte), so the
// check costs the blocks' total size, not the square of their count. Portable.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel {

struct BlockRecord {
    uint64_t address;
    uint32_t size;
    uint32_t alignment;
};

struct BlockCheck {
    size_t out_of_bounds = 0;
    size_t misaligned = 0;
    size_t overlaps = 0;  // blocks that share at least one byte with a block checked before them
};

// `bitmap` must hold capacity / 8 bytes (rounded up); it is cleared first.
BlockCheck check_blocks(uintptr_t base, size_t capacity, const BlockRecord* blocks, size_t count,
                        uint8_t* bitmap, size_t bitmap_size);

}  // namespace keel
