// SPDX-License-Identifier: MIT
// The Linux RISC-V Image header at the start of keel.bin, which U-Boot's `booti` (and other Linux
// boot loaders) check before moving the image to RAM base + text_offset and jumping to its first
// byte. Layout from the Linux kernel's Documentation/arch/riscv/boot-image-header.rst; boot.S
// emits it field by field and the assembler checks the same offsets.
#pragma once

// Shared with boot.S, which writes the header.
#define KEEL_IMAGE_TEXT_OFFSET 0x200000
#define KEEL_IMAGE_VERSION 0x2       /* 0.2: major 0 in bits 31:16, minor 2 in 15:0 */
#define KEEL_IMAGE_MAGIC2 0x05435352 /* "RSC\x05" read as a little-endian u32 */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

namespace keel {

struct ImageHeader {
    uint32_t code0;        // executable: a 4-byte jump past the header (never a 2-byte c.j)
    uint32_t code1;        // executable, unused by keel: 0
    uint64_t text_offset;  // load offset from the start of RAM, little endian
    uint64_t image_size;   // bytes the image occupies once loaded, .bss included
    uint64_t flags;        // bit 0: kernel endianness, 0 = little
    uint32_t version;      // header version: major << 16 | minor; 0.2
    uint32_t reserved1;
    uint64_t reserved2;
    uint64_t magic;      // "RISCV\0\0\0" (deprecated but still checked by some loaders)
    uint32_t magic2;     // "RSC\x05", what booti checks
    uint32_t reserved3;  // offset of a PE/COFF header: none
};

static_assert(offsetof(ImageHeader, code0) == 0x00);
static_assert(offsetof(ImageHeader, code1) == 0x04);
static_assert(offsetof(ImageHeader, text_offset) == 0x08);
static_assert(offsetof(ImageHeader, image_size) == 0x10);
static_assert(offsetof(ImageHeader, flags) == 0x18);
static_assert(offsetof(ImageHeader, version) == 0x20);
static_assert(offsetof(ImageHeader, reserved1) == 0x24);
static_assert(offsetof(ImageHeader, reserved2) == 0x28);
static_assert(offsetof(ImageHeader, magic) == 0x30);
static_assert(offsetof(ImageHeader, magic2) == 0x38);
static_assert(offsetof(ImageHeader, reserved3) == 0x3c);
static_assert(sizeof(ImageHeader) == 0x40);

inline constexpr uint64_t kImageTextOffset = KEEL_IMAGE_TEXT_OFFSET;
inline constexpr uint32_t kImageVersion = KEEL_IMAGE_VERSION;
inline constexpr uint64_t kImageMagic = 0x5643534952;  // "RISCV" little endian
inline constexpr uint32_t kImageMagic2 = KEEL_IMAGE_MAGIC2;

}  // namespace keel
#endif
