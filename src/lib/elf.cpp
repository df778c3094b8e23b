// SPDX-License-Identifier: MIT
// ELF64 RISC-V static executables (include/keel/lib/elf.h). Fields are read byte by byte, little
// endian, so that the file may sit at any alignment.
#include <keel/lib/elf.h>
#include <keel/lib/memory.h>

namespace keel::elf {
namespace {

constexpr size_t kHeaderSize = 64;         // sizeof(Elf64_Ehdr)
constexpr size_t kProgramHeaderSize = 56;  // sizeof(Elf64_Phdr)
constexpr size_t kMaxProgramHeaders = 64;
constexpr uint16_t kTypeExec = 2;        // ET_EXEC
constexpr uint16_t kTypeDyn = 3;         // ET_DYN
constexpr uint16_t kMachineRiscv = 243;  // EM_RISCV
constexpr uint32_t kLoad = 1;            // PT_LOAD
constexpr uint32_t kInterp = 3;          // PT_INTERP

uint64_t read_le(const uint8_t* at, size_t bytes) {
    uint64_t value = 0;
    for (size_t i = bytes; i-- > 0;) value = value << 8 | at[i];
    return value;
}

// One program header's fields (Elf64_Phdr).
struct ProgramHeader {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t address;
    uint64_t file_size;
    uint64_t memory_size;
};

ProgramHeader read_program_header(const uint8_t* at) {
    return ProgramHeader{static_cast<uint32_t>(read_le(at, 4)),
                         static_cast<uint32_t>(read_le(at + 4, 4)),
                         read_le(at + 8, 8),
                         read_le(at + 16, 8),
                         read_le(at + 32, 8),
                         read_le(at + 40, 8)};
}

constexpr uint64_t page_down(uint64_t a) {
    return a & ~(kPageSize - 1);
}

// [offset, offset + length) lies inside a file of `size` bytes (no wrap-around).
bool inside(uint64_t offset, uint64_t length, size_t size) {
    return offset <= size && length <= size - offset;
}

Result<void, Error> check_identification(const uint8_t* data, size_t size) {
    if (size < kHeaderSize) return Error::kTooSmall;
    if (memcmp(data,
               "\x7f"
               "ELF",
               4) != 0)
        return Error::kNotElf;
    if (data[4] != 2) return Error::kNot64Bit;         // EI_CLASS: ELFCLASS64
    if (data[5] != 1) return Error::kNotLittleEndian;  // EI_DATA: ELFDATA2LSB
    if (data[6] != 1 || read_le(data + 20, 4) != 1) return Error::kBadVersion;  // EV_CURRENT
    if (read_le(data + 18, 2) != kMachineRiscv) return Error::kNotRiscv;
    const uint64_t type = read_le(data + 16, 2);
    if (type != kTypeExec && type != kTypeDyn) return Error::kNotExecutable;
    if (read_le(data + 52, 2) < kHeaderSize || read_le(data + 54, 2) != kProgramHeaderSize)
        return Error::kBadHeaderSize;
    return {};
}

Result<void, Error> check_segment(const ProgramHeader& ph, size_t size, uint64_t user_top) {
    if (!inside(ph.offset, ph.file_size, size)) return Error::kSegmentOutsideFile;
    if (ph.file_size > ph.memory_size) return Error::kSegmentFileSize;
    if (ph.address < kPageSize || ph.address > user_top || ph.memory_size > user_top - ph.address)
        return Error::kSegmentOutsideUser;
    if ((ph.address - ph.offset) % kPageSize != 0) return Error::kSegmentMisaligned;
    if ((ph.flags & kWrite) != 0 && (ph.flags & kExecute) != 0) return Error::kSegmentWriteExecute;
    return {};
}

bool share_a_page(const Segment& a, const Segment& b) {
    const uint64_t a_first = page_down(a.address);
    const uint64_t a_last = page_down(a.address + a.memory_size - 1);
    const uint64_t b_first = page_down(b.address);
    const uint64_t b_last = page_down(b.address + b.memory_size - 1);
    return a_first <= b_last && b_first <= a_last;
}

}  // namespace

const char* error_name(Error error) {
    switch (error) {
    case Error::kTooSmall: return "too small for an ELF header";
    case Error::kNotElf: return "not an ELF file";
    case Error::kNot64Bit: return "not a 64-bit ELF file";
    case Error::kNotLittleEndian: return "not little-endian";
    case Error::kBadVersion: return "an unknown ELF version";
    case Error::kNotRiscv: return "not for RISC-V";
    case Error::kPositionIndependent:
        return "position-independent (ET_DYN): keel runs static ET_EXEC programs";
    case Error::kNotExecutable: return "not an executable";
    case Error::kBadHeaderSize: return "ELF header or program header size is wrong";
    case Error::kBadProgramHeaders: return "program headers missing or outside the file";
    case Error::kDynamic: return "dynamically linked: it needs the interpreter";
    case Error::kSegmentOutsideFile: return "a segment runs past the end of the file";
    case Error::kSegmentFileSize: return "a segment's file size exceeds its memory size";
    case Error::kSegmentOutsideUser: return "a segment lies outside user memory";
    case Error::kSegmentMisaligned: return "a segment's address and offset differ modulo the page";
    case Error::kSegmentWriteExecute: return "a segment is both writable and executable";
    case Error::kSegmentsOverlap: return "two segments share a page";
    case Error::kTooManySegments: return "too many loadable segments";
    case Error::kNoSegments: return "nothing to load";
    case Error::kEntryNotInCode: return "the entry point is not in an executable segment";
    }
    return "?";
}

Result<Image, Failure> parse(const uint8_t* data, size_t size, uint64_t file_size,
                             uint64_t user_top) {
    const auto identified = check_identification(data, size);
    if (!identified.ok()) return Failure{identified.error(), {}};
    const uint64_t table = read_le(data + 32, 8);  // e_phoff
    const uint64_t count = read_le(data + 56, 2);  // e_phnum
    if (count == 0 || count > kMaxProgramHeaders ||
        !inside(table, count * kProgramHeaderSize, size))
        return Failure{Error::kBadProgramHeaders, {}};
    // A dynamic program is refused by its interpreter's name, before anything else is said of it.
    for (uint64_t i = 0; i < count; ++i) {
        const ProgramHeader ph = read_program_header(data + table + i * kProgramHeaderSize);
        if (ph.type != kInterp) continue;
        if (!inside(ph.offset, ph.file_size, size) || ph.file_size == 0)
            return Failure{Error::kDynamic, {}};
        const auto* path = reinterpret_cast<const char*>(data + ph.offset);
        const void* nul = memchr(path, '\0', ph.file_size);
        const size_t length = nul != nullptr
                                  ? static_cast<size_t>(static_cast<const char*>(nul) - path)
                                  : ph.file_size;
        return Failure{Error::kDynamic, StringView{path, length}};
    }
    if (read_le(data + 16, 2) == kTypeDyn) return Failure{Error::kPositionIndependent, {}};
    Image image;
    image.entry = read_le(data + 24, 8);
    image.header_count = count;
    image.header_size = kProgramHeaderSize;
    for (uint64_t i = 0; i < count; ++i) {
        const ProgramHeader ph = read_program_header(data + table + i * kProgramHeaderSize);
        if (ph.type != kLoad || ph.memory_size == 0) continue;
        const auto checked = check_segment(ph, file_size, user_top);
        if (!checked.ok()) return Failure{checked.error(), {}};
        if (image.segment_count == kMaxSegments) return Failure{Error::kTooManySegments, {}};
        const Segment segment{ph.address, ph.memory_size, ph.offset, ph.file_size, ph.flags & 7};
        for (size_t j = 0; j < image.segment_count; ++j) {
            if (share_a_page(segment, image.segments[j]))
                return Failure{Error::kSegmentsOverlap, {}};
        }
        image.segments[image.segment_count++] = segment;
        // The program headers, if this segment loads them (glibc finds its TLS through them).
        if (table >= ph.offset && table - ph.offset + count * kProgramHeaderSize <= ph.file_size)
            image.headers_address = ph.address + (table - ph.offset);
        const uint64_t end = (ph.address + ph.memory_size + kPageSize - 1) & ~(kPageSize - 1);
        if (end > image.end) image.end = end;
    }
    if (image.segment_count == 0) return Failure{Error::kNoSegments, {}};
    bool entry_in_code = false;
    for (size_t i = 0; i < image.segment_count; ++i) {
        const Segment& s = image.segments[i];
        if ((s.flags & kExecute) != 0 && image.entry >= s.address &&
            image.entry - s.address < s.memory_size)
            entry_in_code = true;
    }
    if (!entry_in_code) return Failure{Error::kEntryNotInCode, {}};
    return image;
}

}  // namespace keel::elf
