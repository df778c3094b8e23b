// SPDX-License-Identifier: MIT
// The loader's segments (loader_segments.cpp), for loader.cpp. Private to src/kernel.
#pragma once
#include <keel/kernel/address_space.h>
#include <keel/kernel/fs/inode.h>
#include <keel/lib/elf.h>

namespace keel::process {

// With the file system lock held: each loadable segment of `image` (the ELF `file`) at its link
// address in `memory`. 0 or -errno (ENOMEM, EIO).
int load_segments(fs::Inode& file, const elf::Image& image, AddressSpace& memory);

}  // namespace keel::process
