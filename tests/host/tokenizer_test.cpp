// SPDX-License-Identifier: MIT
// Shell words: blanks, quotes, backslashes, and the errors.
#include <gtest/gtest.h>
#include <keel/shell/tokenizer.h>

#include <random>
#include <string>
#include <vector>

namespace keel::shell {
namespace {

std::vector<std::string> words_of(const std::string& line) {
    Words words;
    const auto result = tokenize(StringView{line.data(), line.size()}, words);
    EXPECT_TRUE(result.ok()) << line;
    std::vector<std::string> out;
    for (size_t i = 0; i < words.count; ++i) {
        out.emplace_back(words.word[i].data, words.word[i].size);
        EXPECT_EQ(words.word[i].data[words.word[i].size], '\0')
            << "word " << i << " not terminated";
    }
    return out;
}

TokenizeError error_of(const std::string& line) {
    Words words;
    const auto result = tokenize(StringView{line.data(), line.size()}, words);
    EXPECT_FALSE(result.ok()) << line;
    return result.error();
}

using V = std::vector<std::string>;

TEST(Tokenizer, SplitsOnRunsOfSpacesAndTabs) {
    EXPECT_EQ(words_of("  alloc\t 64K \t16  "), (V{"alloc", "64K", "16"}));
}

TEST(Tokenizer, EmptyAndBlankLinesHaveNoWords) {
    EXPECT_EQ(words_of(""), V{});
    EXPECT_EQ(words_of(" \t "), V{});
}

TEST(Tokenizer, QuotesGroupBlanksIntoOneWord) {
    EXPECT_EQ(words_of("echo \"two  words\" x"), (V{"echo", "two  words", "x"}));
}

TEST(Tokenizer, QuotesMayOpenAndCloseMidWord) {
    EXPECT_EQ(words_of("a\"b c\"d"), (V{"ab cd"}));
}

TEST(Tokenizer, EmptyQuotesAreAnEmptyWord) {
    EXPECT_EQ(words_of("echo \"\" end"), (V{"echo", "", "end"}));
}

TEST(Tokenizer, BackslashTakesTheNextByteLiterally) {
    EXPECT_EQ(words_of("a\\ b \\\"q\\\" \\\\"), (V{"a b", "\"q\"", "\\"}));
}

TEST(Tokenizer, BackslashWorksInsideQuotes) {
    EXPECT_EQ(words_of("\"say \\\"hi\\\"\""), (V{"say \"hi\""}));
}

TEST(Tokenizer, UnterminatedQuoteIsAnError) {
    EXPECT_EQ(error_of("echo \"open"), TokenizeError::kUnterminatedQuote);
    EXPECT_STREQ(tokenize_error_message(TokenizeError::kUnterminatedQuote), "unterminated quote");
}

TEST(Tokenizer, TrailingBackslashIsAnError) {
    EXPECT_EQ(error_of("echo a\\"), TokenizeError::kTrailingBackslash);
}

TEST(Tokenizer, SixteenWordsFitAndSeventeenDoNot) {
    std::string sixteen;
    for (int i = 0; i < 16; ++i) sixteen += "w ";
    EXPECT_EQ(words_of(sixteen).size(), 16u);
    EXPECT_EQ(error_of(sixteen + "w"), TokenizeError::kTooManyWords);
}

TEST(Tokenizer, ALineOf255BytesAlwaysFits) {
    EXPECT_EQ(words_of(std::string(255, 'x')).size(), 1u);
    // The fullest case: 16 words of 15 bytes and 15 blanks = 255 bytes in, 16 x 16 = 256 out.
    std::string full = std::string(15, 'w');
    for (int i = 1; i < 16; ++i) full += " " + std::string(15, 'w');
    ASSERT_EQ(full.size(), 255u);
    EXPECT_EQ(words_of(full).size(), 16u);
}

TEST(Tokenizer, LongerThanTheBufferIsAnError) {
    EXPECT_EQ(error_of(std::string(300, 'x')), TokenizeError::kTooLong);
}

TEST(Tokenizer, AnyByteValueIsAnOrdinaryCharacter) {
    const std::string odd = std::string("a\0b\xff", 4);
    const auto words = words_of(odd);
    ASSERT_EQ(words.size(), 1u);
    EXPECT_EQ(words[0], odd);
}

TEST(Tokenizer, RandomLinesNeverOverrunTheWords) {
    std::mt19937 rng(42);
    const char alphabet[] = "ab \t\"\\";
    for (int round = 0; round < 20000; ++round) {
        std::string line(rng() % 256, ' ');
        for (char& c : line) c = alphabet[rng() % (sizeof alphabet - 1)];
        Words words;
        const auto result = tokenize(StringView{line.data(), line.size()}, words);
        if (!result.ok()) continue;
        ASSERT_LE(words.count, kMaxWords);
        for (size_t i = 0; i < words.count; ++i) {
            ASSERT_GE(words.word[i].data, words.text);
            ASSERT_LE(words.word[i].data + words.word[i].size, words.text + sizeof words.text - 1);
        }
    }
}

}  // namespace
}  // namespace keel::shell
