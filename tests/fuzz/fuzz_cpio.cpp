// SPDX-License-Identifier: MIT
// Fuzzes the cpio newc reader with any bytes: open() either refuses them naming an offset inside
// the archive, or every entry it then lists, and every lookup of a listed name, stays inside.
#include <keel/lib/cpio.h>

#include "fuzz_support.h"

using namespace keel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fuzz::ExactCopy archive_bytes(data, size);
    const auto* base = reinterpret_cast<const uint8_t*>(archive_bytes.chars());
    const auto archive = cpio::Archive::open(base, size);
    if (!archive.ok()) {
        fuzz::check(archive.error().offset <= size, "an error offset past the end of the archive");
        return 0;
    }
    archive.value().for_each([&](const cpio::Entry& entry) {
        fuzz::check(entry.data >= base && entry.size <= size &&
                        static_cast<size_t>(entry.data - base) <= size - entry.size,
                    "an entry's data outside the archive");
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < entry.size; ++i)
            sink = sink + entry.data[i];  // ASan checks each read
        cpio::Entry found;
        fuzz::check(archive.value().find(entry.name, found), "a listed name is not found");
    });
    return 0;
}
