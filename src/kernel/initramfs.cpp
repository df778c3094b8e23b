// SPDX-License-Identifier: MIT
// The initramfs (include/keel/kernel/initramfs.h).
#include <keel/arch/riscv/memlayout.h>
#include <keel/core/console.h>
#include <keel/kernel/initramfs.h>

namespace keel::initramfs {
namespace {

cpio::Archive g_archive;
bool g_present = false;

bool in_ram(const mm::PhysMap& map, uint64_t address, uint64_t size) {
    for (size_t i = 0; i < map.ram_count(); ++i) {
        const mm::Range& ram = map.ram(i);
        if (address >= ram.base && size <= ram.end() - address && address <= ram.end()) return true;
    }
    return false;
}

}  // namespace

void init(const BootInfo& info, const mm::PhysMap& map) {
    const uint64_t address = info.initrd.address;
    const uint64_t size = info.initrd.size;
    if (size == 0) {
        console::print("initramfs: none (no programs to run)\n");
        return;
    }
    if (!in_ram(map, address, size)) {
        console::print("initramfs: {:#x}..{:#x} is not in RAM; ignored\n", address, address + size);
        return;
    }
    const auto opened = cpio::Archive::open(memlayout::to_pointer<const void>(address), size);
    if (!opened.ok()) {
        console::print("initramfs: malformed at offset {:#x} of {} byte{}: {}; ignored\n",
                       opened.error().offset, size, plural(size),
                       cpio::error_name(opened.error().error));
        return;
    }
    g_archive = opened.value();
    g_present = true;
    size_t files = 0;
    size_t directories = 0;
    g_archive.for_each([&](const cpio::Entry& entry) {
        files += entry.is_regular() ? 1 : 0;
        directories += entry.is_directory() ? 1 : 0;
    });
    console::print("initramfs: {} file{}, {} director{}, {} KiB at {:#x}\n", files, plural(files),
                   directories, plural(directories, "y", "ies"), (size + 1023) / 1024, address);
}

const cpio::Archive* archive() {
    return g_present ? &g_archive : nullptr;
}

}  // namespace keel::initramfs
