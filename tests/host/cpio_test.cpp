// SPDX-License-Identifier: MIT
// The cpio newc reader (lib/cpio.h) on archives built here the way `cpio -o -H newc` lays them out
// (also as `find . | cpio` names them), and on every truncation and on damaged headers: an error
// naming the entry's offset, never a read outside the buffer (ASan, exact-size copies).
#include <gtest/gtest.h>
#include <keel/lib/cpio.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cpio_builder.h"

namespace keel {
namespace {

using Builder = test::CpioBuilder;

// The archive in a heap block of exactly its size: one byte too far is an ASan report.
struct Exact {
    explicit Exact(const std::string& bytes)
        : data(new uint8_t[bytes.size() + 1]), size(bytes.size()) {
        memcpy(data.get(), bytes.data(), bytes.size());
    }
    std::unique_ptr<uint8_t[]> data;
    size_t size;
};

std::string as_string(StringView view) {
    return std::string(view.data, view.size);
}

TEST(Cpio, ReadsTheFilesAndDirectoriesOfANewcArchive) {
    const std::string bytes =
        Builder().dir("bin").file("bin/hello", "hi!\n").file("etc/motd", "welcome").finish();
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_TRUE(archive.ok());
    EXPECT_EQ(archive.value().count(), 3u);
    cpio::Entry entry;
    ASSERT_TRUE(archive.value().find(StringView::of("/bin/hello"), entry));
    EXPECT_TRUE(entry.is_regular());
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(entry.data), entry.size), "hi!\n");
    ASSERT_TRUE(archive.value().find(StringView::of("bin"), entry));
    EXPECT_TRUE(entry.is_directory());
    EXPECT_FALSE(archive.value().find(StringView::of("/bin/nope"), entry));
}

TEST(Cpio, EveryHeaderFieldTheUnpackerNeedsIsRead) {
    // ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor.
    char header[111];
    snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             7u, 020620u, 1000u, 5u, 2u, 1700000000u, 0u, 8u, 1u, 4u, 64u, 8u, 0u);
    std::string bytes = std::string(header, 110) + "dev/tty" + '\0';
    while (bytes.size() % 4 != 0) bytes += '\0';
    snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             0u, 0u, 0u, 0u, 1u, 0u, 0u, 0u, 0u, 0u, 0u, 11u, 0u);
    bytes += std::string(header, 110) + "TRAILER!!!" + '\0';
    while (bytes.size() % 4 != 0) bytes += '\0';
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_TRUE(archive.ok());
    cpio::Entry entry;
    ASSERT_TRUE(archive.value().find(StringView::of("dev/tty"), entry));
    EXPECT_EQ(entry.ino, 7u);
    EXPECT_EQ(entry.mode & cpio::kTypeMask, cpio::kCharDevice);
    EXPECT_EQ(entry.uid, 1000u);
    EXPECT_EQ(entry.gid, 5u);
    EXPECT_EQ(entry.nlink, 2u);
    EXPECT_EQ(entry.mtime, 1700000000u);
    EXPECT_EQ(entry.dev_major, 8u);
    EXPECT_EQ(entry.dev_minor, 1u);
    EXPECT_EQ(entry.rdev_major, 4u);
    EXPECT_EQ(entry.rdev_minor, 64u);
}

TEST(Cpio, NamesFromFindDotAreReadWithoutTheirDotSlash) {
    // `find . | cpio -o -H newc`: a "." entry, then "./bin", "./bin/hello".
    const std::string bytes = Builder().dir(".").dir("./bin").file("./bin/hello", "x").finish();
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_TRUE(archive.ok());
    std::vector<std::string> names;
    archive.value().for_each([&](const cpio::Entry& e) { names.push_back(as_string(e.name)); });
    EXPECT_EQ(names, (std::vector<std::string>{"", "bin", "bin/hello"}));
    cpio::Entry entry;
    EXPECT_TRUE(archive.value().find(StringView::of("/bin/hello"), entry));
    EXPECT_TRUE(archive.value().find(StringView::of("./bin/hello"), entry));
    ASSERT_TRUE(archive.value().find(StringView::of("/"), entry));
    EXPECT_TRUE(entry.is_directory());
}

TEST(Cpio, AnEmptyFileAndPaddingOfEveryLengthAreRead) {
    Builder builder;
    std::string expected;
    for (int n = 0; n < 9; ++n) builder.file("f" + std::string(n, 'x'), std::string(n, 'a' + n));
    const std::string bytes = builder.finish();
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_TRUE(archive.ok());
    int n = 0;
    archive.value().for_each([&](const cpio::Entry& e) {
        EXPECT_EQ(as_string(e.name), "f" + std::string(n, 'x'));
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(e.data), e.size),
                  std::string(n, 'a' + n));
        ++n;
    });
    EXPECT_EQ(n, 9);
}

TEST(Cpio, ZeroPaddingAfterTheTrailerIsFine) {
    std::string bytes = Builder().file("a", "1").finish();
    bytes += std::string(512, '\0');  // cpio pads its output to 512-byte blocks
    const Exact exact(bytes);
    EXPECT_TRUE(cpio::Archive::open(exact.data.get(), exact.size).ok());
}

TEST(Cpio, EveryTruncationIsAnErrorAndNeverAReadPastTheEnd) {
    const std::string bytes = Builder().dir("bin").file("bin/hello", "hello world").finish();
    for (size_t length = 0; length < bytes.size(); ++length) {
        const Exact exact(bytes.substr(0, length));
        const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
        EXPECT_FALSE(archive.ok()) << "cut at " << length;
    }
}

TEST(Cpio, ABadMagicIsRefusedWithTheEntrysOffset) {
    std::string bytes = Builder().file("a", "12345").file("b", "x").finish();
    const size_t second = 112 + 8;  // 110 + "a\0" = 112, 5 data bytes padded to 8
    ASSERT_EQ(bytes.substr(second, 6), "070701");
    bytes[second + 5] = '7';
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_FALSE(archive.ok());
    EXPECT_EQ(archive.error().error, cpio::Error::kBadMagic);
    EXPECT_EQ(archive.error().offset, second);
}

TEST(Cpio, ANonHexFieldIsRefused) {
    std::string bytes = Builder().file("a", "1").finish();
    bytes[6 + 6 * 8] = 'g';  // filesize's first digit
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_FALSE(archive.ok());
    EXPECT_EQ(archive.error().error, cpio::Error::kBadNumber);
}

TEST(Cpio, AFileSizePastTheEndIsRefused) {
    std::string bytes = Builder().file("a", "1").finish();
    bytes.replace(6 + 6 * 8, 8, "7FFFFFFF");
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_FALSE(archive.ok());
    EXPECT_EQ(archive.error().error, cpio::Error::kTruncatedData);
    EXPECT_EQ(archive.error().offset, 0u);
}

TEST(Cpio, ANameWithoutItsNulOrWithAnEarlyOneIsRefused) {
    std::string bytes = Builder().file("ab", "1").finish();
    bytes[110 + 2] = 'c';  // the NUL
    const Exact exact(bytes);
    auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_FALSE(archive.ok());
    EXPECT_EQ(archive.error().error, cpio::Error::kNameNotTerminated);
    std::string early = Builder().file("ab", "1").finish();
    early[110 + 1] = '\0';
    const Exact exact2(early);
    archive = cpio::Archive::open(exact2.data.get(), exact2.size);
    ASSERT_FALSE(archive.ok());
    EXPECT_EQ(archive.error().error, cpio::Error::kNameNotTerminated);
}

TEST(Cpio, AZeroNameSizeIsRefused) {
    std::string bytes = Builder().file("a", "1").finish();
    bytes.replace(6 + 11 * 8, 8, "00000000");
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_FALSE(archive.ok());
    EXPECT_EQ(archive.error().error, cpio::Error::kBadNameSize);
}

TEST(Cpio, AnArchiveWithoutATrailerIsRefused) {
    std::string bytes = Builder().file("a", "1").finish();
    bytes.resize(bytes.size() - 124);  // the trailer: 110 + "TRAILER!!!\0" padded to 124
    const Exact exact(bytes);
    const auto archive = cpio::Archive::open(exact.data.get(), exact.size);
    ASSERT_FALSE(archive.ok());
    EXPECT_EQ(archive.error().error, cpio::Error::kNoTrailer);
}

TEST(Cpio, NormalizeDropsLeadingSlashesDotSlashesAndATrailingSlash) {
    EXPECT_EQ(as_string(cpio::normalize(StringView::of("/bin/hello"))), "bin/hello");
    EXPECT_EQ(as_string(cpio::normalize(StringView::of("./bin/"))), "bin");
    EXPECT_EQ(as_string(cpio::normalize(StringView::of("."))), "");
    EXPECT_EQ(as_string(cpio::normalize(StringView::of("//./etc"))), "etc");
}

}  // namespace
}  // namespace keel
