// SPDX-License-Identifier: MIT
// Fuzzes the ELF checker with any bytes: it reads only inside them, and whatever it accepts obeys
// what it promises (segments inside the file and below the user top, no W+X, no shared pages,
// the entry in code).
#include <keel/lib/elf.h>

#include "fuzz_support.h"

using namespace keel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    constexpr uint64_t kUserTop = 0x40'0000'0000;
    const fuzz::ExactCopy bytes(data, size);
    const auto parsed = elf::parse(reinterpret_cast<const uint8_t*>(bytes.chars()), size, kUserTop);
    if (!parsed.ok()) {
        const StringView detail = parsed.error().detail;
        fuzz::check(detail.empty() || (detail.data >= bytes.chars() && detail.size <= size),
                    "an interpreter name outside the file");
        return 0;
    }
    const elf::Image& image = parsed.value();
    bool entry_in_code = false;
    for (size_t i = 0; i < image.segment_count; ++i) {
        const elf::Segment& s = image.segments[i];
        fuzz::check(s.offset <= size && s.file_size <= size - s.offset,
                    "a segment outside the file");
        fuzz::check(s.file_size <= s.memory_size, "file size above memory size");
        fuzz::check(s.address >= elf::kPageSize && s.memory_size <= kUserTop - s.address,
                    "a segment outside user memory");
        fuzz::check((s.flags & elf::kWrite) == 0 || (s.flags & elf::kExecute) == 0, "W+X accepted");
        fuzz::check(image.end >= s.address + s.memory_size, "end below a segment");
        if ((s.flags & elf::kExecute) != 0 && image.entry >= s.address &&
            image.entry - s.address < s.memory_size)
            entry_in_code = true;
    }
    fuzz::check(image.segment_count > 0 && entry_in_code, "accepted without code at the entry");
    return 0;
}
