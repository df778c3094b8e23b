// SPDX-License-Identifier: MIT
// The SBI layer's portable half: every name the spec gives an error, extension, implementation and
// hart state, and the version decoders (SBI v2.0 §3, §4, §9). The ecalls themselves need firmware.
#include <gtest/gtest.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/lib/format.h>
#include <stdint.h>

#include <string>

namespace keel::sbi {
namespace {

std::string printed(Error error) {
    char buffer[128];
    BufferSink sink(buffer, sizeof buffer);
    print_error(sink, error);
    return buffer;
}

// The EID a name spells in ASCII, first letter most significant ("TIME" -> 0x54494D45).
long ascii_eid(const char* name) {
    long eid = 0;
    for (; *name != '\0'; ++name) eid = eid << 8 | static_cast<unsigned char>(*name);
    return eid;
}

TEST(SbiError, CodesHaveTheSpecsValues) {
    EXPECT_EQ(static_cast<long>(Error::kSuccess), 0);
    EXPECT_EQ(static_cast<long>(Error::kFailed), -1);
    EXPECT_EQ(static_cast<long>(Error::kDenied), -4);
    EXPECT_EQ(static_cast<long>(Error::kNoShmem), -9);
    EXPECT_EQ(static_cast<long>(Error::kIo), -13);
}

TEST(SbiError, NamesEveryStandardErrorCode) {
    const char* const names[] = {
        "SBI_SUCCESS",
        "SBI_ERR_FAILED",
        "SBI_ERR_NOT_SUPPORTED",
        "SBI_ERR_INVALID_PARAM",
        "SBI_ERR_DENIED",
        "SBI_ERR_INVALID_ADDRESS",
        "SBI_ERR_ALREADY_AVAILABLE",
        "SBI_ERR_ALREADY_STARTED",
        "SBI_ERR_ALREADY_STOPPED",
        "SBI_ERR_NO_SHMEM",
        "SBI_ERR_INVALID_STATE",
        "SBI_ERR_BAD_RANGE",
        "SBI_ERR_TIMEOUT",
        "SBI_ERR_IO",
    };
    long code = 0;
    for (const char* name : names) {
        EXPECT_STREQ(error_name(static_cast<Error>(code)), name) << "code " << code;
        --code;
    }
}

TEST(SbiError, GivesEveryStandardErrorCodeTheSpecsMeaning) {
    EXPECT_STREQ(error_meaning(Error::kSuccess), "completed successfully");
    EXPECT_STREQ(error_meaning(Error::kNotSupported), "not supported");
    EXPECT_STREQ(error_meaning(Error::kInvalidParam), "invalid parameter(s)");
    EXPECT_STREQ(error_meaning(Error::kDenied), "denied or not allowed");
    EXPECT_STREQ(error_meaning(Error::kNoShmem), "shared memory not available");
    EXPECT_STREQ(error_meaning(Error::kBadRange), "bad (or invalid) range");
    EXPECT_STREQ(error_meaning(Error::kTimeout), "failed due to timeout");
    EXPECT_STREQ(error_meaning(Error::kIo), "input/output error");
    for (long code = 0; code >= -13; --code) {
        EXPECT_STRNE(error_meaning(static_cast<Error>(code)),
                     error_meaning(static_cast<Error>(-14)))
            << "code " << code;
    }
}

TEST(SbiError, PrintsAStandardErrorByNameAndMeaning) {
    EXPECT_EQ(printed(Error::kDenied), "SBI_ERR_DENIED (denied or not allowed)");
    EXPECT_EQ(printed(Error::kSuccess), "SBI_SUCCESS (completed successfully)");
}

TEST(SbiError, UnknownErrorCodeIsNamedAsUnknownWithItsNumber) {
    EXPECT_EQ(printed(static_cast<Error>(-14)), "unknown SBI error -14");
    EXPECT_EQ(printed(static_cast<Error>(1)), "unknown SBI error 1");
    EXPECT_EQ(printed(static_cast<Error>(INT64_MIN)), "unknown SBI error -9223372036854775808");
}

TEST(SbiError, UnknownErrorCodeHasNoSpecName) {
    EXPECT_STREQ(error_name(static_cast<Error>(-14)), "unknown");
    EXPECT_STREQ(error_name(static_cast<Error>(42)), "unknown");
    EXPECT_STREQ(error_meaning(static_cast<Error>(42)),
                 "not an error code the SBI specification defines");
}

TEST(SbiResult, IsOkOnlyOnSuccess) {
    EXPECT_TRUE(to_result(Error::kSuccess, 0).ok());
    EXPECT_TRUE(to_result(Error::kSuccess, -1).ok());  // the value does not matter
    EXPECT_EQ(to_result(Error::kSuccess, -1).value(), -1);
    EXPECT_FALSE(to_result(Error::kFailed, 0).ok());
    EXPECT_EQ(to_result(Error::kFailed, 0).error(), Error::kFailed);
    EXPECT_FALSE(to_result(static_cast<Error>(7), 0).ok());
}

TEST(SbiExtension, NamesEveryStandardExtension) {
    const struct {
        Extension extension;
        const char* name;
    } table[] = {
        {Extension::kBase, "Base"},     {Extension::kTime, "TIME"}, {Extension::kIpi, "IPI"},
        {Extension::kRfence, "RFENCE"}, {Extension::kHsm, "HSM"},   {Extension::kSrst, "SRST"},
        {Extension::kPmu, "PMU"},       {Extension::kDbcn, "DBCN"}, {Extension::kSusp, "SUSP"},
        {Extension::kCppc, "CPPC"},     {Extension::kNacl, "NACL"}, {Extension::kSta, "STA"},
    };
    for (const auto& row : table) {
        EXPECT_STREQ(extension_name(row.extension), row.name)
            << "EID " << static_cast<long>(row.extension);
    }
}

TEST(SbiExtension, StandardIdsSpellTheirNamesInAscii) {
    for (const char* name : {"TIME", "HSM", "SRST", "PMU", "DBCN", "SUSP", "CPPC", "NACL", "STA"}) {
        EXPECT_STREQ(extension_name(static_cast<Extension>(ascii_eid(name))), name);
    }
    EXPECT_EQ(static_cast<long>(Extension::kIpi), ascii_eid("sPI"));
    EXPECT_EQ(static_cast<long>(Extension::kRfence), ascii_eid("RFNC"));
    EXPECT_EQ(static_cast<long>(Extension::kBase), 0x10);
}

TEST(SbiExtension, NamesEveryLegacyExtension) {
    const char* const names[] = {
        "Legacy Set Timer",         "Legacy Console Putchar",
        "Legacy Console Getchar",   "Legacy Clear IPI",
        "Legacy Send IPI",          "Legacy Remote FENCE.I",
        "Legacy Remote SFENCE.VMA", "Legacy Remote SFENCE.VMA with ASID",
        "Legacy System Shutdown",
    };
    long eid = 0;
    for (const char* name : names) {
        EXPECT_STREQ(extension_name(static_cast<Extension>(eid)), name) << "EID " << eid;
        ++eid;
    }
}

TEST(SbiExtension, NamesTheExperimentalVendorAndFirmwareSpacesAtTheirEdges) {
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x08000000)), "experimental");
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x08FFFFFF)), "experimental");
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x09000000)), "vendor-specific");
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x09FFFFFF)), "vendor-specific");
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x0A000000)), "firmware-specific");
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x0AFFFFFF)), "firmware-specific");
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x07FFFFFF)), "unknown");
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x0B000000)), "unknown");
}

TEST(SbiExtension, UnknownExtensionIsNamedUnknown) {
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x09)), "unknown");  // reserved legacy
    EXPECT_STREQ(extension_name(static_cast<Extension>(0x11)), "unknown");
    EXPECT_STREQ(extension_name(static_cast<Extension>(-1)), "unknown");
}

TEST(SbiBase, FunctionIdsFollowTheSpecsListing) {
    EXPECT_EQ(static_cast<unsigned long>(base::Function::kGetSpecVersion), 0u);
    EXPECT_EQ(static_cast<unsigned long>(base::Function::kProbeExtension), 3u);
    EXPECT_EQ(static_cast<unsigned long>(base::Function::kGetMimpid), 6u);
    EXPECT_EQ(static_cast<unsigned long>(hsm::Function::kHartGetStatus), 2u);
    EXPECT_EQ(static_cast<unsigned long>(dbcn::Function::kConsoleWriteByte), 2u);
}

TEST(SbiBase, DecodesSpecVersionTwoPointZero) {
    const base::Version version = base::decode_spec_version(0x02000000);
    EXPECT_EQ(version.major, 2u);
    EXPECT_EQ(version.minor, 0u);
}

TEST(SbiBase, DecodesSpecVersionZeroPointThree) {
    const base::Version version = base::decode_spec_version(0x00000003);
    EXPECT_EQ(version.major, 0u);
    EXPECT_EQ(version.minor, 3u);
}

TEST(SbiBase, DecodesTheWidestMajorAndMinor) {
    const base::Version version = base::decode_spec_version(0x7FFFFFFF);
    EXPECT_EQ(version.major, 0x7Fu);
    EXPECT_EQ(version.minor, 0xFFFFFFu);
}

TEST(SbiBase, SpecVersionIgnoresTheReservedBit31AndAbove) {
    const base::Version version = base::decode_spec_version(static_cast<long>(0xFFFFFFFF81000002));
    EXPECT_EQ(version.major, 1u);
    EXPECT_EQ(version.minor, 2u);
}

TEST(SbiBase, DecodesOpenSbiVersionOnePointOne) {
    const base::Version version = base::decode_opensbi_version(0x10001);
    EXPECT_EQ(version.major, 1u);
    EXPECT_EQ(version.minor, 1u);
}

TEST(SbiBase, OpenSbiMinorVersionTakesTheLowSixteenBits) {
    const base::Version version = base::decode_opensbi_version(0x2FFFF);
    EXPECT_EQ(version.major, 2u);
    EXPECT_EQ(version.minor, 0xFFFFu);
}

TEST(SbiBase, NamesEveryImplementationId) {
    const char* const names[] = {
        "BBL",      "OpenSBI",     "Xvisor",
        "KVM",      "RustSBI",     "Diosix",
        "Coffer",   "Xen Project", "PolarFire Hart Software Services",
        "coreboot", "oreboot",     "bhyve",
    };
    long id = 0;
    for (const char* name : names) {
        EXPECT_STREQ(base::implementation_name(static_cast<base::Implementation>(id)), name)
            << "ID " << id;
        ++id;
    }
}

TEST(SbiBase, UnknownImplementationIdIsNamedUnknown) {
    EXPECT_STREQ(base::implementation_name(static_cast<base::Implementation>(12)), "unknown");
    EXPECT_STREQ(base::implementation_name(static_cast<base::Implementation>(-1)), "unknown");
    EXPECT_STREQ(base::implementation_name(static_cast<base::Implementation>(INT64_MAX)),
                 "unknown");
}

TEST(SbiHsm, NamesEveryHartState) {
    const char* const names[] = {"STARTED",   "STOPPED",         "START_PENDING", "STOP_PENDING",
                                 "SUSPENDED", "SUSPEND_PENDING", "RESUME_PENDING"};
    long state = 0;
    for (const char* name : names) {
        EXPECT_STREQ(hsm::hart_state_name(static_cast<hsm::HartState>(state)), name)
            << "state " << state;
        ++state;
    }
}

TEST(SbiHsm, UnknownHartStateIsNamedUnknown) {
    EXPECT_STREQ(hsm::hart_state_name(static_cast<hsm::HartState>(7)), "unknown");
    EXPECT_STREQ(hsm::hart_state_name(static_cast<hsm::HartState>(-1)), "unknown");
}

TEST(SbiReset, TypesAndReasonsHaveTheSpecsValues) {
    EXPECT_EQ(static_cast<uint32_t>(reset::ResetType::kShutdown), 0u);
    EXPECT_EQ(static_cast<uint32_t>(reset::ResetType::kColdReboot), 1u);
    EXPECT_EQ(static_cast<uint32_t>(reset::ResetType::kWarmReboot), 2u);
    EXPECT_EQ(static_cast<uint32_t>(reset::ResetReason::kNoReason), 0u);
    EXPECT_EQ(static_cast<uint32_t>(reset::ResetReason::kSystemFailure), 1u);
}

TEST(SbiIpi, AllHartsIsTheSpecsMinusOneMaskBase) {
    EXPECT_EQ(ipi::kAllHarts, static_cast<unsigned long>(-1));
}

}  // namespace
}  // namespace keel::sbi
