// SPDX-License-Identifier: MIT
// The portable half of the SBI layer: names for error codes, extensions, implementations and hart
// states, and the version decoders. No ecall here: the kernel and the host tests compile this file.
#include <keel/arch/riscv/sbi.h>

namespace keel::sbi {
namespace {

template <typename T, size_t N>
constexpr size_t count_of(const T (&)[N]) {
    return N;
}

struct ErrorInfo {
    Error error;
    const char* name;
    const char* meaning;
};

// §3 table "Standard SBI Errors", with the spec's descriptions.
constexpr ErrorInfo kErrors[] = {
    {Error::kSuccess, "SBI_SUCCESS", "completed successfully"},
    {Error::kFailed, "SBI_ERR_FAILED", "failed"},
    {Error::kNotSupported, "SBI_ERR_NOT_SUPPORTED", "not supported"},
    {Error::kInvalidParam, "SBI_ERR_INVALID_PARAM", "invalid parameter(s)"},
    {Error::kDenied, "SBI_ERR_DENIED", "denied or not allowed"},
    {Error::kInvalidAddress, "SBI_ERR_INVALID_ADDRESS", "invalid address(s)"},
    {Error::kAlreadyAvailable, "SBI_ERR_ALREADY_AVAILABLE", "already available"},
    {Error::kAlreadyStarted, "SBI_ERR_ALREADY_STARTED", "already started"},
    {Error::kAlreadyStopped, "SBI_ERR_ALREADY_STOPPED", "already stopped"},
    {Error::kNoShmem, "SBI_ERR_NO_SHMEM", "shared memory not available"},
    {Error::kInvalidState, "SBI_ERR_INVALID_STATE", "invalid state"},
    {Error::kBadRange, "SBI_ERR_BAD_RANGE", "bad (or invalid) range"},
    {Error::kTimeout, "SBI_ERR_TIMEOUT", "failed due to timeout"},
    {Error::kIo, "SBI_ERR_IO", "input/output error"},
};

const ErrorInfo* find_error(Error error) {
    for (const ErrorInfo& info : kErrors) {
        if (info.error == error) return &info;
    }
    return nullptr;
}

struct ExtensionInfo {
    Extension extension;
    const char* name;
};

// Standard extensions by the names their chapters give them; legacy ones by their §5 headings.
constexpr ExtensionInfo kExtensions[] = {
    {Extension::kLegacySetTimer, "Legacy Set Timer"},
    {Extension::kLegacyConsolePutchar, "Legacy Console Putchar"},
    {Extension::kLegacyConsoleGetchar, "Legacy Console Getchar"},
    {Extension::kLegacyClearIpi, "Legacy Clear IPI"},
    {Extension::kLegacySendIpi, "Legacy Send IPI"},
    {Extension::kLegacyRemoteFenceI, "Legacy Remote FENCE.I"},
    {Extension::kLegacyRemoteSfenceVma, "Legacy Remote SFENCE.VMA"},
    {Extension::kLegacyRemoteSfenceVmaAsid, "Legacy Remote SFENCE.VMA with ASID"},
    {Extension::kLegacyShutdown, "Legacy System Shutdown"},
    {Extension::kBase, "Base"},
    {Extension::kTime, "TIME"},
    {Extension::kIpi, "IPI"},
    {Extension::kRfence, "RFENCE"},
    {Extension::kHsm, "HSM"},
    {Extension::kSrst, "SRST"},
    {Extension::kPmu, "PMU"},
    {Extension::kDbcn, "DBCN"},
    {Extension::kSusp, "SUSP"},
    {Extension::kCppc, "CPPC"},
    {Extension::kNacl, "NACL"},
    {Extension::kSta, "STA"},
};

struct ExtensionSpace {
    long first;
    long last;
    const char* name;
};

// §17-§19: EID ranges reserved for experimental, vendor and firmware extensions.
constexpr ExtensionSpace kExtensionSpaces[] = {
    {0x08000000, 0x08FFFFFF, "experimental"},
    {0x09000000, 0x09FFFFFF, "vendor-specific"},
    {0x0A000000, 0x0AFFFFFF, "firmware-specific"},
};

// §4.9, indexed by implementation ID.
constexpr const char* kImplementations[] = {
    "BBL",      "OpenSBI",     "Xvisor",
    "KVM",      "RustSBI",     "Diosix",
    "Coffer",   "Xen Project", "PolarFire Hart Software Services",
    "coreboot", "oreboot",     "bhyve",
};
static_assert(count_of(kImplementations) == static_cast<size_t>(base::Implementation::kBhyve) + 1);

// §9 table "HSM Hart States", indexed by state.
constexpr const char* kHartStates[] = {
    "STARTED",   "STOPPED",         "START_PENDING",  "STOP_PENDING",
    "SUSPENDED", "SUSPEND_PENDING", "RESUME_PENDING",
};
static_assert(count_of(kHartStates) == static_cast<size_t>(hsm::HartState::kResumePending) + 1);

// The entry for `index`, or "unknown" when it is negative or past the end.
template <size_t N>
const char* name_at(const char* const (&names)[N], long index) {
    if (index < 0 || static_cast<unsigned long>(index) >= N) return "unknown";
    return names[index];
}

}  // namespace

const char* error_name(Error error) {
    const ErrorInfo* info = find_error(error);
    return info != nullptr ? info->name : "unknown";
}

const char* error_meaning(Error error) {
    const ErrorInfo* info = find_error(error);
    return info != nullptr ? info->meaning : "not an error code the SBI specification defines";
}

void print_error(FormatSink& out, Error error) {
    const ErrorInfo* info = find_error(error);
    if (info == nullptr) {
        format(out, "unknown SBI error {}", static_cast<long>(error));
        return;
    }
    format(out, "{} ({})", info->name, info->meaning);
}

const char* extension_name(Extension extension) {
    for (const ExtensionInfo& info : kExtensions) {
        if (info.extension == extension) return info.name;
    }
    const long eid = static_cast<long>(extension);
    for (const ExtensionSpace& space : kExtensionSpaces) {
        if (eid >= space.first && eid <= space.last) return space.name;
    }
    return "unknown";
}

namespace base {

Version decode_spec_version(long raw) {
    const unsigned long bits = static_cast<unsigned long>(raw);
    return {(bits >> 24) & 0x7F, bits & 0xFFFFFF};
}

Version decode_opensbi_version(long raw) {
    const unsigned long bits = static_cast<unsigned long>(raw);
    return {bits >> 16, bits & 0xFFFF};
}

const char* implementation_name(Implementation id) {
    return name_at(kImplementations, static_cast<long>(id));
}

}  // namespace base

namespace hsm {

const char* hart_state_name(HartState state) {
    return name_at(kHartStates, static_cast<long>(state));
}

}  // namespace hsm

}  // namespace keel::sbi
