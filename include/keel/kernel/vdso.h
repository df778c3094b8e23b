// SPDX-License-Identifier: MIT
// The vDSO: a small ELF shared object (soname linux-vdso.so.1, src/kernel/vdso) built with the
// kernel and embedded in it, which Linux's riscv64 ABI expects in every process. The kernel maps
// image()'s size() bytes (whole pages, page aligned in the kernel image, never written, so every
// process can share them) read+execute and user-accessible at a page-aligned address, and names
// that address in the auxiliary vector (AT_SYSINFO_EHDR); a signal handler returns to that
// address + kSigreturnOffset (__vdso_rt_sigreturn, which calls rt_sigreturn), as Linux sets ra.
// glibc finds the object there and looks up what it offers; what it does not offer (clock_gettime
// and the like, for now) glibc does with the system call.
#pragma once
#include <keel/kernel/vdso_symbols.h>  // generated from the linked vDSO (cmake/vdso.cmake)
#include <keel/mm/phys_map.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::vdso {

// Where __vdso_rt_sigreturn is, from the start of the image.
inline constexpr uint64_t kSigreturnOffset = kVdsoSigreturnOffset;
// The pages the image fills (its file size, rounded up).
inline constexpr size_t kPages = mm::page_up(kVdsoFileSize) / mm::kPageSize;

static_assert(kSigreturnOffset < kVdsoFileSize, "__vdso_rt_sigreturn lies outside the vDSO");
static_assert(kPages >= 1 && kPages <= 2, "the vDSO is one or two pages");

// The image, page aligned, and its size: kPages whole pages (the file, zero-padded).
const uint8_t* image();
size_t size();

}  // namespace keel::vdso
