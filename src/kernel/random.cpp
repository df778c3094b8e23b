// SPDX-License-Identifier: MIT
// Random bytes (include/keel/kernel/random.h).
#include <keel/arch/riscv/csr.h>
#include <keel/kernel/random.h>
#include <keel/lib/atomic.h>
#include <keel/lib/memory.h>

namespace keel::random {
namespace {

constinit Atomic<uint64_t> g_state{0x2545f4914f6cdd1dull};

uint64_t next() {
    uint64_t state = g_state.load(MemoryOrder::kRelaxed) ^ csr::time();
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    g_state.store(state, MemoryOrder::kRelaxed);  // harts racing here only mix it more
    return state;
}

}  // namespace

void bytes(void* out, size_t count) {
    auto* to = static_cast<uint8_t*>(out);
    for (size_t done = 0; done < count; done += 8) {  // a word per step
        const uint64_t word = next();
        memcpy(to + done, &word, count - done < 8 ? count - done : 8);
    }
}

}  // namespace keel::random
