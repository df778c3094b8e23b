// SPDX-License-Identifier: MIT
// The kernel's pages: every page of RAM that nothing else holds, through one PageAllocator
// (mm/page_allocator.h). The kernel proper builds the PhysMap from the device tree and its own
// image at boot and hands it here; everything that needs whole pages (page tables, stacks,
// process memory) asks here.
#pragma once
#include <keel/lib/result.h>
#include <keel/mm/page_allocator.h>
#include <keel/mm/phys_map.h>

namespace keel::pages {

// Starts the allocator over `map`'s free pages, which it reaches through the direct map. Once, on
// the boot hart, before anything asks for a page.
Result<void, mm::PageError> init(const mm::PhysMap& map);
bool ready();

// A block of 2^order pages, zeroed unless `contents` says otherwise (its physical address:
// memlayout::to_pointer reaches it), or why there is none.
Result<uint64_t, mm::PageError> allocate(unsigned order = 0,
                                         mm::Contents contents = mm::Contents::kZeroed);
// Gives a block back. A block that is not one (not page aligned, not RAM, not allocated, another
// order) is a bug: it panics with the address and the caller.
void free(uint64_t address, unsigned order = 0);
// A program's page shared copy-on-write: one more owner (false when the count is full: copy it
// instead), one fewer (the last gives the page back; true then). A bad page panics, as free().
bool share(uint64_t address);
bool release(uint64_t address);
uint32_t owners(uint64_t address);

const mm::PhysMap& map();
// All zero when there is no allocator (init failed, or was never called).
mm::PageAllocator::Counters counters();
// The pages of the allocator's own state.
mm::Range state();

}  // namespace keel::pages
