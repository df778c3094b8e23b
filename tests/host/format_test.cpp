// SPDX-License-Identifier: MIT
// keel::format: every placeholder kind and spec, and what happens when they are misused.
#include <gtest/gtest.h>
#include <keel/lib/format.h>
#include <stdint.h>

#include <string>

namespace keel {
namespace {

template <typename... Args>
std::string fmt(const char* format, const Args&... args) {
    char buffer[256];
    format_to(buffer, sizeof buffer, format, args...);
    return buffer;
}

TEST(Format, PrintsSignedAndUnsignedDecimal) {
    EXPECT_EQ(fmt("{} {} {}", 0, -42, 42u), "0 -42 42");
    EXPECT_EQ(fmt("{}", INT64_MIN), "-9223372036854775808");
    EXPECT_EQ(fmt("{}", UINT64_MAX), "18446744073709551615");
    EXPECT_EQ(fmt("{} {}", static_cast<short>(-7), static_cast<unsigned char>(200)), "-7 200");
}

TEST(Format, PrintsHexWithWidthZeroPaddingAndPrefix) {
    EXPECT_EQ(fmt("{:x}", 255), "ff");
    EXPECT_EQ(fmt("{:X}", 255), "FF");
    EXPECT_EQ(fmt("{:#x}", 255), "0xff");
    EXPECT_EQ(fmt("{:08x}", 0xbeefu), "0000beef");
    EXPECT_EQ(fmt("{:#010x}", 0xbeefu), "0x0000beef");
    EXPECT_EQ(fmt("{:6x}", 0xabu), "    ab");
    EXPECT_EQ(fmt("{:x}", uint64_t{0xfedcba9876543210}), "fedcba9876543210");
}

TEST(Format, PrintsNegativeHexAsSignAndMagnitude) {
    EXPECT_EQ(fmt("{:#x}", -16), "-0x10");
    EXPECT_EQ(fmt("{:x}", INT64_MIN), "-8000000000000000");
}

TEST(Format, PrintsBinary) {
    EXPECT_EQ(fmt("{:b}", 5), "101");
    EXPECT_EQ(fmt("{:#010b}", 5), "0b00000101");
}

TEST(Format, PrintsPointersAsSixteenHexDigits) {
    EXPECT_EQ(fmt("{}", reinterpret_cast<void*>(0x80200000)), "0x0000000080200000");
    EXPECT_EQ(fmt("{}", nullptr), "0x0000000000000000");
    const int x = 0;
    EXPECT_EQ(fmt("{:p}", &x).size(), 18u);
}

TEST(Format, PrintsStringsCharsAndBools) {
    const char* null_string = nullptr;
    char mutable_text[] = "mutable";
    EXPECT_EQ(fmt("{} {} {}", "keel", 'k', true), "keel k true");
    EXPECT_EQ(fmt("{}", false), "false");
    EXPECT_EQ(fmt("{}", null_string), "(null)");
    EXPECT_EQ(fmt("{}", mutable_text), "mutable");
    EXPECT_EQ(fmt("{}", StringView{"abcdef", 3}), "abc");
}

TEST(Format, Octal) {
    EXPECT_EQ(fmt("{:o}", 8), "10");
    EXPECT_EQ(fmt("{:04o}", 022), "0022");  // /proc/PID/status's Umask
    EXPECT_EQ(fmt("{:#o}", 0755), "0755");
    EXPECT_EQ(fmt("{:o}", 0), "0");
    EXPECT_EQ(fmt("{:o}", -8), "-10");
    EXPECT_EQ(fmt("{:o}", ~uint64_t{0}), "1777777777777777777777");
}

TEST(Format, AlignsNumbersRightAndTextLeftByDefault) {
    EXPECT_EQ(fmt("[{:5}]", 42), "[   42]");
    EXPECT_EQ(fmt("[{:5}]", "ab"), "[ab   ]");
    EXPECT_EQ(fmt("[{:<5}]", 42), "[42   ]");
    EXPECT_EQ(fmt("[{:>5}]", "ab"), "[   ab]");
    EXPECT_EQ(fmt("[{:2}]", "long"), "[long]");
}

TEST(Format, ZeroPaddingGoesAfterTheSign) {
    EXPECT_EQ(fmt("{:05}", -42), "-0042");
}

TEST(Format, CharAsNumberAndNumberAsChar) {
    EXPECT_EQ(fmt("{:x}", 'A'), "41");
    EXPECT_EQ(fmt("{:c}", 65), "A");
}

TEST(Format, EscapedBracesPrintOnce) {
    EXPECT_EQ(fmt("{{}} {}", 1), "{} 1");
    EXPECT_EQ(fmt("a }} b"), "a } b");
}

TEST(Format, MissingArgumentPrintsQuestionMark) {
    EXPECT_EQ(fmt("{} {}", 1), "1 {?}");
}

TEST(Format, ExtraArgumentsAreIgnored) {
    EXPECT_EQ(fmt("only {}", 1, 2, 3), "only 1");
}

TEST(Format, BadSpecOrMismatchedTypePrintsBang) {
    EXPECT_EQ(fmt("{:q}", 1), "{!}");
    EXPECT_EQ(fmt("{:s}", 1), "{!}");
    EXPECT_EQ(fmt("{:x}", "text"), "{!}");
    EXPECT_EQ(fmt("{oops}", 1), "{!}");
    EXPECT_EQ(fmt("{:999}", 1), "{!}");  // widths are capped at 64
}

TEST(Format, UnclosedBraceIsPrintedAsIs) {
    EXPECT_EQ(fmt("tail {", 1), "tail {");
}

TEST(Format, BufferSinkTruncatesAndTerminates) {
    char small[6];
    const size_t n = format_to(small, sizeof small, "{}", "overflowing");
    EXPECT_EQ(n, 5u);
    EXPECT_STREQ(small, "overf");
    BufferSink sink(small, sizeof small);
    format(sink, "{}", 1234567);
    EXPECT_TRUE(sink.truncated());
}

TEST(Format, ZeroCapacityBufferWritesNothing) {
    char untouched = 'x';
    EXPECT_EQ(format_to(&untouched, 0, "{}", 1), 0u);
    EXPECT_EQ(untouched, 'x');
}

TEST(FormatEscaped, PrintsPrintableTextAsItIs) {
    EXPECT_EQ(fmt("[{:e}]", "selftest=sleep x"), "[selftest=sleep x]");
}

TEST(FormatEscaped, EscapesControlBytesDelHighBytesAndBackslashes) {
    EXPECT_EQ(fmt("{:e}", "a\x1b[2Jb"), "a\\x1b[2Jb");
    EXPECT_EQ(fmt("{:e}", "\r\n\t"), "\\x0d\\x0a\\x09");
    EXPECT_EQ(fmt("{:e}", "\x7f\xff"), "\\x7f\\xff");
    EXPECT_EQ(fmt("{:e}", "back\\slash"), "back\\\\slash");
}

TEST(FormatEscaped, PadsByTheEscapedWidth) {
    EXPECT_EQ(fmt("[{:8e}]", "\x1b"), "[\\x1b    ]");
    EXPECT_EQ(fmt("[{:>8e}]", "\x1b"), "[    \\x1b]");
}

TEST(FormatEscaped, OnlyAppliesToText) {
    EXPECT_EQ(fmt("{:e}", 42), "{!}");
}

}  // namespace
}  // namespace keel
