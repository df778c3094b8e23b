// SPDX-License-Identifier: MIT
// BootInfo from the device trees QEMU really builds (virt, sifive_u with 2 harts, spike), and
// from damaged copies of them: what keel reads at boot, and that bad blobs cannot hurt it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include <keel/kernel/boot_info.h>

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
    explicit Booted(const Bytes& bytes)
        : blob(bytes), info(read_boot_info(reinterpret_cast<uintptr_t>(blob.data()), blob.size())) {}
    Blob blob;
    BootInfo info;
};

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
    EXPECT_EQ(info.test_finisher, 0x100000u);
    EXPECT_EQ(info.plic_base, 0xc000000u);
    EXPECT_EQ(info.plic_sources, 96u);
    EXPECT_EQ(info.usable_harts, 1u);
    EXPECT_TRUE(info.harts[0].usable);
    EXPECT_TRUE(info.harts[0].has_sstc);
    EXPECT_EQ(info.harts[0].plic_context, 1);  // context 0 is hart 0's M-mode
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
    EXPECT_TRUE(info.harts[0].present);
    EXPECT_FALSE(info.harts[0].usable);  // the E51: no mmu-type, no S-mode
    EXPECT_TRUE(info.harts[1].usable);
    EXPECT_EQ(info.harts[1].plic_context, 2);  // after hart 0 M, hart 1 M
    EXPECT_EQ(info.usable_harts, 1u);
}

TEST(BootInfo, QemuSpikeHasNoUartSoTheConsoleIsSbi) {
    const Booted booted(qemu_blob("spike"));
    const BootInfo& info = booted.info;
    ASSERT_TRUE(info.tree_ok);
    EXPECT_EQ(info.console.driver, UartDriver::kSbi);
    EXPECT_EQ(info.plic_base, 0u);
    EXPECT_EQ(info.test_finisher, 0u);
    EXPECT_EQ(info.timebase_hz, 10'000'000u);
    EXPECT_TRUE(info.harts[0].usable);
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
    EXPECT_STREQ(info.console.path_options, "115200n8");
    EXPECT_EQ(info.memory.address, 0x40000000u);
    EXPECT_EQ(info.memory.size, 4ull << 30);
    EXPECT_EQ(info.timebase_hz, 4'000'000u);
    EXPECT_STREQ(info.bootargs, "console=ttyS0 selftest=sleep");
    EXPECT_FALSE(info.harts[0].usable);
    EXPECT_TRUE(info.harts[1].usable);
    EXPECT_FALSE(info.harts[1].has_sstc);
    EXPECT_EQ(info.harts[1].plic_context, 2);
    EXPECT_EQ(info.plic_sources, 136u);
}

TEST(BootInfo, StdoutPathToADisabledUartFallsBackToTheFirstEnabledOne) {
    Bytes bytes = load_dtb("board-like");
    // Point stdout-path at serial1 (disabled) by editing the string in place: "serial0" -> "serial1".
    const std::string from = "serial0:115200n8";
    auto at = std::search(bytes.begin(), bytes.end(), from.begin(), from.end());
    ASSERT_NE(at, bytes.end());
    at[6] = '1';
    const Booted booted(bytes);
    EXPECT_EQ(booted.info.console.base, 0x10000000u);  // serial@10000000, the first enabled one
    EXPECT_STREQ(booted.info.console.path_options, "115200n8");
}

TEST(BootInfo, GarbageGivesDefaultsAndTheError) {
    const Bytes garbage(64, 0x5a);
    const Booted booted(garbage);
    const BootInfo& info = booted.info;
    EXPECT_FALSE(info.tree_ok);
    EXPECT_EQ(info.tree_error, fdt::Error::kBadMagic);
    EXPECT_EQ(info.console.driver, UartDriver::kSbi);
    EXPECT_EQ(info.timebase_hz, timer::kDefaultFrequency);
    EXPECT_STREQ(info.bootargs, "");
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

TEST(BootInfo, DamagedRealBlobsNeverReadOutsideThemselves) {
    // Every byte of each structure block overwritten with a few telling values: the tree either
    // refuses to open or yields some BootInfo, and ASan watches every read.
    for (const char* machine : {"virt", "sifive_u", "spike"}) {
        const Bytes original = qemu_blob(machine);
        const uint32_t begin = get_be32(original, fdt::test::kStructOffsetField);
        const uint32_t end = begin + get_be32(original, fdt::test::kStructSizeField);
        for (uint32_t at = begin; at < end; ++at) {
            for (uint8_t value : {0x00, 0x03, 0xff}) {
                Bytes damaged = original;
                damaged[at] = value;
                const Booted booted(damaged);
                ASSERT_LE(booted.info.usable_harts, memlayout::kMaxHarts) << machine << " byte " << at;
            }
        }
    }
}

}  // namespace
}  // namespace keel
