// SPDX-License-Identifier: MIT
// The embedded vDSO (include/keel/kernel/vdso.h): its bounds, from src/kernel/vdso_image.S.
#include <keel/kernel/vdso.h>

// NOLINTBEGIN(readability-identifier-naming): the names vdso_image.S gives them.
extern "C" const uint8_t keel_vdso_start[];
extern "C" const uint8_t keel_vdso_end[];
// NOLINTEND(readability-identifier-naming)

namespace keel::vdso {

const uint8_t* image() {
    return keel_vdso_start;
}

size_t size() {
    return static_cast<size_t>(keel_vdso_end - keel_vdso_start);
}

}  // namespace keel::vdso
