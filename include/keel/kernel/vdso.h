// SPDX-License-Identifier: MIT
// The vDSO: a small ELF shared object (soname linux-vdso.so.1, src/kernel/vdso) built with the
// kernel and embedded in it, which Linux's riscv64 ABI expects in every process. The kernel maps
// image()'s size() bytes (whole pages, page aligned in the kernel image, never written, so every
// process can share them) read+execute and user-accessible at a page-aligned address, and names
// that address in the auxiliary vector (AT_SYSINFO_EHDR); a signal handler returns to that
// address + kSigreturnOffset (__vdso_rt_sigreturn, which calls rt_sigreturn), as Linux sets ra.
// glibc finds the object there and looks up what it offers: __vdso_clock_gettime,
// __vdso_gettimeofday and __vdso_clock_getres, which read the time CSR and the data page
// (lib/vdso_data.h) that the kernel maps read-only just below the image, as Linux maps its vvar.
#pragma once
#include <keel/kernel/vdso_symbols.h>  // generated from the linked vDSO (cmake/vdso.cmake)
#include <keel/lib/vdso_data.h>
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

// The data page: one page in the kernel's image, which processes map read-only right below the
// image (src/kernel/vdso/vdso.ld puts it at the image's address - kDataSize).
inline constexpr size_t kDataSize = mm::kPageSize;
const uint8_t* data_page();
// Publishes what the vDSO reads, each under the page's seqlock.
void set_frequency(uint64_t hz);
void set_realtime_offset(int64_t nanoseconds);
void set_timezone(int32_t minutes_west, int32_t dst_time);
vdso_data::Snapshot read();

}  // namespace keel::vdso
