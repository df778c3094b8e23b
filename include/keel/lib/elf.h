// SPDX-License-Identifier: MIT
// ELF64 for RISC-V: the checks and the facts a loader needs from a static executable (ELF spec
// "System V ABI" ch. 4-5; RISC-V psABI "ELF Object Files"). parse() reads only inside the buffer
// it is given and checks everything it reads: the identification, the type (ET_EXEC: a dynamic
// program is refused naming its interpreter, a position-independent one as such), the program
// headers' place in the file, and each loadable segment: in the file, below `user_top` and above
// the first page, file size within memory size, offset and address congruent modulo the page,
// never both writable and executable, no two on the same page. Portable.
#pragma once
#include <keel/lib/result.h>
#include <keel/lib/string_view.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::elf {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr size_t kMaxSegments = 8;  // loadable segments keel takes (glibc static: 2-4)

// p_flags (ELF spec, "Segment Permissions").
inline constexpr uint32_t kExecute = 1;  // PF_X
inline constexpr uint32_t kWrite = 2;    // PF_W
inline constexpr uint32_t kRead = 4;     // PF_R

enum class Error : uint8_t {
    kTooSmall,             // shorter than the 64-byte ELF header
    kNotElf,               // no \x7fELF
    kNot64Bit,             // EI_CLASS is not ELFCLASS64
    kNotLittleEndian,      // EI_DATA is not ELFDATA2LSB
    kBadVersion,           // EI_VERSION / e_version not EV_CURRENT
    kNotRiscv,             // e_machine is not EM_RISCV (243)
    kPositionIndependent,  // ET_DYN: a PIE or a shared library
    kNotExecutable,        // neither ET_EXEC nor ET_DYN (an object file, a core)
    kBadHeaderSize,        // e_ehsize or e_phentsize not the ELF64 sizes
    kBadProgramHeaders,    // none, too many, or their table outside the file
    kDynamic,              // a PT_INTERP: it needs a dynamic linker (detail: its path)
    kSegmentOutsideFile,   // p_offset + p_filesz past the end of the file
    kSegmentFileSize,      // p_filesz > p_memsz
    kSegmentOutsideUser,   // below the first page, past user_top, or wrapping around
    kSegmentMisaligned,    // p_vaddr and p_offset differ modulo the page size
    kSegmentWriteExecute,  // PF_W and PF_X together
    kSegmentsOverlap,      // two loadable segments share a page
    kTooManySegments,      // more than kMaxSegments loadable ones
    kNoSegments,           // nothing to load
    kEntryNotInCode,       // e_entry outside every executable segment
};
const char* error_name(Error error);

struct Failure {
    Error error;
    StringView detail;  // kDynamic: the interpreter's path (inside the file); otherwise empty
};

struct Segment {
    uint64_t address;      // p_vaddr
    uint64_t memory_size;  // p_memsz: past file_size, zeroes
    uint64_t offset;       // p_offset
    uint64_t file_size;    // p_filesz
    uint32_t flags;        // kRead | kWrite | kExecute
};

struct Image {
    uint64_t entry = 0;
    Segment segments[kMaxSegments] = {};
    size_t segment_count = 0;
    uint64_t headers_address = 0;  // where the program headers are once loaded (AT_PHDR); 0: not
    uint64_t header_count = 0;     // AT_PHNUM
    uint64_t header_size = 0;      // AT_PHENT
    uint64_t end = 0;              // the first page past every segment: where the heap may start
};

// `data` holds the file's first `size` bytes (all of it, or enough for the headers: the program
// headers must lie inside them, and a dynamic program's interpreter path to be named), and the
// file is `file_size` bytes long (its segments must lie inside it).
Result<Image, Failure> parse(const uint8_t* data, size_t size, uint64_t file_size,
                             uint64_t user_top);
inline Result<Image, Failure> parse(const uint8_t* data, size_t size, uint64_t user_top) {
    return parse(data, size, size, user_top);
}

}  // namespace keel::elf
