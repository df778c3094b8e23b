// SPDX-License-Identifier: MIT
// Fuzzes the formatter with any format string and up to four arguments of every kind FormatArg
// has. Input: [capacity] [argument count] [four argument selectors] format text... A selector's
// low three bits pick the kind, the high five a value from the tables below. The format string
// and every string argument are exact-size heap copies (a StringView without a NUL after it), so
// any read past them is an AddressSanitizer report. Checked: a BufferSink of the given capacity
// holds exactly the longest prefix of the full output that fits, NUL-terminated, and says whether
// it was cut; the output is bounded by the format's length and what each placeholder may print;
// text without '{' prints as itself, "}}" as "}".
#include <keel/lib/format.h>
#include <limits.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"

using namespace keel;

namespace {

constexpr size_t kHeader = 6;
constexpr size_t kMaxArguments = 4;
// The widest a placeholder prints beyond a string argument's own length: width is at most 64,
// and the longest number is 64 binary digits with "-0b" in front; "{?}" and "{!}" are 3.
constexpr size_t kMaxPlaceholder = 3 + 64;

constexpr long long kIntegers[] = {
    0,
    1,
    -1,
    7,
    9,
    10,
    15,
    16,
    42,
    127,
    -128,
    128,
    255,
    256,
    1000,
    4096,
    65535,
    -65536,
    INT_MAX,
    INT_MIN,
    0x7fffffffll,
    0x80000000ll,
    0xffffffffll,
    0x100000000ll,
    1ll << 53,
    0x123456789abcdefll,
    LLONG_MAX,
    LLONG_MIN,
    LLONG_MIN + 1,
    -1000000007,
    99999999,
    'A',
};

const char* const kStrings[] = {
    "",
    "a",
    "keel",
    "hello, world",
    "{}",
    "{:x}",
    "}{",
    "{{}}",
    "%s%n",
    "\x1b[K",
    "\xff\xfe",
    "tab\there",
    "new\nline",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef!",
    "a string well past the widest width the formatter pads to, so that width never trims it....",
};

// One argument made from a selector byte; its strings live as long as it does.
struct Argument {
    std::unique_ptr<fuzz::ExactCopy> text;
    FormatArg arg;
};

Argument make_argument(uint8_t selector) {
    const size_t value = selector >> 3;
    const long long integer = kIntegers[value % std::size(kIntegers)];
    const char* string = kStrings[value % std::size(kStrings)];
    Argument a;
    switch (selector & 7) {
    case 0: a.arg = FormatArg(integer); break;
    case 1: a.arg = FormatArg(static_cast<unsigned long long>(integer)); break;
    case 2: a.arg = FormatArg((value & 1) != 0); break;
    case 3: a.arg = FormatArg(static_cast<char>(integer)); break;
    case 4:  // a C string: NUL-terminated, nothing after the NUL
        a.text = std::make_unique<fuzz::ExactCopy>(string, fuzz::ExactCopy::Nul::kAppend);
        a.arg = FormatArg(a.text->chars());
        break;
    case 5:  // a StringView: no NUL after it
        a.text = std::make_unique<fuzz::ExactCopy>(string);
        a.arg = FormatArg(a.text->view());
        break;
    case 6:
        a.arg = FormatArg(reinterpret_cast<const void*>(static_cast<uintptr_t>(integer)));
        break;
    default: a.arg = FormatArg(static_cast<const char*>(nullptr)); break;
    }
    return a;
}

void check_buffer_sink(const char* format, const FormatArg* args, size_t count, size_t capacity,
                       const std::string& full) {
    std::unique_ptr<char[]> buffer(new char[capacity]);  // exactly `capacity`: ASan guards the end
    BufferSink sink(buffer.get(), capacity);
    vformat(sink, format, args, count);
    const size_t fits = capacity == 0 ? 0 : std::min(full.size(), capacity - 1);
    fuzz::check(sink.length() == fits, "BufferSink kept another length than the output that fits");
    fuzz::check(sink.truncated() == (full.size() > fits), "BufferSink misreports truncation");
    if (capacity == 0) return;
    fuzz::check(buffer[fits] == '\0', "BufferSink's text is not NUL-terminated");
    fuzz::check(full.compare(0, fits, buffer.get(), fits) == 0,
                "BufferSink's text is not the output");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < kHeader) return 0;
    const size_t capacity = data[0];
    const size_t count = data[1] % (kMaxArguments + 1);
    std::vector<Argument> arguments;
    for (size_t i = 0; i < kMaxArguments; ++i) arguments.push_back(make_argument(data[2 + i]));
    FormatArg args[kMaxArguments];
    for (size_t i = 0; i < kMaxArguments; ++i) args[i] = arguments[i].arg;
    const fuzz::ExactCopy format(data + kHeader, size - kHeader, fuzz::ExactCopy::Nul::kAppend);

    fuzz::StringSink full;
    vformat(full, format.chars(), args, count);
    const size_t length = strlen(format.chars());  // the format ends at its first NUL
    size_t longest = 0;
    for (const char* s : kStrings) longest = std::max(longest, strlen(s));
    const size_t placeholders =
        static_cast<size_t>(std::count(format.chars(), format.chars() + length, '{'));
    fuzz::check(full.text().size() <= length + placeholders * (kMaxPlaceholder + longest),
                "more output than the format and its placeholders can make");
    if (memchr(format.chars(), '{', length) == nullptr) {
        std::string plain;
        for (size_t i = 0; i < length; ++i) {
            plain += format.chars()[i];
            if (format.chars()[i] == '}' && i + 1 < length && format.chars()[i + 1] == '}') ++i;
        }
        fuzz::check(full.text() == plain, "text without placeholders did not print as itself");
    }
    check_buffer_sink(format.chars(), args, count, capacity, full.text());
    return 0;
}
