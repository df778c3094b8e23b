// SPDX-License-Identifier: MIT
// Damaged blobs: each structure-block rule, every truncation length and every overwritten byte or
// flipped bit of small blobs. Whatever the bytes, open() either refuses with a typed error or gives
// a tree on which every lookup stays inside the blob (ASan guards the byte after the blob's last).
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <utility>

#include "fdt_reference.h"
#include "fdt_test_support.h"

namespace keel::fdt {
namespace {

using test::Blob;
using test::Bytes;
using test::get_be32;
using test::load_dtb;
using test::open_status;
using test::OpenTree;
using test::put_be32;
using test::TreeBuilder;
using test::with_field;

constexpr size_t kMaxSteps = 10000;  // far more nodes or properties than any test blob has

// Runs every lookup on `tree`; whatever it returns must lie inside [begin, begin + size).
class Exerciser {
public:
    Exerciser(const DeviceTree& tree, const uint8_t* begin, size_t size)
        : tree_(tree), begin_(reinterpret_cast<uintptr_t>(begin)), size_(size) {}

    void run() {
        size_t steps = 0;
        auto node = Result<Node, Error>(tree_.root());
        for (; node.ok() && steps < kMaxSteps; node = tree_.next_node(node.value()), ++steps) {
            visit(node.value());
        }
        EXPECT_LT(steps, kMaxSteps) << "the node walk did not end";
        const char* paths[] = {"/", "/cpus", "/cpus/cpu@0", "/memory", "/soc/serial", "serial0/x"};
        for (const char* path : paths) {
            const auto found = tree_.find_path(path);
            if (found.ok()) string(tree_.name(found.value()));
        }
        steps = 0;
        for (auto uart = tree_.find_compatible("ns16550a"); uart.ok() && steps < kMaxSteps;
             uart = tree_.find_compatible("ns16550a", uart.value()), ++steps) {
        }
        EXPECT_LT(steps, kMaxSteps) << "the compatible search did not end";
        for (uint32_t phandle = 0; phandle < 8; ++phandle) (void)tree_.find_phandle(phandle);
        (void)tree_.resolve_alias("serial0");
        if (const auto console = tree_.stdout_path(); console.ok()) string(console.value().options);
        if (const auto bootargs = tree_.bootargs(); bootargs.ok()) string(bootargs.value());
        (void)tree_.timebase_frequency();
        for (size_t i = 0; i < 4; ++i) (void)tree_.memory_reservation(i);
    }

private:
    void visit(Node node) {
        string(tree_.name(node));
        size_t count = 0;
        for (Node child : tree_.children(node)) {
            EXPECT_EQ(tree_.parent(child).value_or(Node()), node);
            if (++count == kMaxSteps) break;
        }
        EXPECT_LT(count, kMaxSteps) << "the child walk did not end";
        count = 0;
        auto property = tree_.first_property(node);
        for (; property.ok() && count < kMaxSteps; ++count) {
            values(property.value());
            property = tree_.next_property(property.value());
        }
        EXPECT_LT(count, kMaxSteps) << "the property walk did not end";
        for (size_t i = 0; i < 3; ++i) (void)tree_.reg(node, i);
        (void)tree_.is_enabled(node);
        (void)tree_.is_compatible(node, "ns16550a");
    }

    void values(const Property& property) {
        string(property.name());
        EXPECT_TRUE(property.size() == 0 || inside(property.data(), property.size()));
        (void)property.u32(0);
        if (property.cell_count() > 0) (void)property.u32(property.cell_count() - 1);
        (void)property.u32(property.cell_count());
        (void)property.u64(0);
        (void)property.number();
        (void)property.cells(0, 2);
        if (const auto text = property.string(); text.ok()) string(text.value());
        for (const char* entry : property.strings()) string(entry);
    }

    bool inside(const void* pointer, size_t length) const {
        const uintptr_t at = reinterpret_cast<uintptr_t>(pointer);
        return at >= begin_ && length <= size_ && at - begin_ <= size_ - length;
    }

    // strlen() runs off the heap copy if the string is unterminated: an ASan report.
    void string(const char* text) {
        EXPECT_TRUE(text[0] == '\0' || inside(text, strlen(text) + 1)) << "string outside the blob";
    }

    const DeviceTree& tree_;
    uintptr_t begin_;
    size_t size_;
};

// Opens an exact-size copy of `bytes`; if that works, runs every lookup. Returns whether it opened.
bool opens_and_stays_inside(const Bytes& bytes) {
    const Blob blob(bytes);
    const auto tree = DeviceTree::open(blob.data(), blob.size());
    if (tree.ok()) Exerciser(tree.value(), blob.data(), blob.size()).run();
    return tree.ok();
}

// A root with one property and one child, for the structure-block rules.
TreeBuilder& good_root(TreeBuilder& builder) {
    return builder.begin_node("").string("model", "m").begin_node("child@0").end_node();
}

TEST(FdtBounds, AKernelSizedLimitReadsNoFurtherThanTotalSize) {
    const Blob blob(load_dtb("virt"));  // exactly totalsize bytes: ASan guards the next one
    const auto tree = DeviceTree::open(blob.data(), kFirmwareBlobLimit);
    ASSERT_TRUE(tree.ok());
    Exerciser(tree.value(), blob.data(), blob.size()).run();
}

TEST(FdtStructure, AcceptsNopTokensBetweenAnyTokens) {
    TreeBuilder builder;
    builder.nop().begin_node("").nop().string("model", "m").nop();
    builder.begin_node("child@0").nop().end_node().nop().end_node().nop().end();
    const OpenTree tree(builder.build());
    EXPECT_STREQ(tree.tree.name(tree.node("/child")), "child@0");
    EXPECT_STREQ(tree.tree.property(tree.tree.root(), "model").value().string().value(), "m");
    EXPECT_EQ(tree.tree.next_sibling(tree.node("/child")).error(), Error::kNotFound);
}

TEST(FdtStructure, RefusesABlockWithoutEndToken) {
    TreeBuilder builder;
    good_root(builder).end_node();
    EXPECT_EQ(open_status(builder.build()).error(), Error::kBadStructure);
}

TEST(FdtStructure, RefusesAnEmptyBlock) {
    EXPECT_EQ(open_status(TreeBuilder().build()).error(), Error::kBadStructure);
    EXPECT_EQ(open_status(TreeBuilder().end().build()).error(), Error::kBadStructure);
}

TEST(FdtStructure, RefusesAnUnknownToken) {
    for (uint32_t token : {0u, 5u, 8u, 10u, 0x01000000u, 0xffffffffu}) {
        TreeBuilder builder;
        good_root(builder).token(token).end_node().end();
        EXPECT_EQ(open_status(builder.build()).error(), Error::kBadStructure) << token;
    }
}

TEST(FdtStructure, RefusesUnbalancedNodes) {
    TreeBuilder extra_end;
    good_root(extra_end).end_node().end_node().end();
    EXPECT_EQ(open_status(extra_end.build()).error(), Error::kBadStructure);
    TreeBuilder left_open;
    good_root(left_open).end();
    EXPECT_EQ(open_status(left_open.build()).error(), Error::kBadStructure);
}

TEST(FdtStructure, RefusesASecondRootNode) {
    TreeBuilder builder;
    good_root(builder).end_node().begin_node("").end_node().end();
    EXPECT_EQ(open_status(builder.build()).error(), Error::kBadStructure);
}

TEST(FdtStructure, RefusesAPropertyOutsideEveryNode) {
    TreeBuilder builder;
    builder.string("loose", "x");
    good_root(builder).end_node().end();
    EXPECT_EQ(open_status(builder.build()).error(), Error::kBadStructure);
}

TEST(FdtStructure, RefusesAPropertyAfterAChildNode) {
    TreeBuilder builder;
    good_root(builder).string("late", "x").end_node().end();  // §5.4.2: properties come first
    EXPECT_EQ(open_status(builder.build()).error(), Error::kBadStructure);
}

TEST(FdtStructure, RefusesAPropertyValueThatRunsPastTheBlock) {
    TreeBuilder builder;
    good_root(builder).end_node().end();
    Bytes blob = builder.build();
    const uint32_t first_property = get_be32(blob, test::kStructOffsetField) + 8;  // after "" root
    ASSERT_EQ(get_be32(blob, first_property), test::kPropToken);
    for (uint32_t length : {0x100u, 0x7fffffffu, 0xfffffff8u, 0xffffffffu}) {
        put_be32(blob, first_property + 4, length);
        EXPECT_EQ(open_status(blob).error(), Error::kBadStructure) << length;
    }
}

TEST(FdtStructure, RefusesAPropertyNameOffsetOutsideTheStringsBlock) {
    TreeBuilder builder;
    good_root(builder).end_node().end();
    Bytes blob = builder.build();
    const uint32_t first_property = get_be32(blob, test::kStructOffsetField) + 8;
    put_be32(blob, first_property + 8, get_be32(blob, test::kStringsSizeField));
    EXPECT_EQ(open_status(blob).error(), Error::kBadString);
    put_be32(blob, first_property + 8, 0xffffffff);
    EXPECT_EQ(open_status(blob).error(), Error::kBadString);
}

TEST(FdtStructure, RefusesAPropertyNameWithoutNulInsideTheStringsBlock) {
    TreeBuilder builder;
    good_root(builder).end_node().end();
    const Bytes blob = builder.build();
    const uint32_t strings_size = get_be32(blob, test::kStringsSizeField);  // "model\0"
    EXPECT_EQ(open_status(with_field(blob, test::kStringsSizeField, strings_size - 1)).error(),
              Error::kBadString);
}

TEST(FdtStructure, RefusesANodeNameWithoutNulInsideTheBlock) {
    Bytes blob = TreeBuilder().begin_node("").begin_node("abc").build();
    const uint32_t struct_size = get_be32(blob, test::kStructSizeField);  // ends "abc\0"
    EXPECT_EQ(open_status(with_field(blob, test::kStructSizeField, struct_size - 1)).error(),
              Error::kBadString);
}

// A chain of `depth` nested nodes: the root and depth - 1 nodes named "n".
Bytes nested(uint32_t depth) {
    TreeBuilder builder;
    builder.begin_node("");
    for (uint32_t i = 1; i < depth; ++i) builder.begin_node("n");
    for (uint32_t i = 0; i < depth; ++i) builder.end_node();
    return builder.end().build();
}

TEST(FdtStructure, AcceptsNestingUpToTheDepthLimit) {
    const OpenTree tree(nested(kMaxDepth));
    std::string path;
    for (uint32_t i = 1; i < kMaxDepth; ++i) path += "/n";
    const Node deepest = tree.node(path.c_str());
    const std::string parent_path = path.substr(0, path.size() - 2);
    EXPECT_EQ(tree.tree.parent(deepest).value(), tree.node(parent_path.c_str()));
    EXPECT_EQ(tree.tree.first_child(deepest).error(), Error::kNotFound);
}

TEST(FdtStructure, RefusesNestingDeeperThanTheLimit) {
    EXPECT_EQ(open_status(nested(kMaxDepth + 1)).error(), Error::kTooDeep);
}

TEST(FdtDamage, EveryProperPrefixIsRefusedAsTruncated) {
    const Bytes virt = load_dtb("virt");
    for (size_t length = 0; length < virt.size(); ++length) {
        const Blob blob(Bytes(virt.begin(), virt.begin() + length));
        EXPECT_EQ(DeviceTree::open(blob.data(), length).error(), Error::kTruncated) << length;
    }
}

TEST(FdtDamage, EveryPrefixWithAHeaderShrunkToFitOpensSafelyOrFails) {
    const Bytes virt = load_dtb("virt");
    size_t opened = 0;
    for (size_t length = test::kHeaderSize; length <= virt.size(); ++length) {
        Bytes prefix(virt.begin(), virt.begin() + length);
        const auto total = static_cast<uint32_t>(length);
        put_be32(prefix, test::kTotalSizeField, total);
        for (auto [offset_field, size_field] :
             {std::pair{test::kStructOffsetField, test::kStructSizeField},
              {test::kStringsOffsetField, test::kStringsSizeField}}) {
            const uint32_t offset = std::min(get_be32(prefix, offset_field), total);
            put_be32(prefix, size_field, std::min(get_be32(prefix, size_field), total - offset));
        }
        SCOPED_TRACE(length);
        opened += opens_and_stays_inside(prefix);
    }
    EXPECT_GE(opened, 1u);  // at least the whole blob
}

TEST(FdtDamage, EveryShorterStructOrStringsBlockIsRefused) {
    // dtc ends the structure block with FDT_END and writes only names some property uses, so
    // cutting either block by even one byte loses a token or a name's NUL.
    const Bytes virt = load_dtb("virt");
    for (auto size_field : {test::kStructSizeField, test::kStringsSizeField}) {
        const uint32_t size = get_be32(virt, size_field);
        for (uint32_t cut = 1; cut <= size; ++cut) {
            EXPECT_FALSE(open_status(with_field(virt, size_field, size - cut)).ok()) << cut;
        }
    }
}

TEST(FdtDamage, EveryOverwrittenByteOpensSafelyOrFails) {
    size_t opened = 0;
    size_t refused = 0;
    for (const char* name : {"minimal", "cells"}) {
        const Bytes original = load_dtb(name);
        for (size_t at = 0; at < original.size(); ++at) {
            for (uint8_t value : {0x00, 0x01, 0x02, 0x03, 0x04, 0x09, 0x2f, 0x40, 0x80, 0xff}) {
                Bytes damaged = original;
                damaged[at] = value;
                SCOPED_TRACE(std::string(name) + " byte " + std::to_string(at) + " = " +
                             std::to_string(value));
                (opens_and_stays_inside(damaged) ? opened : refused) += 1;
            }
        }
    }
    EXPECT_GT(opened, 0u);
    EXPECT_GT(refused, 0u);
}

// open() against the reference reading (fdt_reference.h) of a blob whose header is sound: it
// refuses exactly the malformed structure blocks, with a structure error, and in a block it
// accepts it finds the reference's nodes and properties, each name NUL-terminated inside its
// block and each value inside the structure block. Returns whether it opened.
bool expect_reads_like_the_reference(const Bytes& bytes) {
    const Blob blob(bytes);
    const auto tree = DeviceTree::open(blob.data(), blob.size());
    const test::ReferenceTree want = test::ReferenceReader(bytes).read();
    if (!want.well_formed) {
        EXPECT_FALSE(tree.ok()) << "opened a malformed structure block";
        const Error error = tree.error();
        EXPECT_TRUE(error == Error::kBadStructure || error == Error::kBadString ||
                    error == Error::kTooDeep)
            << "refused with " << error_name(error) << ", not a structure-block error";
        return false;
    }
    EXPECT_TRUE(tree.ok()) << "refused a well-formed block: " << error_name(tree.error());
    if (!tree.ok()) return false;
    EXPECT_EQ(test::difference(tree.value(), blob.data(), want), "");
    Exerciser(tree.value(), blob.data(), blob.size()).run();
    return true;
}

TEST(FdtDamage, EveryFlippedBitOfTheVirtStructBlockOpensAsTheReferenceReadsItOrFails) {
    const Bytes virt = load_dtb("virt");
    const uint32_t begin = get_be32(virt, test::kStructOffsetField);
    const uint32_t end = begin + get_be32(virt, test::kStructSizeField);
    size_t opened = 0;
    size_t refused = 0;
    for (uint32_t at = begin; at < end; ++at) {
        for (int bit : {0, 3, 7}) {
            Bytes damaged = virt;
            damaged[at] ^= static_cast<uint8_t>(1u << bit);
            SCOPED_TRACE("byte " + std::to_string(at) + " bit " + std::to_string(bit));
            (expect_reads_like_the_reference(damaged) ? opened : refused) += 1;
        }
    }
    EXPECT_GT(opened, 0u);  // names and values take any byte
    EXPECT_GT(refused, 0u);
}

}  // namespace
}  // namespace keel::fdt
