// SPDX-License-Identifier: MIT
// The embedded vDSO (include/keel/kernel/vdso.h): its bounds, from src/kernel/vdso_image.S, and
// its data page, which the kernel writes here and processes read through their own mapping.
#include <keel/kernel/vdso.h>

// NOLINTBEGIN(readability-identifier-naming): the names vdso_image.S gives them.
extern "C" const uint8_t keel_vdso_start[];
extern "C" const uint8_t keel_vdso_end[];
// NOLINTEND(readability-identifier-naming)

namespace keel::vdso {
namespace {

// A whole page of its own, so that mapping it shows processes nothing else of the kernel's.
union alignas(kDataSize) DataPage {
    vdso_data::Data data;
    uint8_t bytes[kDataSize];
};
constinit DataPage g_page = {};

}  // namespace

const uint8_t* image() {
    return keel_vdso_start;
}

size_t size() {
    return static_cast<size_t>(keel_vdso_end - keel_vdso_start);
}

const uint8_t* data_page() {
    return g_page.bytes;
}

void set_frequency(uint64_t hz) {
    const uint32_t odd = vdso_data::begin_write(g_page.data);
    __atomic_store_n(&g_page.data.frequency, hz, __ATOMIC_RELAXED);
    vdso_data::end_write(g_page.data, odd);
}

void set_realtime_offset(int64_t nanoseconds) {
    const uint32_t odd = vdso_data::begin_write(g_page.data);
    __atomic_store_n(&g_page.data.realtime_offset, nanoseconds, __ATOMIC_RELAXED);
    vdso_data::end_write(g_page.data, odd);
}

void set_timezone(int32_t minutes_west, int32_t dst_time) {
    const uint32_t odd = vdso_data::begin_write(g_page.data);
    __atomic_store_n(&g_page.data.tz_minuteswest, minutes_west, __ATOMIC_RELAXED);
    __atomic_store_n(&g_page.data.tz_dsttime, dst_time, __ATOMIC_RELAXED);
    vdso_data::end_write(g_page.data, odd);
}

vdso_data::Snapshot read() {
    return vdso_data::read(g_page.data);
}

}  // namespace keel::vdso
