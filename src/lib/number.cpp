// SPDX-License-Identifier: MIT
// parse_number: digits accumulate with an overflow check per step (read_digits, which other
// notations share); the suffix multiplies last.
#include <keel/lib/number.h>

namespace keel {
namespace {

uint64_t suffix_multiplier(char c) {
    if (c == 'K' || c == 'k') return 1024;
    if (c == 'M' || c == 'm') return 1024 * 1024;
    return 1;
}

}  // namespace

int digit_value(char c, unsigned base) {
    int value = -1;
    if (c >= '0' && c <= '9') value = c - '0';
    if (c >= 'a' && c <= 'f') value = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') value = c - 'A' + 10;
    return value >= 0 && static_cast<unsigned>(value) < base ? value : -1;
}

bool read_digits(StringView text, size_t& at, unsigned base, uint64_t& value) {
    value = 0;
    for (; at < text.size; ++at) {
        const int digit = digit_value(text.data[at], base);
        if (digit < 0) break;
        if (value > (UINT64_MAX - static_cast<uint64_t>(digit)) / base) return false;
        value = value * base + static_cast<uint64_t>(digit);
    }
    return true;
}

const char* number_error_message(NumberError error) {
    switch (error) {
    case NumberError::kEmpty: return "no digits";
    case NumberError::kBadDigit: return "not a number (decimal, 0x hex, K/M suffix)";
    case NumberError::kOverflow: return "too large";
    }
    return "not a number";
}

Result<uint64_t, NumberError> parse_number(StringView text) {
    size_t end = text.size;
    const uint64_t multiplier = end > 0 ? suffix_multiplier(text.data[end - 1]) : 1;
    if (multiplier != 1) --end;
    size_t i = 0;
    unsigned base = 10;
    if (end >= 2 && text.data[0] == '0' && (text.data[1] == 'x' || text.data[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == end) return NumberError::kEmpty;
    uint64_t value = 0;
    if (!read_digits(StringView{text.data, end}, i, base, value)) return NumberError::kOverflow;
    if (i != end) return NumberError::kBadDigit;
    if (value > UINT64_MAX / multiplier) return NumberError::kOverflow;
    return value * multiplier;
}

}  // namespace keel
