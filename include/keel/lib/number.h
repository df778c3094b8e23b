// SPDX-License-Identifier: MIT
// Numbers as people type them: decimal (4096), hexadecimal (0x1000), with an optional K or M
// suffix (x1024, x1048576: 64K, 0x10K, 2M). No sign, no blanks; overflow is an error.
#pragma once
#include <keel/lib/format.h>
#include <keel/lib/result.h>
#include <stdint.h>

namespace keel {

enum class NumberError {
    kEmpty = 1,  // nothing, or "0x" without digits
    kBadDigit,   // a character that is not a digit of the base, or a misplaced suffix
    kOverflow,   // more than 2^64 - 1
};

const char* number_error_message(NumberError error);

Result<uint64_t, NumberError> parse_number(StringView text);

// The pieces parse_number is made of, for other notations (tmpfs's mount options): the value of
// `c` as a digit in `base` (up to 16), or -1; and the digits of `base` from text[at] on, as long
// as there are any, into `value` (0 if none), `at` moved past them. False on overflow.
int digit_value(char c, unsigned base);
bool read_digits(StringView text, size_t& at, unsigned base, uint64_t& value);

}  // namespace keel
