// SPDX-License-Identifier: MIT
// Unpacking an initramfs (lib/unpack.h) into a fake tree, entry by entry as Linux's
// init/initramfs.c would: what each archive leaves, written out as a listing, and the counts.
#include <gtest/gtest.h>
#include <keel/lib/unpack.h>

#include <memory>
#include <vector>

#include "cpio_builder.h"
#include "unpack_fake.h"

namespace keel {
namespace {

using test::CpioBuilder;
using test::CpioEntry;
using test::FakeTree;

struct Unpacked {
    unpack::Counts counts;
    std::string listing;
    std::string root;  // the root's own "mode uid:gid @mtime"
};

Unpacked unpack_into(FakeTree& tree, const std::string& bytes, size_t link_room = 16) {
    const auto archive = cpio::Archive::open(bytes.data(), bytes.size());
    EXPECT_TRUE(archive.ok());
    std::vector<unpack::Linked> linked(link_room);
    auto scratch = std::make_unique<path::Scratch>();
    Unpacked out;
    out.counts =
        unpack::unpack(archive.value(), tree, tree.fs.root(), linked.data(), link_room, *scratch);
    out.listing = tree.listing();
    char root[64];
    snprintf(root, sizeof root, "%06o %u:%u @%llu", tree.fs.root()->mode, tree.fs.root()->uid,
             tree.fs.root()->gid, static_cast<unsigned long long>(tree.fs.root()->mtime));
    out.root = root;
    EXPECT_EQ(tree.fs.misuses, 0u) << "a call the walk should never make";
    return out;
}

Unpacked unpack_archive(const std::string& bytes, size_t link_room = 16) {
    FakeTree tree;
    return unpack_into(tree, bytes, link_room);
}

TEST(Unpack, MakesEachKindWithItsModeOwnerAndTime) {
    CpioBuilder b;
    b.add(CpioEntry{"bin", 040711, "", 0, 2, 0, 0, 100});
    b.add(CpioEntry{"bin/hello", 0104755,
                    "\x7f"
                    "ELF",
                    0, 1, 1000, 100, 200});
    b.add(CpioEntry{"bin/sh", 0120777, "hello", 0, 1, 0, 0, 300});
    b.add(CpioEntry{"console", 020600, "", 0, 1, 0, 5, 400, 5, 1});
    b.add(CpioEntry{"fifo", 010640, "", 0, 1, 0, 0, 500});
    const Unpacked u = unpack_archive(b.finish());
    EXPECT_EQ(u.listing,
              "bin 040711 0:0 @100\n"
              "bin/hello 104755 1000:100 @200 = \x7f"
              "ELF\n"
              "bin/sh 120777 0:0 @300 -> hello\n"
              "console 020600 0:5 @400 = 5:1\n"
              "fifo 010640 0:0 @500\n");
    EXPECT_EQ(u.counts.files, 1u);
    EXPECT_EQ(u.counts.directories, 1u);
    EXPECT_EQ(u.counts.symlinks, 1u);
    EXPECT_EQ(u.counts.others, 2u);
    EXPECT_EQ(u.counts.refused, 0u);
}

TEST(Unpack, TheDotEntryDescribesTheRoot) {
    // `find . | cpio -o -H newc`: "." first (the reader strips "./" from the rest).
    CpioBuilder b;
    b.add(CpioEntry{".", 040700, "", 0, 2, 7, 8, 900});
    b.add(CpioEntry{"./etc", 040755, "", 0, 2, 0, 0, 10});
    b.file("./etc/motd", "hi");
    const Unpacked u = unpack_archive(b.finish());
    EXPECT_EQ(u.root, "040700 7:8 @900");
    EXPECT_EQ(u.listing, "etc 040755 0:0 @10\netc/motd 100644 0:0 @0 = hi\n");
    EXPECT_EQ(u.counts.refused, 0u);
}

TEST(Unpack, AMissingDirectoryOnTheWayRefusesTheEntryAndOnlyIt) {
    // Linux makes no parents: the open fails and the entry is skipped.
    const Unpacked u = unpack_archive(CpioBuilder().file("nowhere/f", "x").file("g", "y").finish());
    EXPECT_EQ(u.listing, "g 100644 0:0 @0 = y\n");
    EXPECT_EQ(u.counts.refused, 1u);
    EXPECT_EQ(u.counts.files, 1u);
}

TEST(Unpack, NamesAreWalkedThroughSymlinksAndDotDot) {
    // Debian's merged /usr: bin -> usr/bin; a name under bin/ lands in usr/bin.
    const Unpacked u = unpack_archive(CpioBuilder()
                                          .dir("usr")
                                          .dir("usr/bin")
                                          .symlink("bin", "usr/bin")
                                          .file("bin/ls", "ls")
                                          .file("usr/../top", "t")
                                          .file("../../above", "a")
                                          .finish());
    EXPECT_EQ(u.listing,
              "above 100644 0:0 @0 = a\n"
              "bin 120777 0:0 @0 -> usr/bin\n"
              "top 100644 0:0 @0 = t\n"
              "usr 040755 0:0 @0\n"
              "usr/bin 040755 0:0 @0\n"
              "usr/bin/ls 100644 0:0 @0 = ls\n");
    EXPECT_EQ(u.counts.refused, 0u);
}

TEST(Unpack, NamesThatEndInDotOrDotDotAreRefused) {
    const Unpacked u =
        unpack_archive(CpioBuilder().dir("d").file("d/.", "x").file("d/..", "x").finish());
    EXPECT_EQ(u.listing, "d 040755 0:0 @0\n");
    EXPECT_EQ(u.counts.refused, 2u);
}

TEST(Unpack, ALaterEntryOfANameReplacesTheEarlierAsLinuxDoes) {
    const Unpacked u =
        unpack_archive(CpioBuilder()
                           .file("f", "a long first text")
                           .file("f", "short")  // truncated and rewritten
                           .file("g", "file")
                           .dir("g")  // the file goes, a directory comes
                           .dir("full")
                           .file("full/x", "x")
                           .symlink("full", "elsewhere")  // a full dir stays
                           .file("target", "kept")
                           .symlink("l", "target")
                           .file("l", "over the link")  // the link goes, not its target
                           .dir("e")
                           .symlink("e", "target")  // an empty dir goes
                           .finish());
    EXPECT_EQ(u.listing,
              "e 120777 0:0 @0 -> target\n"
              "f 100644 0:0 @0 = short\n"
              "full 040755 0:0 @0\n"
              "full/x 100644 0:0 @0 = x\n"
              "g 040755 0:0 @0\n"
              "l 100644 0:0 @0 = over the link\n"
              "target 100644 0:0 @0 = kept\n");
    EXPECT_EQ(u.counts.refused, 1u);  // the symlink over the full directory
}

TEST(Unpack, NothingReplacesADirectoryThatHoldsNames) {
    CpioBuilder b;
    b.dir("d").file("d/x", "x");
    b.file("d", "file");
    b.add(CpioEntry{"d", 020600, "", 0, 1, 0, 0, 0, 1, 3});
    b.add(CpioEntry{"e", 0100644, "", 9, 2});
    b.add(CpioEntry{"d", 0100600, "linked", 9, 2});  // a hard link's name
    const Unpacked u = unpack_archive(b.finish());
    EXPECT_EQ(u.listing, "d 040755 0:0 @0\nd/x 100644 0:0 @0 = x\ne 100644 0:0 @0\n");
    EXPECT_EQ(u.counts.refused, 3u);
}

TEST(Unpack, ADirectoryEntryAgainKeepsItsNamesAndTakesTheNewMode) {
    const Unpacked u = unpack_archive(CpioBuilder()
                                          .dir("d")
                                          .file("d/x", "x")
                                          .add(CpioEntry{"d", 040700, "", 0, 2, 5, 5, 9})
                                          .finish());
    EXPECT_EQ(u.listing, "d 040700 5:5 @9\nd/x 100644 0:0 @0 = x\n");
}

TEST(Unpack, ADirectorysTimeIsSetAfterItsNamesAreMade) {
    FakeTree tree;
    CpioBuilder b;
    b.add(CpioEntry{"d", 040755, "", 0, 2, 0, 0, 1234});
    b.file("d/x", "x");
    const Unpacked u = unpack_into(tree, b.finish());
    EXPECT_EQ(u.listing, "d 040755 0:0 @1234\nd/x 100644 0:0 @0 = x\n");
}

TEST(Unpack, HardLinkedNamesShareOneFileWhoseDataComesLast) {
    // As cpio writes them: every name nlink 3, one inode number, the data with the last.
    CpioBuilder b;
    b.add(CpioEntry{"a", 0100755, "", 42, 3});
    b.add(CpioEntry{"b", 0100755, "", 42, 3});
    b.add(CpioEntry{"c", 0100755, "data", 42, 3});
    b.add(CpioEntry{"other", 0100644, "own", 43, 1});
    b.add(CpioEntry{"dev", 020600, "", 42, 2, 0, 0, 0, 1, 3});  // same number, another type
    const Unpacked u = unpack_archive(b.finish());
    EXPECT_EQ(u.listing,
              "a 100755 0:0 @0 = data (3 names)\n"
              "b 100755 0:0 @0 = data (3 names)\n"
              "c 100755 0:0 @0 = data (3 names)\n"
              "dev 020600 0:0 @0 = 1:3\n"
              "other 100644 0:0 @0 = own\n");
    EXPECT_EQ(u.counts.files, 4u);
    EXPECT_EQ(u.counts.refused, 0u);
}

TEST(Unpack, AHardLinkReplacesWhatIsAtItsName) {
    CpioBuilder b;
    b.file("b", "in the way");
    b.add(CpioEntry{"a", 0100644, "", 7, 2});
    b.add(CpioEntry{"b", 0100644, "linked", 7, 2});
    const Unpacked u = unpack_archive(b.finish());
    EXPECT_EQ(u.listing,
              "a 100644 0:0 @0 = linked (2 names)\nb 100644 0:0 @0 = linked (2 names)\n");
}

TEST(Unpack, HardLinkedFilesPastTheRoomAreRefusedNotSplit) {
    CpioBuilder b;
    b.add(CpioEntry{"a", 0100644, "", 1, 2});
    b.add(CpioEntry{"a2", 0100644, "A", 1, 2});
    b.add(CpioEntry{"b", 0100644, "", 2, 2});  // no room left to remember inode 2
    b.add(CpioEntry{"b2", 0100644, "B", 2, 2});
    const Unpacked u = unpack_archive(b.finish(), 1);
    EXPECT_EQ(u.listing, "a 100644 0:0 @0 = A (2 names)\na2 100644 0:0 @0 = A (2 names)\n");
    EXPECT_EQ(u.counts.refused, 2u);
}

TEST(Unpack, ANodeAlreadyThereTakesTheEntrysOwnerAndMode) {
    CpioBuilder b;
    b.add(CpioEntry{"null", 020666, "", 0, 1, 0, 0, 0, 1, 3});
    b.add(CpioEntry{"null", 020600, "", 0, 1, 4, 4, 0, 9, 9});  // mknod's EEXIST: it stays
    const Unpacked u = unpack_archive(b.finish());
    EXPECT_EQ(u.listing, "null 020600 4:4 @0 = 1:3\n");
    EXPECT_EQ(u.counts.refused, 0u);
}

TEST(Unpack, AFailureToMakeOneNameLeavesTheRest) {
    FakeTree tree;
    tree.refuse_name = "big";
    const Unpacked u =
        unpack_into(tree, CpioBuilder().file("a", "1").file("big", "2").file("c", "3").finish());
    EXPECT_EQ(u.listing, "a 100644 0:0 @0 = 1\nc 100644 0:0 @0 = 3\n");
    EXPECT_EQ(u.counts.refused, 1u);
    EXPECT_EQ(u.counts.files, 2u);
}

TEST(Unpack, EntriesOfNoKnownTypeAreRefused) {
    const Unpacked u = unpack_archive(CpioBuilder().add("odd", 0070644).add("none", 0644).finish());
    EXPECT_EQ(u.listing, "");
    EXPECT_EQ(u.counts.refused, 2u);
}

}  // namespace
}  // namespace keel
