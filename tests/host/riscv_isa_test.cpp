// SPDX-License-Identifier: MIT
// riscv_isa::parse: QEMU's and real boards' strings, "g", versions, case, what keel leaves out (V,
// Zicboz) and strings it cannot read.
#include <gtest/gtest.h>
#include <keel/abi/riscv_hwprobe.h>
#include <keel/lib/riscv_isa.h>

namespace keel::riscv_isa {
namespace {

Features of(const char* text) {
    return parse(StringView::of(text));
}

TEST(RiscvIsa, QemuVirt) {
    // QEMU 7.2's virt: Linux 6.12 answers IMA_EXT_0 0x2810000000bb for it
    // (tests/linux/hwprobe.out).
    const Features f = of("rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc");
    EXPECT_TRUE(f.valid);
    EXPECT_TRUE(f.rv64);
    EXPECT_TRUE(f.ima);
    EXPECT_EQ(f.ext0, 0x2810000000bbull);
}

TEST(RiscvIsa, GStandsForImafd) {
    const Features f = of("rv64gc");
    EXPECT_TRUE(f.valid);
    EXPECT_TRUE(f.ima);
    EXPECT_EQ(f.ext0, RISCV_HWPROBE_IMA_FD | RISCV_HWPROBE_IMA_C | RISCV_HWPROBE_EXT_ZCA |
                          RISCV_HWPROBE_EXT_ZCD);
}

TEST(RiscvIsa, VersionsAndCase) {
    const Features f = of("RV64I2P1M2P0A2P1F2P2D2P2C2P0_Zba1p0_zbb");
    EXPECT_TRUE(f.valid);
    EXPECT_TRUE(f.ima);
    EXPECT_EQ(f.ext0 & (RISCV_HWPROBE_EXT_ZBA | RISCV_HWPROBE_EXT_ZBB),
              RISCV_HWPROBE_EXT_ZBA | RISCV_HWPROBE_EXT_ZBB);
}

TEST(RiscvIsa, LeavesOutWhatKeelDoesNotEnable) {
    const Features f = of("rv64imafdcv_zicboz_zvbb_zicbom_zicbop");
    EXPECT_TRUE(f.valid);
    EXPECT_EQ(f.ext0 & (RISCV_HWPROBE_IMA_V | RISCV_HWPROBE_EXT_ZICBOZ | RISCV_HWPROBE_EXT_ZVBB |
                        RISCV_HWPROBE_EXT_ZICBOM),
              0u);
}

TEST(RiscvIsa, WithoutAOrFloatingPoint) {
    const Features f = of("rv64imc");
    EXPECT_TRUE(f.valid);
    EXPECT_FALSE(f.ima);
    EXPECT_EQ(f.ext0, RISCV_HWPROBE_IMA_C | RISCV_HWPROBE_EXT_ZCA);
    EXPECT_EQ(of("rv32imafc").ext0 & RISCV_HWPROBE_EXT_ZCF, RISCV_HWPROBE_EXT_ZCF);
    EXPECT_EQ(of("rv64imafc").ext0 & RISCV_HWPROBE_EXT_ZCF, 0u);  // Zcf is RV32's only
}

TEST(RiscvIsa, RefusesWhatItCannotRead) {
    for (const char* bad : {"", "rv", "rv64", "rv128i", "x86_64", "rv64_zba", "rv64i__zba",
                            "rv64i_", "rv64i-m", "rv64mafd"}) {
        EXPECT_FALSE(of(bad).valid) << bad;
        EXPECT_EQ(of(bad).ext0, 0u) << bad;
    }
}

}  // namespace
}  // namespace keel::riscv_isa
