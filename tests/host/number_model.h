// SPDX-License-Identifier: MIT
// parse_number's rules written a second way, with the C library's strtoull, for the model test and
// the fuzzer to hold parse_number() against. Plain C++ without GoogleTest.
#pragma once
#include <errno.h>
#include <keel/lib/number.h>
#include <stdint.h>
#include <stdlib.h>

#include <algorithm>
#include <string>

namespace keel::test {

// One K/M suffix off the end, a 0x prefix off the front, then the digits. Reading left to right
// the first problem met is the error: digits that already exceed 2^64 - 1 before a bad character
// are an overflow.
inline Result<uint64_t, NumberError> parse_number_model(std::string digits) {
    uint64_t multiplier = 1;
    if (!digits.empty() && (digits.back() == 'k' || digits.back() == 'K')) multiplier = 1024;
    if (!digits.empty() && (digits.back() == 'm' || digits.back() == 'M')) multiplier = 1 << 20;
    if (multiplier != 1) digits.pop_back();
    int base = 10;
    if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits.erase(0, 2);
    }
    if (digits.empty()) return NumberError::kEmpty;
    const char* valid = base == 16 ? "0123456789abcdefABCDEF" : "0123456789";
    const size_t good = std::min(digits.find_first_not_of(valid), digits.size());
    errno = 0;
    const unsigned long long value =
        good == 0 ? 0 : strtoull(digits.substr(0, good).c_str(), nullptr, base);
    if (errno == ERANGE) return NumberError::kOverflow;
    if (good < digits.size()) return NumberError::kBadDigit;
    if (value > UINT64_MAX / multiplier) return NumberError::kOverflow;
    return value * multiplier;
}

}  // namespace keel::test
