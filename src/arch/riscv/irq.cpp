// SPDX-License-Identifier: MIT
// External interrupt routing: a handler per PLIC source, claimed and completed per context.
#include <keel/arch/riscv/csr.h>
#include <keel/arch/riscv/irq.h>

namespace keel::irq {
namespace {

constexpr uint32_t kMaxRouted = 128;  // QEMU virt has 96 sources, sifive_u 54

struct Route {
    Handler handler = nullptr;
    void* context = nullptr;
};

constinit Plic g_plic;
constinit Route g_routes[kMaxRouted];

}  // namespace

const char* attach_error_name(AttachError error) {
    switch (error) {
    case AttachError::kNoPlic: return "no PLIC";
    case AttachError::kNoSuchSource: return "no such source";
    case AttachError::kTaken: return "source already taken";
    case AttachError::kNoContext: return "the hart has no S-mode PLIC context";
    }
    return "unknown";
}

Plic& plic() {
    return g_plic;
}

Result<void, AttachError> attach(uint32_t source, Handler handler, void* context,
                                 int plic_context) {
    if (!g_plic.present()) return AttachError::kNoPlic;
    if (source == 0 || source >= kMaxRouted || source > g_plic.sources())
        return AttachError::kNoSuchSource;
    if (g_routes[source].handler != nullptr) return AttachError::kTaken;
    if (plic_context < 0) return AttachError::kNoContext;
    g_routes[source].context = context;
    g_routes[source].handler = handler;
    g_plic.set_priority(source, 1);  // 0 would mean "never interrupt"
    g_plic.set_threshold(plic_context, 0);
    g_plic.enable(plic_context, source);
    return {};
}

void dispatch(int plic_context) {
    if (plic_context < 0 || !g_plic.present()) return;
    for (uint32_t source = g_plic.claim(plic_context); source != 0;
         source = g_plic.claim(plic_context)) {
        if (source < kMaxRouted && g_routes[source].handler != nullptr) {
            g_routes[source].handler(g_routes[source].context);
        }
        g_plic.complete(plic_context, source);
    }
}

void enable_on_this_hart() {
    KEEL_CSR_SET(sie, csr::kTimerInterrupt | csr::kExternalInterrupt | csr::kSoftwareInterrupt);
    csr::enable_interrupts();
}

}  // namespace keel::irq
