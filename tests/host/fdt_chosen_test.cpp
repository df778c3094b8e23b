// SPDX-License-Identifier: MIT
// The device-tree reader's boot-time questions: /aliases, /chosen (stdout-path with options,
// bootargs), /cpus/timebase-frequency and the memory reservation block, on the trees in
// tests/host/dts and on hand-built ones for what dtc would not write.
#include <gtest/gtest.h>

#include <string>

#include "fdt_test_support.h"

namespace keel::fdt {
namespace {

using test::load_dtb;
using test::OpenTree;
using test::TreeBuilder;

// A tree with one UART and the given /aliases and /chosen strings (none when empty).
test::Bytes tree_with(const std::string& alias, const std::string& stdout_path) {
    TreeBuilder builder;
    builder.begin_node("");
    if (!alias.empty()) builder.begin_node("aliases").string("serial0", alias).end_node();
    if (!stdout_path.empty()) {
        builder.begin_node("chosen").string("stdout-path", stdout_path).end_node();
    }
    builder.begin_node("uart@1000").string("compatible", "ns16550a").end_node();
    return builder.end_node().end().build();
}

TEST(FdtAliases, ResolveToTheNodeTheirPathNames) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.resolve_alias("serial0").value(), virt.node("/soc/serial@10000000"));
    EXPECT_EQ(virt.tree.resolve_alias("serial1").value(), virt.node("/soc/serial@10001000"));
}

TEST(FdtAliases, UnknownAliasOrMissingAliasesNodeIsNotFound) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.resolve_alias("serial2").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.resolve_alias("serial").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.resolve_alias(nullptr).error(), Error::kNotFound);
    const OpenTree minimal(load_dtb("minimal"));
    EXPECT_EQ(minimal.tree.resolve_alias("serial0").error(), Error::kNotFound);
}

TEST(FdtAliases, AliasToANodeThatIsNotThereIsNotFound) {
    const OpenTree tree(tree_with("/uart@2000", ""));
    EXPECT_EQ(tree.tree.resolve_alias("serial0").error(), Error::kNotFound);
}

TEST(FdtAliases, AliasWhosePathIsNotAbsoluteIsRefused) {
    // An alias naming another alias could loop; §3.3 wants a full path anyway.
    const OpenTree tree(tree_with("serial0", ""));
    EXPECT_EQ(tree.tree.resolve_alias("serial0").error(), Error::kBadValue);
    EXPECT_EQ(tree.tree.find_path("serial0").error(), Error::kBadValue);
}

TEST(FdtChosen, StdoutPathResolvesItsAliasAndKeepsTheOptions) {
    const OpenTree virt(load_dtb("virt"));
    const auto console = virt.tree.stdout_path();
    ASSERT_TRUE(console.ok()) << error_name(console.error());
    EXPECT_EQ(console.value().node, virt.node("/soc/serial@10000000"));
    EXPECT_STREQ(console.value().options, "115200n8");
}

TEST(FdtChosen, StdoutPathMayBeAFullPathWithOrWithoutOptions) {
    const OpenTree plain(tree_with("", "/uart@1000"));
    ASSERT_TRUE(plain.tree.stdout_path().ok());
    EXPECT_EQ(plain.tree.stdout_path().value().node, plain.node("/uart@1000"));
    EXPECT_STREQ(plain.tree.stdout_path().value().options, "");

    const OpenTree with_options(tree_with("", "/uart:9600n8"));
    ASSERT_TRUE(with_options.tree.stdout_path().ok());
    EXPECT_EQ(with_options.tree.stdout_path().value().node, with_options.node("/uart@1000"));
    EXPECT_STREQ(with_options.tree.stdout_path().value().options, "9600n8");
}

TEST(FdtChosen, StdoutPathAliasWithEmptyOptions) {
    const OpenTree tree(tree_with("/uart@1000", "serial0:"));
    ASSERT_TRUE(tree.tree.stdout_path().ok());
    EXPECT_EQ(tree.tree.stdout_path().value().node, tree.node("/uart@1000"));
    EXPECT_STREQ(tree.tree.stdout_path().value().options, "");
}

TEST(FdtChosen, StdoutPathToNothingOrWithoutChosenIsNotFound) {
    EXPECT_EQ(OpenTree(tree_with("", "serial0:115200")).tree.stdout_path().error(),
              Error::kNotFound);  // no /aliases
    EXPECT_EQ(OpenTree(tree_with("", "/uart@2000")).tree.stdout_path().error(), Error::kNotFound);
    EXPECT_EQ(OpenTree(load_dtb("minimal")).tree.stdout_path().error(), Error::kNotFound);
}

TEST(FdtChosen, BootargsAreTheChosenString) {
    const OpenTree virt(load_dtb("virt"));
    ASSERT_TRUE(virt.tree.bootargs().ok());
    EXPECT_STREQ(virt.tree.bootargs().value(), "console=ttyS0 keel.debug");
}

TEST(FdtChosen, BootargsAreEmptyWhenChosenOrTheValueIsAbsentOrEmpty) {
    const OpenTree minimal(load_dtb("minimal"));  // no /chosen
    EXPECT_STREQ(minimal.tree.bootargs().value_or("error"), "");
    const OpenTree no_bootargs(tree_with("", "/uart@1000"));
    EXPECT_STREQ(no_bootargs.tree.bootargs().value_or("error"), "");
    const OpenTree empty(TreeBuilder()
                             .begin_node("")
                             .begin_node("chosen")
                             .property("bootargs", {})
                             .end_node()
                             .end_node()
                             .end()
                             .build());
    EXPECT_STREQ(empty.tree.bootargs().value_or("error"), "");
}

TEST(FdtChosen, UnterminatedBootargsAreRefused) {
    const OpenTree tree(TreeBuilder()
                            .begin_node("")
                            .begin_node("chosen")
                            .property("bootargs", {'q', 'u', 'i'})
                            .end_node()
                            .end_node()
                            .end()
                            .build());
    EXPECT_EQ(tree.tree.bootargs().error(), Error::kBadValue);
}

TEST(FdtCpus, TimebaseFrequencyComesFromCpus) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.timebase_frequency().value(), 10000000u);
}

TEST(FdtCpus, TimebaseFrequencyFallsBackToACpuNodeAndMayBe64Bit) {
    const OpenTree tree(TreeBuilder()
                            .begin_node("")
                            .begin_node("cpus")
                            .begin_node("cpu@0")
                            .end_node()
                            .begin_node("cpu@1")
                            .cells("timebase-frequency", {0x1, 0x2})
                            .end_node()
                            .end_node()
                            .end_node()
                            .end()
                            .build());
    EXPECT_EQ(tree.tree.timebase_frequency().value(), 0x100000002u);
}

TEST(FdtCpus, TimebaseFrequencyWithoutCpusOrOfAnOddSizeIsAnError) {
    EXPECT_EQ(OpenTree(load_dtb("minimal")).tree.timebase_frequency().error(), Error::kNotFound);
    const OpenTree odd(TreeBuilder()
                           .begin_node("")
                           .begin_node("cpus")
                           .cells("timebase-frequency", {1, 2, 3})
                           .end_node()
                           .end_node()
                           .end()
                           .build());
    EXPECT_EQ(odd.tree.timebase_frequency().error(), Error::kBadValue);
}

TEST(FdtCpus, EachCpuIsAChildOfCpusWithItsHartIdInReg) {
    const OpenTree virt(load_dtb("virt"));
    uint64_t expected_hart = 0;
    for (Node cpu : virt.tree.children(virt.node("/cpus"))) {
        EXPECT_TRUE(virt.tree.is_enabled(cpu));
        EXPECT_EQ(virt.tree.reg(cpu, 0).value().address, expected_hart++);
    }
    EXPECT_EQ(expected_hart, 2u);
}

TEST(FdtReservations, ListsEachEntryThenNotFound) {
    const OpenTree virt(load_dtb("virt"));
    ASSERT_TRUE(virt.tree.memory_reservation(0).ok());
    EXPECT_EQ(virt.tree.memory_reservation(0).value().address, 0x80000000u);
    EXPECT_EQ(virt.tree.memory_reservation(0).value().size, 0x200000u);
    EXPECT_EQ(virt.tree.memory_reservation(1).value().address, 0x87e00000u);
    EXPECT_EQ(virt.tree.memory_reservation(1).value().size, 0x10000u);
    EXPECT_EQ(virt.tree.memory_reservation(2).error(), Error::kNotFound);
    EXPECT_EQ(OpenTree(load_dtb("minimal")).tree.memory_reservation(0).error(), Error::kNotFound);
}

TEST(FdtDefaultTree, AnUnopenedTreeFindsNothing) {
    const DeviceTree tree;
    EXPECT_EQ(tree.total_size(), 0u);
    EXPECT_EQ(tree.find_path("/cpus").error(), Error::kBadStructure);
    EXPECT_EQ(tree.find_compatible("ns16550a").error(), Error::kBadStructure);
    EXPECT_EQ(tree.memory_reservation(0).error(), Error::kNotFound);
    EXPECT_STREQ(tree.name(tree.root()), "");
    EXPECT_FALSE(tree.stdout_path().ok());
    EXPECT_FALSE(tree.timebase_frequency().ok());
}

}  // namespace
}  // namespace keel::fdt
