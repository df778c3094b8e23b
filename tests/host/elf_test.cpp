// SPDX-License-Identifier: MIT
// The ELF64 RISC-V checker (lib/elf.h) on executables built here field by field: what a loader
// needs comes out right, and every malformed header, program header and segment is refused with
// its reason, never a read outside the buffer (ASan, exact-size copies, every truncation).
#include <gtest/gtest.h>
#include <keel/lib/elf.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace keel {
namespace {

constexpr uint64_t kUserTop = 0x40'0000'0000;

struct Phdr {
    uint32_t type = 1;  // PT_LOAD
    uint32_t flags = elf::kRead;
    uint64_t offset = 0;
    uint64_t address = 0;
    uint64_t file_size = 0;
    uint64_t memory_size = 0;
};

// A static executable: the 64-byte header, program headers right after it, then `body` bytes.
struct Program {
    uint16_t type = 2;  // ET_EXEC
    uint16_t machine = 243;
    uint64_t entry = 0x10078;
    std::vector<Phdr> headers;
    size_t body = 0x2000;

    // A typical one: text (R X) at 0x10000 from offset 0 (headers included), data (R W) after it.
    static Program typical() {
        Program p;
        p.headers.push_back({1, elf::kRead | elf::kExecute, 0, 0x10000, 0x1000, 0x1000});
        p.headers.push_back({1, elf::kRead | elf::kWrite, 0x1000, 0x12000, 0x800, 0x3000});
        return p;
    }

    std::vector<uint8_t> bytes() const {
        std::vector<uint8_t> out(64 + headers.size() * 56 + body, 0);
        auto put = [&](size_t at, uint64_t value, size_t n) {
            for (size_t i = 0; i < n; ++i) out[at + i] = static_cast<uint8_t>(value >> (8 * i));
        };
        memcpy(out.data(),
               "\x7f"
               "ELF",
               4);
        out[4] = 2;  // ELFCLASS64
        out[5] = 1;  // ELFDATA2LSB
        out[6] = 1;  // EV_CURRENT
        put(16, type, 2);
        put(18, machine, 2);
        put(20, 1, 4);
        put(24, entry, 8);
        put(32, 64, 8);  // e_phoff
        put(52, 64, 2);  // e_ehsize
        put(54, 56, 2);  // e_phentsize
        put(56, headers.size(), 2);
        for (size_t i = 0; i < headers.size(); ++i) {
            const size_t at = 64 + i * 56;
            put(at, headers[i].type, 4);
            put(at + 4, headers[i].flags, 4);
            put(at + 8, headers[i].offset, 8);
            put(at + 16, headers[i].address, 8);
            put(at + 32, headers[i].file_size, 8);
            put(at + 40, headers[i].memory_size, 8);
        }
        return out;
    }
};

// Exact-size heap copies (a read one byte past the end is an ASan report), kept for the test's
// life: a failure's detail points into its file.
std::vector<std::unique_ptr<uint8_t[]>> g_files;

Result<elf::Image, elf::Failure> parse(const std::vector<uint8_t>& bytes) {
    g_files.emplace_back(new uint8_t[bytes.size() + 1]);
    if (!bytes.empty()) memcpy(g_files.back().get(), bytes.data(), bytes.size());
    return elf::parse(g_files.back().get(), bytes.size(), kUserTop);
}

elf::Error error_of(const Program& program) {
    const auto parsed = parse(program.bytes());
    EXPECT_FALSE(parsed.ok());
    return parsed.ok() ? elf::Error::kTooSmall : parsed.error().error;
}

TEST(Elf, ATypicalStaticExecutableGivesItsSegmentsEntryAndHeaders) {
    const auto parsed = parse(Program::typical().bytes());
    ASSERT_TRUE(parsed.ok()) << elf::error_name(parsed.error().error);
    const elf::Image& image = parsed.value();
    EXPECT_EQ(image.entry, 0x10078u);
    ASSERT_EQ(image.segment_count, 2u);
    EXPECT_EQ(image.segments[1].address, 0x12000u);
    EXPECT_EQ(image.segments[1].file_size, 0x800u);
    EXPECT_EQ(image.segments[1].memory_size, 0x3000u);
    EXPECT_EQ(image.segments[1].flags, elf::kRead | elf::kWrite);
    EXPECT_EQ(image.headers_address, 0x10040u);  // offset 64 in the first segment
    EXPECT_EQ(image.header_count, 2u);
    EXPECT_EQ(image.header_size, 56u);
    EXPECT_EQ(image.end, 0x15000u);
}

TEST(Elf, EveryTruncationIsRefusedWithoutAReadPastTheEnd) {
    const std::vector<uint8_t> bytes = Program::typical().bytes();
    // The data segment's file bytes end at 0x1800: every shorter file lacks something.
    for (size_t length = 0; length < 0x1800; length += (length < 200 ? 1 : 61)) {
        const auto parsed = parse(std::vector<uint8_t>(bytes.begin(), bytes.begin() + length));
        EXPECT_FALSE(parsed.ok()) << "cut at " << length;
    }
}

TEST(Elf, TheIdentificationIsChecked) {
    std::vector<uint8_t> bytes = Program::typical().bytes();
    bytes[1] = 'X';
    EXPECT_EQ(parse(bytes).error().error, elf::Error::kNotElf);
    bytes = Program::typical().bytes();
    bytes[4] = 1;
    EXPECT_EQ(parse(bytes).error().error, elf::Error::kNot64Bit);
    bytes = Program::typical().bytes();
    bytes[5] = 2;
    EXPECT_EQ(parse(bytes).error().error, elf::Error::kNotLittleEndian);
    Program other = Program::typical();
    other.machine = 62;  // x86-64
    EXPECT_EQ(error_of(other), elf::Error::kNotRiscv);
}

TEST(Elf, APositionIndependentOneAndAnObjectFileAreRefusedAsSuch) {
    Program pie = Program::typical();
    pie.type = 3;
    EXPECT_EQ(error_of(pie), elf::Error::kPositionIndependent);
    Program object = Program::typical();
    object.type = 1;
    EXPECT_EQ(error_of(object), elf::Error::kNotExecutable);
}

TEST(Elf, ADynamicProgramIsRefusedNamingItsInterpreter) {
    Program dynamic = Program::typical();
    const char interp[] = "/lib/ld-linux-riscv64-lp64d.so.1";
    dynamic.headers.insert(dynamic.headers.begin(),
                           Phdr{3, elf::kRead, 0x1800, 0, sizeof interp, sizeof interp});
    std::vector<uint8_t> bytes = dynamic.bytes();
    memcpy(bytes.data() + 0x1800, interp, sizeof interp);
    const auto parsed = parse(bytes);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().error, elf::Error::kDynamic);
    EXPECT_EQ(std::string(parsed.error().detail.data, parsed.error().detail.size), interp);
}

TEST(Elf, ADynamicPieIsRefusedByItsInterpreterNotAsPositionIndependent) {
    Program dynamic = Program::typical();
    dynamic.type = 3;  // what gcc links by default: ET_DYN with an interpreter
    const char interp[] = "/lib/ld-linux-riscv64-lp64d.so.1";
    dynamic.headers.push_back(Phdr{3, elf::kRead, 0x1800, 0, sizeof interp, sizeof interp});
    std::vector<uint8_t> bytes = dynamic.bytes();
    memcpy(bytes.data() + 64 + 3 * 56 + 0x1800 - (64 + 3 * 56), interp, sizeof interp);
    const auto parsed = parse(bytes);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().error, elf::Error::kDynamic);
    EXPECT_EQ(std::string(parsed.error().detail.data, parsed.error().detail.size), interp);
}

TEST(Elf, ProgramHeadersOutsideTheFileOrNoneAtAllAreRefused) {
    Program none = Program::typical();
    none.headers.clear();
    EXPECT_EQ(error_of(none), elf::Error::kBadProgramHeaders);
    std::vector<uint8_t> bytes = Program::typical().bytes();
    bytes[32] = 0xf0;  // e_phoff far past the end
    bytes[33] = 0xff;
    EXPECT_EQ(parse(bytes).error().error, elf::Error::kBadProgramHeaders);
}

TEST(Elf, EachBadSegmentIsRefusedWithItsReason) {
    Program p = Program::typical();
    p.headers[1].file_size = 0x100000;
    EXPECT_EQ(error_of(p), elf::Error::kSegmentOutsideFile);
    p = Program::typical();
    p.headers[1].offset = ~uint64_t{0} - 8;  // offset + size wraps around
    EXPECT_EQ(error_of(p), elf::Error::kSegmentOutsideFile);
    p = Program::typical();
    p.headers[1].file_size = 0x1000;
    p.headers[1].memory_size = 0x800;
    EXPECT_EQ(error_of(p), elf::Error::kSegmentFileSize);
    p = Program::typical();
    p.headers[1].address = kUserTop - 0x1000;
    EXPECT_EQ(error_of(p), elf::Error::kSegmentOutsideUser);
    p = Program::typical();
    p.headers[1].address = 0x0;
    p.headers[1].offset = 0x0;
    EXPECT_EQ(error_of(p), elf::Error::kSegmentOutsideUser);  // nothing at page 0: null faults
    p = Program::typical();
    p.headers[1].address = 0x12010;
    EXPECT_EQ(error_of(p), elf::Error::kSegmentMisaligned);
    p = Program::typical();
    p.headers[1].flags = elf::kRead | elf::kWrite | elf::kExecute;
    EXPECT_EQ(error_of(p), elf::Error::kSegmentWriteExecute);
    p = Program::typical();
    p.headers[1].address = 0x10000 + 0x1000 - 0x1000;  // the text segment's page
    p.headers[1].offset = 0x1000;
    EXPECT_EQ(error_of(p), elf::Error::kSegmentsOverlap);
}

TEST(Elf, OnlyTheHeadIsNeededWhenTheFileSizeIsGiven) {
    // The loader reads a file's first page and says how long the file is: the headers come from
    // the head, the segments are checked against the whole file.
    const std::vector<uint8_t> bytes = Program::typical().bytes();
    const std::vector<uint8_t> head(bytes.begin(), bytes.begin() + 0x100);
    g_files.emplace_back(new uint8_t[head.size()]);
    memcpy(g_files.back().get(), head.data(), head.size());
    const auto parsed = elf::parse(g_files.back().get(), head.size(), bytes.size(), kUserTop);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value().segment_count, 2u);
    // A file shorter than its segments say is still refused.
    EXPECT_EQ(elf::parse(g_files.back().get(), head.size(), 0x1000, kUserTop).error().error,
              elf::Error::kSegmentOutsideFile);
    // Program headers past the head are refused (the loader gives it enough to hold them).
    EXPECT_EQ(elf::parse(g_files.back().get(), 100, bytes.size(), kUserTop).error().error,
              elf::Error::kBadProgramHeaders);
}

TEST(Elf, AnInterpreterNamedOutsideTheHeadIsStillRefused) {
    Program dynamic = Program::typical();
    const char interp[] = "/lib/ld-linux-riscv64-lp64d.so.1";
    dynamic.headers.insert(dynamic.headers.begin(),
                           Phdr{3, elf::kRead, 0x1800, 0, sizeof interp, sizeof interp});
    std::vector<uint8_t> bytes = dynamic.bytes();
    memcpy(bytes.data() + 0x1800, interp, sizeof interp);
    g_files.emplace_back(new uint8_t[0x200]);
    memcpy(g_files.back().get(), bytes.data(), 0x200);
    const auto parsed = elf::parse(g_files.back().get(), 0x200, bytes.size(), kUserTop);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().error, elf::Error::kDynamic);
    EXPECT_EQ(parsed.error().detail.size, 0u);
}

TEST(Elf, AnEntryOutsideTheCodeIsRefused) {
    Program p = Program::typical();
    p.entry = 0x12000;  // in the data segment
    EXPECT_EQ(error_of(p), elf::Error::kEntryNotInCode);
}

TEST(Elf, TooManyLoadableSegmentsAreRefused) {
    Program p;
    p.body = 0x1000;
    for (uint64_t i = 0; i < elf::kMaxSegments + 1; ++i)
        p.headers.push_back(
            {1, elf::kRead | elf::kExecute, 0, 0x10000 + i * 0x10000, 0x100, 0x100});
    EXPECT_EQ(error_of(p), elf::Error::kTooManySegments);
}

}  // namespace
}  // namespace keel
