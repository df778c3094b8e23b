// SPDX-License-Identifier: MIT
// The device-tree reader's lookups on the trees in tests/host/dts: paths and unit addresses, walks,
// compatible strings, phandles, status and reg. Elsewhere: /aliases, /chosen and /cpus in
// fdt_chosen_test.cpp, bad blobs in fdt_header_test.cpp and fdt_damage_test.cpp, values in
// fdt_property_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "fdt_test_support.h"

namespace keel::fdt {
namespace {

using test::load_dtb;
using test::OpenTree;
using test::TreeBuilder;

std::vector<std::string> child_names(const DeviceTree& tree, Node node) {
    std::vector<std::string> names;
    for (Node child : tree.children(node)) names.push_back(tree.name(child));
    return names;
}

TEST(FdtPaths, RootIsTheEmptyPathSlashAndHasNoName) {
    const OpenTree virt(load_dtb("virt"));
    const auto root = virt.tree.find_path("/");
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(root.value(), virt.tree.root());
    EXPECT_STREQ(virt.tree.name(root.value()), "");
}

TEST(FdtPaths, FindsANodeByItsFullPath) {
    const OpenTree virt(load_dtb("virt"));
    const auto cpu = virt.tree.find_path("/cpus/cpu@1");
    ASSERT_TRUE(cpu.ok());
    EXPECT_STREQ(virt.tree.name(cpu.value()), "cpu@1");
}

TEST(FdtPaths, NameWithoutUnitAddressMatchesTheFirstChildWithThatBaseName) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_STREQ(virt.tree.name(virt.node("/memory")), "memory@80000000");
    EXPECT_STREQ(virt.tree.name(virt.node("/soc/serial")), "serial@10000000");
    EXPECT_STREQ(virt.tree.name(virt.node("/cpus/cpu/interrupt-controller")),
                 "interrupt-controller");
}

TEST(FdtPaths, ExactNameWinsOverABaseNameMatchThatComesFirst) {
    const OpenTree tree(TreeBuilder()
                            .begin_node("")
                            .begin_node("uart@1000")
                            .end_node()
                            .begin_node("uart")
                            .cells("marker", {1})
                            .end_node()
                            .end_node()
                            .end()
                            .build());
    const auto uart = tree.tree.find_path("/uart");
    ASSERT_TRUE(uart.ok());
    EXPECT_STREQ(tree.tree.name(uart.value()), "uart");
}

TEST(FdtPaths, UnitAddressMustMatchExactly) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.find_path("/soc/serial@1000000").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.find_path("/soc/serial@100000000").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.find_path("/soc/serial@").error(), Error::kNotFound);
}

TEST(FdtPaths, PartialNamesDoNotMatch) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.find_path("/so").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.find_path("/socks").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.find_path("/soc/seria").error(), Error::kNotFound);
}

TEST(FdtPaths, EmptyComponentsAreSkipped) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.node("//cpus/"), virt.node("/cpus"));
}

TEST(FdtPaths, EmptyAndNullPathsFindNothing) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.find_path("").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.find_path(nullptr).error(), Error::kNotFound);
}

TEST(FdtPaths, PathMayStartWithAnAlias) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.node("serial0"), virt.node("/soc/serial@10000000"));
    EXPECT_EQ(virt.tree.find_path("serial9").error(), Error::kNotFound);
}

TEST(FdtWalks, ParentOfEachNodeIsTheNodeAroundIt) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.parent(virt.node("/cpus/cpu@0")).value(), virt.node("/cpus"));
    EXPECT_EQ(virt.tree.parent(virt.node("/cpus/cpu@1/interrupt-controller")).value(),
              virt.node("/cpus/cpu@1"));
    EXPECT_EQ(virt.tree.parent(virt.node("/soc")).value(), virt.tree.root());
    EXPECT_EQ(virt.tree.parent(virt.tree.root()).error(), Error::kNotFound);
}

TEST(FdtWalks, ChildrenComeInBlobOrder) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(child_names(virt.tree, virt.node("/cpus")),
              (std::vector<std::string>{"cpu@0", "cpu@1"}));
    EXPECT_EQ(child_names(virt.tree, virt.node("/soc")),
              (std::vector<std::string>{"rtc@101000", "serial@10000000", "serial@10001000",
                                        "clint@2000000", "plic@c000000"}));
}

TEST(FdtWalks, LeafHasNoChildrenAndLastChildNoSibling) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.first_child(virt.node("/chosen")).error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.next_sibling(virt.node("/cpus/cpu@1")).error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.next_sibling(virt.tree.root()).error(), Error::kNotFound);
    EXPECT_TRUE(child_names(virt.tree, virt.node("/chosen")).empty());
}

TEST(FdtWalks, NextNodeVisitsEveryNodeDepthFirst) {
    const OpenTree cells(load_dtb("cells"));
    std::vector<std::string> names;
    for (Node node = cells.tree.root();;) {
        names.push_back(cells.tree.name(node));
        const auto next = cells.tree.next_node(node);
        if (!next.ok()) {
            EXPECT_EQ(next.error(), Error::kNotFound);
            break;
        }
        node = next.value();
    }
    EXPECT_EQ(names, (std::vector<std::string>{"", "sram@10000", "bus@40000000", "dma@100000000",
                                               "harts", "hart@7"}));
}

TEST(FdtCompatible, IteratesEveryNodeWithTheString) {
    const OpenTree virt(load_dtb("virt"));
    const auto first = virt.tree.find_compatible("ns16550a");
    ASSERT_TRUE(first.ok());
    EXPECT_STREQ(virt.tree.name(first.value()), "serial@10000000");
    const auto second = virt.tree.find_compatible("ns16550a", first.value());
    ASSERT_TRUE(second.ok());
    EXPECT_STREQ(virt.tree.name(second.value()), "serial@10001000");
    EXPECT_EQ(virt.tree.find_compatible("ns16550a", second.value()).error(), Error::kNotFound);
}

TEST(FdtCompatible, MatchesAnyWholeEntryOfTheList) {
    const OpenTree virt(load_dtb("virt"));
    const Node plic = virt.node("/soc/plic@c000000");
    EXPECT_EQ(virt.tree.find_compatible("sifive,plic-1.0.0").value(), plic);
    EXPECT_EQ(virt.tree.find_compatible("riscv,plic0").value(), plic);
    EXPECT_EQ(virt.tree.find_compatible("riscv,plic").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.find_compatible("plic0").error(), Error::kNotFound);
}

TEST(FdtCompatible, SearchIncludesTheRoot) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.find_compatible("riscv-virtio").value(), virt.tree.root());
    EXPECT_TRUE(virt.tree.is_compatible(virt.tree.root(), "riscv-virtio"));
    EXPECT_FALSE(virt.tree.is_compatible(virt.tree.root(), nullptr));
}

TEST(FdtPhandles, InterruptsExtendedCellsLeadToEachHartsController) {
    const OpenTree virt(load_dtb("virt"));
    const auto cells = virt.tree.property(virt.node("/soc/plic@c000000"), "interrupts-extended");
    ASSERT_TRUE(cells.ok());
    ASSERT_EQ(cells.value().cell_count(), 8u);  // (phandle, irq) for S and M mode on two harts
    const auto hart0 = virt.tree.find_phandle(cells.value().u32(0).value());
    const auto hart1 = virt.tree.find_phandle(cells.value().u32(4).value());
    ASSERT_TRUE(hart0.ok() && hart1.ok());
    EXPECT_EQ(hart0.value(), virt.node("/cpus/cpu@0/interrupt-controller"));
    EXPECT_EQ(hart1.value(), virt.node("/cpus/cpu@1/interrupt-controller"));
    EXPECT_EQ(cells.value().u32(1).value(), 11u);  // S-mode external interrupt
}

TEST(FdtPhandles, InterruptParentLeadsToThePlic) {
    const OpenTree virt(load_dtb("virt"));
    const auto parent = virt.tree.property(virt.node("serial0"), "interrupt-parent");
    ASSERT_TRUE(parent.ok());
    EXPECT_EQ(virt.tree.find_phandle(parent.value().u32().value()).value(),
              virt.node("/soc/plic@c000000"));
}

TEST(FdtPhandles, OlderTreesLinuxPhandleCounts) {
    const OpenTree tree(TreeBuilder()
                            .begin_node("")
                            .begin_node("old")
                            .cells("linux,phandle", {7})
                            .end_node()
                            .begin_node("new")
                            .cells("phandle", {8})
                            .end_node()
                            .end_node()
                            .end()
                            .build());
    EXPECT_EQ(tree.tree.find_phandle(7).value(), tree.node("/old"));
    EXPECT_EQ(tree.tree.find_phandle(8).value(), tree.node("/new"));
}

TEST(FdtPhandles, ZeroAllOnesAndUnusedPhandlesFindNothing) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.find_phandle(0).error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.find_phandle(0xffffffff).error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.find_phandle(1000).error(), Error::kNotFound);
}

TEST(FdtStatus, AbsentOkayAndOkAreEnabled) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_TRUE(virt.tree.is_enabled(virt.node("/soc/serial@10000000")));  // no status
    EXPECT_TRUE(virt.tree.is_enabled(virt.node("/cpus/cpu@0")));           // "okay"
    EXPECT_TRUE(virt.tree.is_enabled(virt.node("/soc/rtc@101000")));       // "ok"
}

TEST(FdtStatus, DisabledAndMalformedStatusAreNotEnabled) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_FALSE(virt.tree.is_enabled(virt.node("/soc/serial@10001000")));
    const OpenTree odd(TreeBuilder()
                           .begin_node("")
                           .begin_node("a")
                           .property("status", {'o', 'k'})
                           .end_node()
                           .begin_node("b")
                           .string("status", "okay-ish")
                           .end_node()
                           .end_node()
                           .end()
                           .build());
    EXPECT_FALSE(odd.tree.is_enabled(odd.node("/a")));  // "ok" without its NUL
    EXPECT_FALSE(odd.tree.is_enabled(odd.node("/b")));
}

TEST(FdtReg, DecodesTwoCellAddressesAndSizes) {
    const OpenTree virt(load_dtb("virt"));
    const auto memory = virt.tree.reg(virt.node("/memory"), 0);
    ASSERT_TRUE(memory.ok());
    EXPECT_EQ(memory.value().address, 0x80000000u);
    EXPECT_EQ(memory.value().size, 0x8000000u);
    const auto uart = virt.tree.reg(virt.node("serial0"), 0);
    ASSERT_TRUE(uart.ok());
    EXPECT_EQ(uart.value().address, 0x10000000u);
    EXPECT_EQ(uart.value().size, 0x100u);
}

TEST(FdtReg, DecodesAddressesAndSizesAbove4GiB) {
    const OpenTree cells(load_dtb("cells"));
    const Node dma = cells.node("/bus/dma@100000000");
    EXPECT_EQ(cells.tree.reg(dma, 0).value().address, 0x100000000u);
    EXPECT_EQ(cells.tree.reg(dma, 0).value().size, 0x1000u);
    EXPECT_EQ(cells.tree.reg(dma, 1).value().address, 0x280000000u);
    EXPECT_EQ(cells.tree.reg(dma, 1).value().size, 0x100000000u);
}

TEST(FdtReg, DecodesOneCellEntriesByIndexAndEndsWithNotFound) {
    const OpenTree cells(load_dtb("cells"));
    const Node sram = cells.node("/sram");
    EXPECT_EQ(cells.tree.reg(sram, 0).value().address, 0x10000u);
    EXPECT_EQ(cells.tree.reg(sram, 0).value().size, 0x1000u);
    EXPECT_EQ(cells.tree.reg(sram, 1).value().address, 0x20000u);
    EXPECT_EQ(cells.tree.reg(sram, 1).value().size, 0x800u);
    EXPECT_EQ(cells.tree.reg(sram, 2).error(), Error::kNotFound);
    EXPECT_EQ(cells.tree.reg(sram, SIZE_MAX).error(), Error::kNotFound);
}

TEST(FdtReg, ZeroSizeCellsGiveAnAddressWithSizeZero) {
    const OpenTree cells(load_dtb("cells"));
    const auto hart = cells.tree.reg(cells.node("/harts/hart@7"), 0);
    ASSERT_TRUE(hart.ok());
    EXPECT_EQ(hart.value().address, 7u);
    EXPECT_EQ(hart.value().size, 0u);
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.reg(virt.node("/cpus/cpu@1"), 0).value().address, 1u);  // the hart id
}

TEST(FdtReg, ParentWithoutCellPropertiesMeansTwoAddressCellsAndOneSizeCell) {
    const OpenTree tree(TreeBuilder()
                            .begin_node("")
                            .begin_node("dev@100000000")
                            .cells("reg", {0x1, 0x0, 0x2000})
                            .end_node()
                            .end_node()
                            .end()
                            .build());
    const Node dev = tree.node("/dev");
    EXPECT_EQ(tree.tree.address_cells(tree.tree.root()).value(), 2u);
    EXPECT_EQ(tree.tree.size_cells(tree.tree.root()).value(), 1u);
    EXPECT_EQ(tree.tree.reg(dev, 0).value().address, 0x100000000u);
    EXPECT_EQ(tree.tree.reg(dev, 0).value().size, 0x2000u);
}

TEST(FdtReg, RefusesCellCountsItCannotDecode) {
    const std::pair<uint32_t, uint32_t> layouts[] = {{0, 1}, {3, 1}, {1, 3}};
    for (const auto& [address, size] : layouts) {
        const OpenTree tree(TreeBuilder()
                                .begin_node("")
                                .cells("#address-cells", {address})
                                .cells("#size-cells", {size})
                                .begin_node("dev")
                                .cells("reg", {1, 2, 3, 4})
                                .end_node()
                                .end_node()
                                .end()
                                .build());
        EXPECT_EQ(tree.tree.reg(tree.node("/dev"), 0).error(), Error::kBadCells)
            << address << "/" << size;
    }
}

TEST(FdtReg, RefusesARegThatIsNotAWholeNumberOfEntries) {
    const OpenTree tree(TreeBuilder()
                            .begin_node("")
                            .cells("#address-cells", {2})
                            .cells("#size-cells", {2})
                            .begin_node("dev")
                            .cells("reg", {0, 0x1000, 0})
                            .end_node()
                            .begin_node("cells")
                            .property("#address-cells", {0, 1})
                            .end_node()
                            .end_node()
                            .end()
                            .build());
    EXPECT_EQ(tree.tree.reg(tree.node("/dev"), 0).error(), Error::kBadValue);
    EXPECT_EQ(tree.tree.address_cells(tree.node("/cells")).error(), Error::kBadValue);
}

TEST(FdtReg, NodeWithoutRegHasNone) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.reg(virt.node("/soc"), 0).error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.reg(virt.tree.root(), 0).error(), Error::kNotFound);
}

TEST(FdtProperties, LookupByNameFindsTheValue) {
    const OpenTree virt(load_dtb("virt"));
    const auto clock = virt.tree.property(virt.node("serial0"), "clock-frequency");
    ASSERT_TRUE(clock.ok());
    EXPECT_STREQ(clock.value().name(), "clock-frequency");
    EXPECT_EQ(clock.value().size(), 4u);
    EXPECT_EQ(clock.value().u32().value(), 3686400u);
    EXPECT_EQ(virt.tree.property(virt.node("serial0"), "clock").error(), Error::kNotFound);
    EXPECT_EQ(virt.tree.property(virt.node("serial0"), nullptr).error(), Error::kNotFound);
}

TEST(FdtProperties, PropertiesOfANodeComeInBlobOrder) {
    const OpenTree virt(load_dtb("virt"));
    std::vector<std::string> names;
    auto property = virt.tree.first_property(virt.node("/memory"));
    for (; property.ok(); property = virt.tree.next_property(property.value())) {
        names.push_back(property.value().name());
    }
    EXPECT_EQ(property.error(), Error::kNotFound);
    EXPECT_EQ(names, (std::vector<std::string>{"device_type", "reg"}));
}

TEST(FdtProperties, ChildNodesPropertiesAreNotTheParents) {
    const OpenTree virt(load_dtb("virt"));
    EXPECT_EQ(virt.tree.property(virt.node("/cpus/cpu@0"), "interrupt-controller").error(),
              Error::kNotFound);
    EXPECT_EQ(virt.tree.property(virt.tree.root(), "bootargs").error(), Error::kNotFound);
}

}  // namespace
}  // namespace keel::fdt
