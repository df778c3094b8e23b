// SPDX-License-Identifier: MIT
// External interrupts: sources behind the PLIC, each routed to a handler and enabled for the S-mode
// context of the hart that attached it (the device tree's interrupts-extended says which context
// is whose; the caller passes it).
#pragma once
#include <keel/arch/riscv/plic.h>
#include <keel/lib/result.h>
#include <stdint.h>

namespace keel::irq {

using Handler = void (*)(void* context);

enum class AttachError : uint8_t {
    kNoPlic = 1,    // the device tree names no PLIC
    kNoSuchSource,  // source 0, or past the PLIC's sources or keel's table
    kTaken,         // another handler has it
    kNoContext,     // the hart has no S-mode PLIC context
};
const char* attach_error_name(AttachError error);

// The PLIC that external interrupts come through; init happens from BootInfo.
Plic& plic();

// Routes `source` to `handler` and enables it for PLIC context `plic_context`.
Result<void, AttachError> attach(uint32_t source, Handler handler, void* context, int plic_context);

// Claims, dispatches and completes every source pending for `plic_context` (the interrupted
// hart's), until the PLIC has nothing more.
void dispatch(int plic_context);

// Interrupts keel takes on the calling hart: timer, external, software (sie), then sstatus.SIE.
void enable_on_this_hart();

}  // namespace keel::irq
