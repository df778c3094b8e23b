// SPDX-License-Identifier: MIT
// Numbers as the shell reads them.
#include <gtest/gtest.h>
#include <keel/lib/number.h>

#include <string>

namespace keel {
namespace {

Result<uint64_t, NumberError> parse(const std::string& text) {
    return parse_number(StringView{text.data(), text.size()});
}

TEST(ParseNumber, ReadsDecimal) {
    EXPECT_EQ(parse("0").value(), 0u);
    EXPECT_EQ(parse("4096").value(), 4096u);
    EXPECT_EQ(parse("18446744073709551615").value(), UINT64_MAX);
}

TEST(ParseNumber, ReadsHexInEitherCase) {
    EXPECT_EQ(parse("0x1000").value(), 0x1000u);
    EXPECT_EQ(parse("0XdeadBEEF").value(), 0xdeadbeefu);
    EXPECT_EQ(parse("0xffffffffffffffff").value(), UINT64_MAX);
}

TEST(ParseNumber, SuffixesMultiplyByKibiAndMebi) {
    EXPECT_EQ(parse("64K").value(), 65536u);
    EXPECT_EQ(parse("64k").value(), 65536u);
    EXPECT_EQ(parse("2M").value(), 2u * 1024 * 1024);
    EXPECT_EQ(parse("0x10K").value(), 16u * 1024);
}

TEST(ParseNumber, RejectsEmptyTextAndBarePrefix) {
    EXPECT_EQ(parse("").error(), NumberError::kEmpty);
    EXPECT_EQ(parse("0x").error(), NumberError::kEmpty);
    EXPECT_EQ(parse("K").error(), NumberError::kEmpty);
}

TEST(ParseNumber, RejectsStrayCharacters) {
    for (const char* bad :
         {"12x", "-1", "+1", " 1", "1 ", "0x1g", "1KK", "K1", "1.5", "0b101", "ff"}) {
        EXPECT_EQ(parse(bad).error(), NumberError::kBadDigit) << bad;
    }
}

TEST(ParseNumber, RejectsOverflowInTheDigits) {
    EXPECT_EQ(parse("18446744073709551616").error(), NumberError::kOverflow);
    EXPECT_EQ(parse("0x10000000000000000").error(), NumberError::kOverflow);
}

TEST(ParseNumber, RejectsOverflowInTheSuffix) {
    EXPECT_EQ(parse("18014398509481984K").error(), NumberError::kOverflow);  // 2^54 * 2^10
    EXPECT_EQ(parse("17592186044415M").value(), 17592186044415ull << 20);    // just fits
    EXPECT_EQ(parse("17592186044416M").error(), NumberError::kOverflow);
}

TEST(ParseNumber, ErrorsHaveMessages) {
    EXPECT_STREQ(number_error_message(NumberError::kOverflow), "too large");
    EXPECT_NE(number_error_message(NumberError::kBadDigit)[0], '\0');
}

}  // namespace
}  // namespace keel
