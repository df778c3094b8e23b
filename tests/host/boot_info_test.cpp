// SPDX-License-Identifier: MIT
// BootInfo from the device trees QEMU really builds (virt, sifive_u with 2 harts, spike), and
// from damaged copies of them: what keel reads at boot, and that bad blobs cannot hurt it.
#include <gtest/gtest.h>
#include <keel/kernel/boot_info.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fdt_test_support.h"

namespace keel {
namespace {

using fdt::test::Blob;
using fdt::test::Bytes;
using fdt::test::get_be32;
using fdt::test::load_dtb;

// QEMU's dump is its whole 1 MiB buffer; keep only the blob, so a read past it is an ASan report.
Bytes qemu_blob(const char* machine) {
    Bytes bytes = load_dtb((std::string("qemu-") + machine).c_str());
    if (bytes.size() >= 8) bytes.resize(get_be32(bytes, 4));  // header: totalsize
    return bytes;
}

// BootInfo's strings point into the blob, so the blob lives as long as the BootInfo.
struct Booted {
    explicit Booted(const Bytes& bytes, uint64_t boot_hart = 0)
        : blob(bytes),
          info(read_boot_info(blob.data(), reinterpret_cast<uintptr_t>(blob.data()), boot_hart,
                              blob.size())) {}
    Blob blob;
    BootInfo info;
};

// A minimal tree: /cpus with the given hart ids (all S-mode), and whatever `more` adds at the root.
template <typename More>
Bytes tree_with_harts(const std::vector<uint64_t>& ids, More more) {
    fdt::test::TreeBuilder builder;
    builder.begin_node("").cells("#address-cells", {2}).cells("#size-cells", {2});
    builder.begin_node("cpus").cells("#address-cells", {1}).cells("#size-cells", {0});
    builder.cells("timebase-frequency", {10'000'000});
    for (uint64_t id : ids) {
        builder.begin_node("cpu@" + std::to_string(id)).string("device_type", "cpu");
        builder.cells("reg", {static_cast<uint32_t>(id)})
            .string("mmu-type", "riscv,sv39")
            .end_node();
    }
    builder.end_node();
    more(builder);
    return builder.end_node().end().build();
}

Bytes tree_with_harts(const std::vector<uint64_t>& ids) {
    return tree_with_harts(ids, [](fdt::test::TreeBuilder&) {});
}

// Hart ids 0 .. count - 1.
std::vector<uint64_t> first_ids(uint64_t count) {
    std::vector<uint64_t> ids(count);
    for (uint64_t id = 0; id < count; ++id) ids[id] = id;
    return ids;
}

TEST(BootInfo, QemuVirt) {
    const Booted booted(qemu_blob("virt"));
    const BootInfo& info = booted.info;
    ASSERT_TRUE(info.tree_ok);
    EXPECT_STREQ(info.model, "riscv-virtio,qemu");
    EXPECT_EQ(info.memory.address, 0x80000000u);
    EXPECT_EQ(info.memory.size, 128u << 20);
    EXPECT_EQ(info.timebase_hz, 10'000'000u);
    EXPECT_EQ(info.console.driver, UartDriver::kNs16550);
    EXPECT_STREQ(info.console.compatible, "ns16550a");
    EXPECT_EQ(info.console.base, 0x10000000u);
    EXPECT_EQ(info.console.irq, 10u);
    EXPECT_EQ(info.power.test_finisher, 0x100000u);
    EXPECT_EQ(info.power.htif, 0u);
    EXPECT_EQ(info.power.restart.controller, 0u);
    EXPECT_EQ(info.plic_base, 0xc000000u);
    EXPECT_EQ(info.plic_sources, 96u);
    EXPECT_EQ(info.usable_harts, 1u);
    ASSERT_EQ(info.hart_count, 1u);
    EXPECT_EQ(info.harts[0].id, 0u);
    EXPECT_TRUE(info.harts[0].usable);
    EXPECT_TRUE(info.harts[0].has_sstc);
    EXPECT_EQ(info.harts[0].plic_context, 1);  // context 0 is hart 0's M-mode
    EXPECT_FALSE(info.timebase_assumed);
}

TEST(BootInfo, QemuSifiveUHasAMonitorHartAndASifiveUart) {
    const Booted booted(qemu_blob("sifive_u"));
    const BootInfo& info = booted.info;
    ASSERT_TRUE(info.tree_ok);
    EXPECT_NE(std::string(info.model).find("HiFive Unleashed"), std::string::npos) << info.model;
    EXPECT_EQ(info.timebase_hz, 1'000'000u);
    EXPECT_EQ(info.console.driver, UartDriver::kSifive);
    EXPECT_EQ(info.console.base, 0x10010000u);
    EXPECT_EQ(info.console.irq, 4u);
    EXPECT_EQ(info.plic_sources, 53u);
    ASSERT_NE(info.hart(0), nullptr);
    EXPECT_FALSE(info.hart(0)->usable);  // the E51: no mmu-type, no S-mode
    ASSERT_NE(info.hart(1), nullptr);
    EXPECT_TRUE(info.hart(1)->usable);
    EXPECT_EQ(info.hart(1)->plic_context, 2);  // after hart 0 M, hart 1 M
    EXPECT_EQ(info.usable_harts, 1u);
    // No finisher or HTIF: only a reset line, GPIO 10 of the sifive,gpio0 block, active low.
    EXPECT_EQ(info.power.test_finisher, 0u);
    EXPECT_EQ(info.power.htif, 0u);
    EXPECT_EQ(info.power.restart.controller, 0x10060000u);
    EXPECT_EQ(info.power.restart.pin, 10u);
    EXPECT_TRUE(info.power.restart.active_low);
}

TEST(BootInfo, QemuSpikeHasNoUartSoTheConsoleIsSbi) {
    const Booted booted(qemu_blob("spike"));
    const BootInfo& info = booted.info;
    ASSERT_TRUE(info.tree_ok);
    EXPECT_EQ(info.console.driver, UartDriver::kSbi);
    EXPECT_EQ(info.plic_base, 0u);
    EXPECT_EQ(info.power.test_finisher, 0u);
    EXPECT_EQ(info.power.htif, 0x1000000u);  // spike ends through its HTIF
    EXPECT_EQ(info.timebase_hz, 10'000'000u);
    ASSERT_NE(info.hart(0), nullptr);
    EXPECT_TRUE(info.hart(0)->usable);
}

TEST(BootInfo, BoardShapedTreeGivesADesignWareConsoleWithItsRegisterLayout) {
    const Booted booted(load_dtb("board-like"));
    const BootInfo& info = booted.info;
    ASSERT_TRUE(info.tree_ok);
    EXPECT_EQ(info.console.driver, UartDriver::kNs16550);
    EXPECT_STREQ(info.console.compatible, "snps,dw-apb-uart");
    EXPECT_EQ(info.console.base, 0x10000000u);
    EXPECT_EQ(info.console.reg_shift, 2u);
    EXPECT_EQ(info.console.reg_io_width, 4u);
    EXPECT_EQ(info.console.irq, 32u);  // interrupt-parent inherited from /soc
    EXPECT_EQ(info.memory.address, 0x40000000u);
    EXPECT_EQ(info.memory.size, 4ull << 30);
    EXPECT_EQ(info.timebase_hz, 4'000'000u);
    EXPECT_STREQ(info.bootargs, "console=ttyS0 selftest=sleep");
    ASSERT_EQ(info.hart_count, 2u);
    EXPECT_FALSE(info.hart(0)->usable);
    EXPECT_TRUE(info.hart(1)->usable);
    EXPECT_FALSE(info.hart(1)->has_sstc);
    EXPECT_EQ(info.hart(1)->plic_context, 2);
    EXPECT_EQ(info.plic_sources, 136u);
}

TEST(BootInfo, StdoutPathToADisabledUartFallsBackToTheFirstEnabledOne) {
    Bytes bytes = load_dtb("board-like");
    // Point stdout-path at serial1 (disabled) by editing the string in place: "serial0" ->
    // "serial1".
    const std::string from = "serial0:115200n8";
    auto at = std::search(bytes.begin(), bytes.end(), from.begin(), from.end());
    ASSERT_NE(at, bytes.end());
    at[6] = '1';
    const Booted booted(bytes);
    EXPECT_EQ(booted.info.console.base, 0x10000000u);  // serial@10000000, the first enabled one
}

TEST(BootInfo, GarbageGivesDefaultsAndTheError) {
    const Bytes garbage(64, 0x5a);
    const Booted booted(garbage);
    const BootInfo& info = booted.info;
    EXPECT_FALSE(info.tree_ok);
    EXPECT_EQ(info.tree_error, fdt::Error::kBadMagic);
    EXPECT_EQ(info.console.driver, UartDriver::kSbi);
    EXPECT_EQ(info.timebase_hz, timer::kDefaultFrequency);
    EXPECT_TRUE(info.timebase_assumed);
    EXPECT_STREQ(info.bootargs, "");
    EXPECT_EQ(info.hart_count, 0u);
    EXPECT_EQ(info.power.test_finisher, 0u);
    EXPECT_EQ(info.plic_base, 0u);
}

TEST(BootInfo, EveryTruncationOfTheRealBlobsIsRefused) {
    for (const char* machine : {"virt", "sifive_u", "spike"}) {
        const Bytes whole = qemu_blob(machine);
        for (size_t length = 0; length < whole.size(); ++length) {
            const Booted booted(Bytes(whole.begin(), whole.begin() + length));
            ASSERT_FALSE(booted.info.tree_ok) << machine << " cut to " << length;
        }
    }
}

// What any BootInfo must be, whatever the blob said: strings inside the blob (or keel's own
// defaults), harts within the limit and without twins, PLIC sources clamped, and nothing at all
// taken from a tree that did not open.
void expect_sane(const BootInfo& info, const Blob& blob, const std::string& where) {
    const auto inside = [&](const char* text, const char* fallback) {
        const auto* p = reinterpret_cast<const uint8_t*>(text);
        if (p < blob.data() || p >= blob.data() + blob.size()) return strcmp(text, fallback) == 0;
        return memchr(p, 0, static_cast<size_t>(blob.data() + blob.size() - p)) != nullptr;
    };
    const BootInfo defaults;
    if (!info.tree_ok) {
        EXPECT_NE(info.tree_error, fdt::Error::kNotFound) << where;
        EXPECT_EQ(info.hart_count, 0u) << where;
        EXPECT_EQ(info.memory.size, 0u) << where;
        EXPECT_EQ(info.console.driver, UartDriver::kSbi) << where;
        EXPECT_EQ(info.plic_base, 0u) << where;
        EXPECT_EQ(info.power.test_finisher, 0u) << where;
        return;
    }
    EXPECT_TRUE(inside(info.model, defaults.model)) << where;
    EXPECT_TRUE(inside(info.bootargs, defaults.bootargs)) << where;
    EXPECT_LE(info.hart_count, memlayout::kMaxHarts) << where;
    EXPECT_LE(info.usable_harts, info.hart_count) << where;
    EXPECT_LE(info.plic_sources, kMaxPlicSources) << where;
    EXPECT_GE(info.timebase_hz, 1000u) << where;
    for (unsigned i = 0; i < info.hart_count; ++i) {
        EXPECT_EQ(info.hart(info.harts[i].id), &info.harts[i])
            << where << ": two harts with id " << info.harts[i].id;
    }
    if (info.console.driver != UartDriver::kSbi) {
        EXPECT_NE(info.console.base, 0u) << where;
        EXPECT_LE(info.console.reg_shift, 3u) << where;
    }
}

TEST(BootInfo, DamagedRealBlobsGiveSaneInfoAndNeverReadOutsideThemselves) {
    // Every byte of each structure block overwritten with a few telling values: the tree either
    // refuses to open, and nothing is taken from it, or yields a BootInfo that is sane; ASan
    // watches every read.
    for (const char* machine : {"virt", "sifive_u", "spike"}) {
        const Bytes original = qemu_blob(machine);
        const uint32_t begin = get_be32(original, fdt::test::kStructOffsetField);
        const uint32_t end = begin + get_be32(original, fdt::test::kStructSizeField);
        size_t opened = 0;
        for (uint32_t at = begin; at < end; ++at) {
            for (uint8_t value : {0x00, 0x03, 0xff}) {
                Bytes damaged = original;
                damaged[at] = value;
                const Booted booted(damaged);
                expect_sane(booted.info, booted.blob,
                            std::string(machine) + " byte " + std::to_string(at));
                opened += booted.info.tree_ok ? 1 : 0;
                if (::testing::Test::HasFailure()) return;
            }
        }
        // Damage to a property's value leaves a well-formed tree: some damaged blobs must open.
        EXPECT_GT(opened, 0u) << machine;
    }
}

TEST(BootInfo, EveryMemoryRangeReservationAndTheInitrd) {
    fdt::test::TreeBuilder builder;
    builder.reserve(0x80000000, 0x40000).reserve(0x87000000, 0x1000);
    builder.begin_node("").cells("#address-cells", {2}).cells("#size-cells", {2});
    builder.begin_node("memory@80000000").string("device_type", "memory");
    builder.cells("reg", {0, 0x80000000, 0, 0x8000000, 0, 0x90000000, 0, 0x1000000}).end_node();
    builder.begin_node("ram@100000000").string("device_type", "memory");  // named otherwise
    builder.cells("reg", {0x1, 0, 0x1, 0}).end_node();                    // 4 GiB above 4 GiB
    builder.begin_node("memory@c0000000").string("device_type", "memory");
    builder.string("status", "disabled").cells("reg", {0, 0xc0000000, 0, 0x1000}).end_node();
    builder.begin_node("reserved-memory").cells("#address-cells", {2}).cells("#size-cells", {2});
    builder.begin_node("mmode_resv0@80000000").cells("reg", {0, 0x80000000, 0, 0x80000}).end_node();
    builder.begin_node("dynamic").cells("size", {0, 0x100000}).end_node();  // not placed: nothing
    builder.end_node();
    builder.begin_node("chosen").cells("linux,initrd-start", {0x84000000});  // a <u32>
    builder.cells("linux,initrd-end", {0, 0x84200000}).end_node();           // a <u64>
    const Booted booted(builder.end_node().end().build());
    const BootInfo& info = booted.info;
    ASSERT_TRUE(info.tree_ok);
    ASSERT_EQ(info.memory_count, 3u);
    EXPECT_EQ(info.memory_ranges[0].address, 0x80000000u);
    EXPECT_EQ(info.memory_ranges[1].address, 0x90000000u);
    EXPECT_EQ(info.memory_ranges[2].address, 0x100000000u);
    EXPECT_EQ(info.memory_ranges[2].size, 0x100000000u);
    EXPECT_EQ(info.memory.address, 0x80000000u);
    ASSERT_EQ(info.reserved_count, 3u);
    EXPECT_EQ(info.reserved[0].region.size, 0x80000u);
    EXPECT_FALSE(info.reserved[0].from_blob_header);
    EXPECT_TRUE(info.reserved[1].from_blob_header);
    EXPECT_EQ(info.reserved[2].region.address, 0x87000000u);
    EXPECT_EQ(info.initrd.address, 0x84000000u);
    EXPECT_EQ(info.initrd.size, 0x200000u);
}

TEST(BootInfo, MemoryRangesPastTheLimitAreCountedNotKept) {
    fdt::test::TreeBuilder builder;
    builder.begin_node("").cells("#address-cells", {1}).cells("#size-cells", {1});
    for (uint32_t i = 0; i < kMaxMemoryRanges + 4; ++i) {
        builder.begin_node("memory@" + std::to_string(i)).string("device_type", "memory");
        builder.cells("reg", {0x80000000 + i * 0x100000, 0x100000}).end_node();
    }
    const Booted booted(builder.end_node().end().build());
    EXPECT_EQ(booted.info.memory_count, kMaxMemoryRanges);
    EXPECT_EQ(booted.info.memory_dropped, 4u);
}

TEST(BootInfo, AnInitrdThatEndsBeforeItStartsIsIgnored) {
    fdt::test::TreeBuilder builder;
    builder.begin_node("").begin_node("chosen").cells("linux,initrd-start", {0x84000000});
    builder.cells("linux,initrd-end", {0x83000000}).end_node();
    const Booted booted(builder.end_node().end().build());
    EXPECT_EQ(booted.info.initrd.size, 0u);
}

TEST(BootInfo, QemuVirtHasOneMemoryRangeAndNoInitrd) {
    const Booted booted(qemu_blob("virt"));
    ASSERT_EQ(booted.info.memory_count, 1u);
    EXPECT_EQ(booted.info.memory_ranges[0].size, 128u * 1024 * 1024);
    EXPECT_EQ(booted.info.initrd.size, 0u);
}

TEST(BootInfo, TheBootHartAlwaysGetsAPlaceEvenPastTheLimit) {
    // 80 harts, booting on the last one: 63 from the front of the tree, the boot hart, and 16
    // remembered as not started.
    const Booted booted(tree_with_harts(first_ids(80)), 79);
    const BootInfo& info = booted.info;
    ASSERT_TRUE(info.tree_ok);
    EXPECT_EQ(info.hart_count, memlayout::kMaxHarts);
    ASSERT_NE(info.hart(79), nullptr);
    EXPECT_NE(info.hart(62), nullptr);
    EXPECT_EQ(info.hart(63), nullptr);
    EXPECT_EQ(info.skipped_count, 16u);
    EXPECT_EQ(info.skipped_ids[0], 63u);
    EXPECT_EQ(info.skipped_ids[15], 78u);
}

TEST(BootInfo, HartsPastTheLimitAreCountedBeyondTheOnesRemembered) {
    const Booted booted(tree_with_harts(first_ids(100)), 0);
    EXPECT_EQ(booted.info.hart_count, memlayout::kMaxHarts);
    EXPECT_EQ(booted.info.skipped_count, 36u);
    EXPECT_EQ(booted.info.skipped_ids[0], 64u);
}

TEST(BootInfo, ATwinHartIdIsTakenOnce) {
    const Booted booted(tree_with_harts({3, 3, 5}));
    EXPECT_EQ(booted.info.hart_count, 2u);
}

TEST(BootInfo, AZeroTimebaseIsNotBelieved) {
    fdt::test::TreeBuilder builder;
    builder.begin_node("").begin_node("cpus").cells("timebase-frequency", {0}).end_node();
    const Booted booted(builder.end_node().end().build());
    ASSERT_TRUE(booted.info.tree_ok);
    EXPECT_EQ(booted.info.timebase_hz, timer::kDefaultFrequency);
    EXPECT_TRUE(booted.info.timebase_assumed);
}

TEST(BootInfo, PlicSourcesAreClampedToTheSpecsMaximum) {
    const Bytes bytes = tree_with_harts({0}, [](fdt::test::TreeBuilder& b) {
        b.begin_node("plic@c000000").string("compatible", "riscv,plic0");
        b.cells("reg", {0, 0xc000000, 0, 0x4000000}).cells("riscv,ndev", {0xffffffff});
        b.cells("interrupts-extended", {1, 9}).end_node();
    });
    const Booted booted(bytes);
    EXPECT_EQ(booted.info.plic_base, 0xc000000u);
    EXPECT_EQ(booted.info.plic_sources, 1023u);
}

// A 16550 node with the given register layout, as the only UART.
Bytes tree_with_uart(uint32_t address, uint32_t reg_shift) {
    return tree_with_harts({0}, [&](fdt::test::TreeBuilder& b) {
        b.begin_node("memory@80000000").string("device_type", "memory");
        b.cells("reg", {0, 0x80000000, 0, 0x8000000}).end_node();
        b.begin_node("serial")
            .string("compatible", "ns16550a")
            .cells("reg", {0, address, 0, 0x100});
        b.cells("reg-shift", {reg_shift}).end_node();
    });
}

TEST(BootInfo, AUartWithAnImpossibleRegShiftIsRefusedWithTheReason) {
    const Booted booted(tree_with_uart(0x10000000, 31));
    EXPECT_EQ(booted.info.console.driver, UartDriver::kSbi);
    EXPECT_EQ(booted.info.refused_console.base, 0x10000000u);
    EXPECT_STREQ(booted.info.refused_console.reason, "its reg-shift is over 3");
}

TEST(BootInfo, AUartAtAddressZeroIsRefused) {
    const Booted booted(tree_with_uart(0, 0));
    EXPECT_EQ(booted.info.console.driver, UartDriver::kSbi);
    EXPECT_STREQ(booted.info.refused_console.reason, "it sits at address 0");
}

TEST(BootInfo, AUartInRamIsRefused) {
    const Booted booted(tree_with_uart(0x87000000, 0));
    EXPECT_EQ(booted.info.console.driver, UartDriver::kSbi);
    EXPECT_STREQ(booted.info.refused_console.reason, "it sits in RAM");
}

TEST(BootInfo, AUartWithASaneLayoutIsTaken) {
    const Booted booted(tree_with_uart(0x10000000, 2));
    EXPECT_EQ(booted.info.console.driver, UartDriver::kNs16550);
    EXPECT_EQ(booted.info.console.reg_shift, 2u);
    EXPECT_EQ(booted.info.refused_console.reason, nullptr);
}

// A goldfish RTC node with this reg (address, size), RAM at 0x80000000..0x88000000.
Bytes tree_with_rtc(uint32_t address, uint32_t size, bool enabled = true) {
    return tree_with_harts({0}, [&](fdt::test::TreeBuilder& b) {
        b.begin_node("memory@80000000").string("device_type", "memory");
        b.cells("reg", {0, 0x80000000, 0, 0x8000000}).end_node();
        b.begin_node("rtc")
            .string("compatible", "google,goldfish-rtc")
            .cells("reg", {0, address, 0, size});
        if (!enabled) b.string("status", "disabled");
        b.end_node();
    });
}

TEST(BootInfo, QemuVirtHasAGoldfishRtc) {
    const Booted booted(qemu_blob("virt"));
    EXPECT_EQ(booted.info.rtc_base, 0x101000u);
    EXPECT_EQ(booted.info.rtc_refused, nullptr);
}

TEST(BootInfo, SifiveUAndSpikeHaveNoRtc) {
    for (const char* machine : {"sifive_u", "spike"}) {
        const Booted booted(qemu_blob(machine));
        EXPECT_EQ(booted.info.rtc_base, 0u) << machine;
        EXPECT_EQ(booted.info.rtc_refused, nullptr) << machine;
    }
}

TEST(BootInfo, ADisabledRtcIsNoRtc) {
    const Booted booted(tree_with_rtc(0x101000, 0x1000, false));
    EXPECT_EQ(booted.info.rtc_base, 0u);
    EXPECT_EQ(booted.info.rtc_refused, nullptr);
}

TEST(BootInfo, AnRtcWhoseRegCannotHoldItsRegistersIsRefused) {
    for (const auto& [address, size] :
         {std::pair<uint32_t, uint32_t>{0x101000, 4}, {0x101002, 0x1000}}) {
        const Booted booted(tree_with_rtc(address, size));
        EXPECT_EQ(booted.info.rtc_base, 0u);
        EXPECT_STREQ(booted.info.rtc_refused, "its reg cannot hold its registers");
    }
}

TEST(BootInfo, AnRtcAtAddressZeroOrInRamIsRefused) {
    EXPECT_STREQ(Booted(tree_with_rtc(0, 0x1000)).info.rtc_refused, "it sits at address 0");
    const Booted in_ram(tree_with_rtc(0x87fffffc, 0x1000));
    EXPECT_EQ(in_ram.info.rtc_base, 0u);
    EXPECT_STREQ(in_ram.info.rtc_refused, "it sits in RAM");
}

TEST(BootInfo, AnRtcWithoutRegIsRefused) {
    const Bytes bytes = tree_with_harts({0}, [](fdt::test::TreeBuilder& b) {
        b.begin_node("rtc").string("compatible", "google,goldfish-rtc").end_node();
    });
    EXPECT_STREQ(Booted(bytes).info.rtc_refused, "it has no reg");
}

}  // namespace
}  // namespace keel
