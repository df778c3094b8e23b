// SPDX-License-Identifier: MIT
// tmpfs_options::parse: what Linux 6.12's tmpfs takes in mount(2)'s data (tests/linux/fifo.out
// has its answers for the same strings) and what it refuses with EINVAL.
#include <gtest/gtest.h>
#include <keel/lib/tmpfs_options.h>

namespace keel::tmpfs_options {
namespace {

constexpr uint64_t kRamPages = 32768;  // 128 MiB

bool read(const char* text, Options& options) {
    return parse(StringView::of(text), kRamPages, options);
}

Options parsed(const char* text) {
    Options options;
    EXPECT_TRUE(read(text, options)) << text;
    return options;
}

bool refused(const char* text) {
    Options options;
    return !read(text, options);
}

TEST(TmpfsOptions, NothingKeepsTheDefaults) {
    Options options;
    options.max_pages = 7;
    ASSERT_TRUE(read("", options));
    EXPECT_EQ(options.max_pages, 7u);
    EXPECT_EQ(options.mode, 01777u);
}

TEST(TmpfsOptions, SizeTakesBinarySuffixesAndRoundsUpToPages) {
    EXPECT_EQ(parsed("size=64k").max_pages, 16u);
    EXPECT_EQ(parsed("size=1m").max_pages, 256u);
    EXPECT_EQ(parsed("size=1G").max_pages, 262144u);
    EXPECT_EQ(parsed("size=1").max_pages, 1u);
    EXPECT_EQ(parsed("size=4097").max_pages, 2u);
}

TEST(TmpfsOptions, SizeReadsNumbersAsC) {
    EXPECT_EQ(parsed("size=0x2000").max_pages, 2u);
    EXPECT_EQ(parsed("size=010k").max_pages, 2u);  // octal 8 KiB
}

TEST(TmpfsOptions, SizeZeroMeansNoLimit) {
    Options options;
    options.max_pages = 5;
    ASSERT_TRUE(read("size=0", options));
    EXPECT_EQ(options.max_pages, 0u);
}

TEST(TmpfsOptions, SizePercentIsOfRam) {
    EXPECT_EQ(parsed("size=10%").max_pages, 3277u);  // 32768 * 10 / 100, rounded up
    EXPECT_EQ(parsed("size=100%").max_pages, kRamPages);
}

TEST(TmpfsOptions, NrBlocksIsPages) {
    EXPECT_EQ(parsed("nr_blocks=3").max_pages, 3u);
    EXPECT_EQ(parsed("nr_blocks=1k").max_pages, 1024u);
}

TEST(TmpfsOptions, ModeIsOctalAndMaskedToPermissions) {
    EXPECT_EQ(parsed("mode=0755").mode, 0755u);
    EXPECT_EQ(parsed("mode=700").mode, 0700u);
    EXPECT_EQ(parsed("mode=177777").mode, 07777u);
}

TEST(TmpfsOptions, OwnerAndInodes) {
    const Options o = parsed("uid=0,gid=0x10,nr_inodes=100");
    EXPECT_EQ(o.uid, 0u);
    EXPECT_EQ(o.gid, 16u);
    EXPECT_EQ(o.max_inodes, 100u);
}

TEST(TmpfsOptions, LaterOptionsWin) {
    EXPECT_EQ(parsed("size=1m,size=8k").max_pages, 2u);
}

TEST(TmpfsOptions, EmptyItemsAndNamelessValuesAreSkipped) {
    const Options o = parsed(",size=8k,,=junk,mode=700,");
    EXPECT_EQ(o.max_pages, 2u);
    EXPECT_EQ(o.mode, 0700u);
}

TEST(TmpfsOptions, TheVfsFlagsAndTmpfsFlagsAreTaken) {
    EXPECT_EQ(parsed("rw,size=8k").max_pages, 2u);
    (void)parsed("ro,sync,async,dirsync,lazytime,nolazytime,mand,nomand,inode32,inode64,noswap");
    (void)parsed("huge=never,huge=within_size");
}

TEST(TmpfsOptions, RefusesUnknownOptions) {
    EXPECT_TRUE(refused("bogus"));
    EXPECT_TRUE(refused("size=64k,frob=1"));
    EXPECT_TRUE(refused("Size=1m"));
    EXPECT_TRUE(refused("huge=sometimes"));
}

TEST(TmpfsOptions, RefusesValuesWhereNoneBelongAndNoneWhereOneDoes) {
    EXPECT_TRUE(refused("size"));
    EXPECT_TRUE(refused("size="));
    EXPECT_TRUE(refused("mode="));
    EXPECT_TRUE(refused("rw=1"));
    EXPECT_TRUE(refused("noswap=yes"));
}

TEST(TmpfsOptions, RefusesBadNumbers) {
    EXPECT_TRUE(refused("size=abc"));
    EXPECT_TRUE(refused("size=1q"));
    EXPECT_TRUE(refused("size=1m2"));
    EXPECT_TRUE(refused("mode=9"));
    EXPECT_TRUE(refused("mode=0x7"));
    EXPECT_TRUE(refused("nr_inodes=1x"));
    EXPECT_TRUE(refused("uid=x"));
    EXPECT_TRUE(refused("uid=4294967295"));  // (uid_t)-1
    EXPECT_TRUE(refused("uid=4294967296"));
    EXPECT_TRUE(refused("size=99999999999999999999"));
}

}  // namespace
}  // namespace keel::tmpfs_options
