// SPDX-License-Identifier: MIT
// Interrupt dispatch: timer to the tick, external to the PLIC source's handler, software (IPI) to
// the halt request a panicking hart leaves.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/interrupts.h>
#include <keel/arch/riscv/plic.h>
#include <keel/arch/riscv/sbi.h>
#include <keel/arch/riscv/timer.h>
#include <keel/kernel/hart.h>
#include <keel/kernel/panic.h>

namespace keel {
namespace irq {
namespace {

constexpr uint32_t kMaxRouted = 128;  // QEMU virt has 96 sources, sifive_u 54

struct Route {
    Handler handler = nullptr;
    void* context = nullptr;
    Atomic<uint64_t> count{0};
};

constinit Plic g_plic;
constinit Route g_routes[kMaxRouted];

// Claim, dispatch and complete until the PLIC has nothing more for this hart.
void handle_external() {
    const int context = this_hart().plic_context;
    if (context < 0 || !g_plic.present()) return;
    for (uint32_t source = g_plic.claim(context); source != 0; source = g_plic.claim(context)) {
        if (source < kMaxRouted && g_routes[source].handler != nullptr) {
            g_routes[source].count.fetch_add(1, MemoryOrder::kRelaxed);
            g_routes[source].handler(g_routes[source].context);
        }
        g_plic.complete(context, source);
    }
}

}  // namespace

Plic& plic() {
    return g_plic;
}

bool attach(uint32_t source, Handler handler, void* context) {
    const int hart_context = this_hart().plic_context;
    if (source == 0 || source >= kMaxRouted || source > g_plic.sources() || hart_context < 0 ||
        g_routes[source].handler != nullptr) {
        return false;
    }
    g_routes[source].context = context;
    g_routes[source].handler = handler;
    g_plic.set_priority(source, 1);  // 0 would mean "never interrupt"
    g_plic.set_threshold(hart_context, 0);
    g_plic.enable(hart_context, source);
    return true;
}

void enable_on_this_hart() {
    KEEL_CSR_SET(sie, csr::kTimerInterrupt | csr::kExternalInterrupt | csr::kSoftwareInterrupt);
    csr::enable_interrupts();
}

uint64_t count(uint32_t source) {
    return source < kMaxRouted ? g_routes[source].count.load(MemoryOrder::kRelaxed) : 0;
}

}  // namespace irq

namespace ipi {
namespace {
constinit Atomic<uint32_t> g_halting{0};  // words: RISC-V has no byte AMOs
}  // namespace

bool halting() {
    return g_halting.load(MemoryOrder::kAcquire) != 0;
}

void halt_others() {
    g_halting.store(1, MemoryOrder::kRelease);
    const Hart* self = this_hart_or_null();
    for (const Hart& hart : g_harts) {
        if (&hart != self && hart.state.load(MemoryOrder::kAcquire) == HartState::kOnline) {
            sbi::ipi::send_ipi(1ul, hart.id);  // mask bit 0 relative to base = that hart
        }
    }
}

}  // namespace ipi

void handle_interrupt(TrapCause cause) {
    if (cause.is(Interrupt::kSupervisorTimer)) {
        timer::on_interrupt();
    } else if (cause.is(Interrupt::kSupervisorExternal)) {
        irq::handle_external();
    } else if (cause.is(Interrupt::kSupervisorSoftware)) {
        KEEL_CSR_CLEAR(sip, csr::kSoftwareInterrupt);  // SSIP is ours to clear (§4.1.3)
        if (ipi::halting()) halt();
    }
}

}  // namespace keel
