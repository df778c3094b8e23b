// SPDX-License-Identifier: MIT
// The initramfs: the cpio newc archive the boot loader put in RAM and named in
// /chosen/linux,initrd-start/-end (QEMU -initrd, U-Boot booti's second argument). Its pages are
// reserved (never handed out) and mapped read-only; it is checked whole once, at boot, and then
// read in place. Programs and files for user space come from it.
#pragma once
#include <keel/kernel/boot_info.h>
#include <keel/lib/cpio.h>
#include <keel/mm/phys_map.h>

namespace keel::initramfs {

// Checks the archive BootInfo names (it must lie in RAM) and prints one line: what it holds,
// that there is none, or why it is ignored (the error and the entry's offset).
void init(const BootInfo& info, const mm::PhysMap& map);
// The archive, or nullptr when there is none (or it was refused).
const cpio::Archive* archive();

}  // namespace keel::initramfs
