// SPDX-License-Identifier: MIT
// What the parts of a process's address space share (address_space.cpp: regions, faults and the
// table; address_space_fork.cpp: pages shared copy-on-write; address_space_files.cpp: mapped
// files): the kernel's own pages every program maps, how a program's page is let go, and a page's
// copy. Private to src/kernel.
#pragma once
#include <stdint.h>

namespace keel::process::space {

// The one page of zeros every untouched anonymous page reads as (its physical address).
uint64_t zero_page();
// Whether a page is the kernel's, shared by every program (the zero page, the vDSO's and its data
// page): never given back, copied or made writable.
bool shared_page(uint64_t physical);
// Lets go of a page of a program (or of one of its tables), unless it is the kernel's: the page
// goes back to the allocator with its last owner (it may be shared copy-on-write with a fork).
void release_user_page(uint64_t physical, void*);
// Forgets this hart's translation of `address`.
void flush(uint64_t address);
// A page's 4 KiB.
void copy_page(uint64_t to_physical, uint64_t from_physical);
// `protection` for a page the program may not write yet (PROT_WRITE implies PROT_READ: the
// hardware has no write-only pages).
uint32_t read_only(uint32_t protection);
// The region list's hold and drop (mm/regions.h) of a mapped file (an fs::File).
void hold_file(uint64_t object, void*);
void drop_file(uint64_t object, void*);

}  // namespace keel::process::space
