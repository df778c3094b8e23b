// SPDX-License-Identifier: MIT
// parse_number beyond the examples: round-trips of random values, every misplaced suffix, junk.
#include <gtest/gtest.h>
#include <keel/lib/number.h>

#include <memory>
#include <random>
#include <string>

namespace keel {
namespace {

Result<uint64_t, NumberError> parse_exact(const std::string& s) {
    std::unique_ptr<char[]> bytes(new char[s.size() ? s.size() : 1]);
    if (!s.empty()) memcpy(bytes.get(), s.data(), s.size());
    return parse_number(StringView{s.empty() ? nullptr : bytes.get(), s.size()});
}

TEST(ParseNumberExtra, StopsReadingAtTheTextSize) {
    const char buffer[] = "12x";
    EXPECT_EQ(parse_number(StringView{buffer, 2}).value(), 12u);
    EXPECT_EQ(parse_exact("0x").error(), NumberError::kEmpty);
}

TEST(ParseNumberExtra, NullTextIsEmpty) {
    EXPECT_EQ(parse_number(StringView{nullptr, 0}).error(), NumberError::kEmpty);
}

TEST(ParseNumberExtra, LowercaseMSuffixIsMebi) {
    EXPECT_EQ(parse_exact("3m").value(), 3u << 20);
}

TEST(ParseNumberExtra, UppercasePrefixWithoutDigitsIsEmpty) {
    EXPECT_EQ(parse_exact("0X").error(), NumberError::kEmpty);
}

TEST(ParseNumberExtra, PrefixAndSuffixWithoutDigitsIsAnError) {
    EXPECT_FALSE(parse_exact("0xK").ok());
    EXPECT_FALSE(parse_exact("0xm").ok());
}

TEST(ParseNumberExtra, SuffixInTheMiddleIsABadDigit) {
    EXPECT_EQ(parse_exact("1K0").error(), NumberError::kBadDigit);
    EXPECT_EQ(parse_exact("0x1M0").error(), NumberError::kBadDigit);
}

TEST(ParseNumberExtra, LeadingZerosDoNotOverflow) {
    EXPECT_EQ(parse_exact(std::string(100, '0') + "1").value(), 1u);
    EXPECT_EQ(parse_exact("0x" + std::string(100, '0') + "ff").value(), 0xffu);
}

TEST(ParseNumberExtra, ZeroWithASuffixIsZero) {
    EXPECT_EQ(parse_exact("0M").value(), 0u);
}

TEST(ParseNumberExtra, HexSuffixOverflowIsCaught) {
    EXPECT_EQ(parse_exact("0x40000000000000K").error(), NumberError::kOverflow);  // 2^54 * 2^10
    EXPECT_EQ(parse_exact("0x3fffffffffffffK").value(), 0x3fffffffffffffull << 10);
}

TEST(ParseNumberExtra, EveryErrorHasAMessage) {
    for (NumberError e : {NumberError::kEmpty, NumberError::kBadDigit, NumberError::kOverflow}) {
        EXPECT_NE(number_error_message(e)[0], '\0');
    }
}

TEST(ParseNumberExtra, EveryByteValueAloneIsADigitOrAnError) {
    for (int b = 0; b < 256; ++b) {
        const auto r = parse_exact(std::string(1, static_cast<char>(b)));
        if (b >= '0' && b <= '9') {
            EXPECT_EQ(r.value(), static_cast<uint64_t>(b - '0'));
        } else if (b == 'k' || b == 'K' || b == 'm' || b == 'M') {
            EXPECT_EQ(r.error(), NumberError::kEmpty);
        } else {
            EXPECT_EQ(r.error(), NumberError::kBadDigit) << b;
        }
    }
}

TEST(ParseNumberExtra, RandomDecimalAndHexRoundTrip) {
    std::mt19937_64 rng(64);
    for (int round = 0; round < 20000; ++round) {
        const uint64_t v = rng() >> (rng() % 64);
        EXPECT_EQ(parse_exact(std::to_string(v)).value(), v);
        char hex[32];
        snprintf(hex, sizeof hex, round % 2 ? "0x%llx" : "0X%llX",
                 static_cast<unsigned long long>(v));
        EXPECT_EQ(parse_exact(hex).value(), v);
    }
}

TEST(ParseNumberExtra, RandomJunkNeverCrashes) {
    std::mt19937 rng(99);
    const char alphabet[] = "0123456789abcdefABCDEFxXkKmM -+";
    for (int round = 0; round < 50000; ++round) {
        std::string s(rng() % 40, ' ');
        for (char& c : s)
            c = round % 2 ? static_cast<char>(rng() % 256)
                          : alphabet[rng() % (sizeof alphabet - 1)];
        (void)parse_exact(s);
    }
}

}  // namespace
}  // namespace keel
