// SPDX-License-Identifier: MIT
// The RISC-V Supervisor Binary Interface (SBI v2.0): how keel, in S-mode, asks the M-mode firmware
// (OpenSBI on QEMU virt) for timers, IPIs, harts, reset and a console. Namespaces follow the spec's
// chapters. The calls are kernel-only (sbi.cpp); naming and decoding (sbi_names.cpp) is portable.
#pragma once
#include <keel/lib/format.h>
#include <keel/lib/result.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::sbi {

// §3 Binary Encoding, table "Standard SBI Errors": the error code an SBI call returns in a0.
// (SBI v3.0 added -10 to -13; firmware keel meets today returns at most -9.)
enum class Error : long {
    kSuccess = 0,            // SBI_SUCCESS
    kFailed = -1,            // SBI_ERR_FAILED
    kNotSupported = -2,      // SBI_ERR_NOT_SUPPORTED (also: unknown EID or FID)
    kInvalidParam = -3,      // SBI_ERR_INVALID_PARAM
    kDenied = -4,            // SBI_ERR_DENIED
    kInvalidAddress = -5,    // SBI_ERR_INVALID_ADDRESS
    kAlreadyAvailable = -6,  // SBI_ERR_ALREADY_AVAILABLE
    kAlreadyStarted = -7,    // SBI_ERR_ALREADY_STARTED
    kAlreadyStopped = -8,    // SBI_ERR_ALREADY_STOPPED
    kNoShmem = -9,           // SBI_ERR_NO_SHMEM
    kInvalidState = -10,     // SBI_ERR_INVALID_STATE
    kBadRange = -11,         // SBI_ERR_BAD_RANGE
    kTimeout = -12,          // SBI_ERR_TIMEOUT
    kIo = -13,               // SBI_ERR_IO
};

// §3: every call since v0.2 returns the pair a0 = error, a1 = value (the spec's `struct sbiret`):
// keel's one Result shape, holding the value when the error is SBI_SUCCESS and the error otherwise.
using Result = keel::Result<long, Error>;

// The Result of the pair a call returned.
constexpr Result to_result(Error error, long value) {
    return error == Error::kSuccess ? Result(value) : Result(error);
}

// The spec's name ("SBI_ERR_DENIED"); "unknown" for a code the spec does not define.
const char* error_name(Error error);
// The spec's description of the code, lower-case ("denied or not allowed").
const char* error_meaning(Error error);
// "SBI_ERR_DENIED (denied or not allowed)", or "unknown SBI error -42" for an undefined code.
void print_error(FormatSink& out, Error error);

// Extension IDs, passed in a7. Most spell their name in ASCII: TIME = 0x54494D45 = "TIME".
enum class Extension : long {
    // §5 Legacy Extensions (v0.1, deprecated): one EID per function, no FID, only a0 returned.
    kLegacySetTimer = 0x00,
    kLegacyConsolePutchar = 0x01,
    kLegacyConsoleGetchar = 0x02,
    kLegacyClearIpi = 0x03,
    kLegacySendIpi = 0x04,
    kLegacyRemoteFenceI = 0x05,
    kLegacyRemoteSfenceVma = 0x06,
    kLegacyRemoteSfenceVmaAsid = 0x07,
    kLegacyShutdown = 0x08,

    kBase = 0x10,          // §4  Base
    kTime = 0x54494D45,    // §6  "TIME" Timer
    kIpi = 0x735049,       // §7  "sPI" IPI
    kRfence = 0x52464E43,  // §8  "RFNC" Remote Fence
    kHsm = 0x48534D,       // §9  "HSM" Hart State Management
    kSrst = 0x53525354,    // §10 "SRST" System Reset
    kPmu = 0x504D55,       // §11 "PMU" Performance Monitoring Unit
    kDbcn = 0x4442434E,    // §12 "DBCN" Debug Console
    kSusp = 0x53555350,    // §13 "SUSP" System Suspend
    kCppc = 0x43505043,    // §14 "CPPC" Collaborative Processor Performance Control
    kNacl = 0x4E41434C,    // §15 "NACL" Nested Acceleration
    kSta = 0x535441,       // §16 "STA" Steal-time Accounting
};

// The standard (non-legacy) extensions, in the spec's chapter order: the one list of them.
inline constexpr Extension kStandardExtensions[] = {
    Extension::kBase, Extension::kTime, Extension::kIpi,  Extension::kRfence,
    Extension::kHsm,  Extension::kSrst, Extension::kPmu,  Extension::kDbcn,
    Extension::kSusp, Extension::kCppc, Extension::kNacl, Extension::kSta,
};

// "Base", "TIME", "HSM", "Legacy Console Putchar"...; EIDs in the experimental, vendor or firmware
// ranges (§17-§19) are named by their range; anything else is "unknown".
const char* extension_name(Extension extension);

// Whether the firmware implements `extension` (base::probe_extension, §4.4). The answer for each
// standard extension is asked once and remembered; legacy and other EIDs are probed every time.
bool has(Extension extension);

// §4 Base Extension (EID 0x10): present in every SBI since v0.2.
namespace base {

enum class Function : unsigned long {
    kGetSpecVersion = 0,  // §4.1 sbi_get_spec_version
    kGetImplId = 1,       // §4.2 sbi_get_impl_id
    kGetImplVersion = 2,  // §4.3 sbi_get_impl_version
    kProbeExtension = 3,  // §4.4 sbi_probe_extension
    kGetMvendorid = 4,    // §4.5 sbi_get_mvendorid
    kGetMarchid = 5,      // §4.6 sbi_get_marchid
    kGetMimpid = 6,       // §4.7 sbi_get_mimpid
};

Result get_spec_version();
Result get_impl_id();
Result get_impl_version();
// value 0: not available; otherwise 1 or an extension-specific non-zero value.
Result probe_extension(Extension extension);
Result get_mvendorid();
Result get_marchid();
Result get_mimpid();

struct Version {
    unsigned long major;
    unsigned long minor;
};

// §4.1: bits [30:24] are the major number and [23:0] the minor; bit 31 is reserved (must be 0).
Version decode_spec_version(long raw);
// OpenSBI's own encoding of get_impl_version (not the spec's): major << 16 | minor.
Version decode_opensbi_version(long raw);

// §4.9 SBI Implementation IDs, as returned by get_impl_id.
enum class Implementation : long {
    kBbl = 0,           // Berkeley Boot Loader
    kOpenSbi = 1,       // OpenSBI
    kXvisor = 2,        // Xvisor
    kKvm = 3,           // KVM
    kRustSbi = 4,       // RustSBI
    kDiosix = 5,        // Diosix
    kCoffer = 6,        // Coffer
    kXen = 7,           // Xen Project
    kPolarFireHss = 8,  // PolarFire Hart Software Services
    kCoreboot = 9,      // coreboot
    kOreboot = 10,      // oreboot
    kBhyve = 11,        // bhyve
};

// "BBL", "OpenSBI", ... "bhyve"; "unknown" for an ID the spec does not list.
const char* implementation_name(Implementation id);

}  // namespace base

// §6 Timer Extension (EID "TIME").
namespace timer {

enum class Function : unsigned long {
    kSetTimer = 0,  // §6.1 sbi_set_timer
};

// Raises the supervisor timer interrupt once `time` reaches stime_value, and clears the pending
// one. (uint64_t)-1 pushes the next event out forever.
Result set_timer(uint64_t stime_value);

}  // namespace timer

// §7 IPI Extension (EID "sPI").
namespace ipi {

enum class Function : unsigned long {
    kSendIpi = 0,  // §7.1 sbi_send_ipi
};

// §3 "Hart list parameter": a hart_mask_base of -1 means every hart, whatever hart_mask says.
constexpr unsigned long kAllHarts = ~0ul;

// Raises a supervisor software interrupt on hart (hart_mask_base + i) for every bit i set.
Result send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);

}  // namespace ipi

// §9 Hart State Management Extension (EID "HSM").
namespace hsm {

enum class Function : unsigned long {
    kHartStart = 0,      // §9.1 sbi_hart_start
    kHartStop = 1,       // §9.2 sbi_hart_stop
    kHartGetStatus = 2,  // §9.3 sbi_hart_get_status
    kHartSuspend = 3,    // §9.4 sbi_hart_suspend
};

// §9 table "HSM Hart States": what hart_get_status returns in value.
enum class HartState : long {
    kStarted = 0,         // STARTED
    kStopped = 1,         // STOPPED
    kStartPending = 2,    // START_PENDING
    kStopPending = 3,     // STOP_PENDING
    kSuspended = 4,       // SUSPENDED
    kSuspendPending = 5,  // SUSPEND_PENDING
    kResumePending = 6,   // RESUME_PENDING
};

// "STARTED", "STOP_PENDING"...; "unknown" for a value the spec does not define.
const char* hart_state_name(HartState state);

// Starts a STOPPED hart in S-mode at start_addr (physical) with a0 = hartid, a1 = opaque and
// satp = 0. Success means the request was accepted: the hart is START_PENDING, not yet running.
Result hart_start(unsigned long hartid, uintptr_t start_addr, unsigned long opaque);
// value: a HartState.
Result hart_get_status(unsigned long hartid);

}  // namespace hsm

// §10 System Reset Extension (EID "SRST").
namespace reset {

enum class Function : unsigned long {
    kSystemReset = 0,  // §10.1 sbi_system_reset
};

// §10.1 reset_type (32 bits; 0xF0000000 and up are vendor-specific).
enum class ResetType : uint32_t {
    kShutdown = 0,
    kColdReboot = 1,
    kWarmReboot = 2,
};

// §10.1 reset_reason (32 bits; 0xE0000000 and up are implementation- or vendor-specific).
enum class ResetReason : uint32_t {
    kNoReason = 0,
    kSystemFailure = 1,
};

// Returns only on failure (e.g. SBI_ERR_NOT_SUPPORTED for a reset type the platform lacks).
Result system_reset(ResetType type, ResetReason reason);

}  // namespace reset

// §12 Debug Console Extension (EID "DBCN"): the firmware's console, several bytes per call.
// Older firmware, such as QEMU 7.2's OpenSBI 1.1, lacks it: every call then fails with
// SBI_ERR_NOT_SUPPORTED, and the caller falls back to legacy::console_putchar or its own UART.
namespace dbcn {

enum class Function : unsigned long {
    kConsoleWrite = 0,      // §12.1 sbi_debug_console_write
    kConsoleRead = 1,       // §12.2 sbi_debug_console_read
    kConsoleWriteByte = 2,  // §12.3 sbi_debug_console_write_byte
};

// Non-blocking: value is how many bytes were read into buffer (0 when none are waiting).
Result console_read(char* buffer, size_t capacity);
// Blocks until the byte is written.
Result console_write_byte(uint8_t byte);

}  // namespace dbcn

// §5 Legacy Extensions: v0.1 calls that return only a0, whose meaning each call defines.
namespace legacy {

// Blocks until written. 0 on success, else an implementation-specific negative code.
long console_putchar(int ch);
// The next byte, or -1 when none is waiting.
int console_getchar();
// Powers off; the spec says it never returns, but firmware without it returns an error.
long shutdown();

}  // namespace legacy

}  // namespace keel::sbi
