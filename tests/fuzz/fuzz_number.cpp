// SPDX-License-Identifier: MIT
// Fuzzes parse_number() with any text: it reads only the text's bytes, and agrees with the model
// (tests/host/number_model.h, built on strtoull) on the value or the exact error.
#include <keel/lib/number.h>

#include <string>

#include "fuzz_support.h"
#include "number_model.h"

using namespace keel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fuzz::ExactCopy text(data, size);
    const auto got = parse_number(text.view());
    const auto want = test::parse_number_model(std::string(text.chars(), size));
    fuzz::check(got.ok() == want.ok(),
                "parse_number and the model disagree on whether it is a number");
    if (got.ok()) {
        fuzz::check(got.value() == want.value(),
                    "parse_number and the model read different values");
    } else {
        fuzz::check(got.error() == want.error(),
                    "parse_number and the model give different errors");
    }
    return 0;
}
