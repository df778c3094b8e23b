// SPDX-License-Identifier: MIT
// The tokenizer against a reference model: exact-size buffers so ASan sees any
// read past line.size, every byte value, and a reference model compared on random lines.
#include "tokenizer_model.h"

#include <gtest/gtest.h>
#include <keel/shell/tokenizer.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace keel::shell {
namespace {

// A heap copy with no NUL after it and no spare capacity: reading line[size] is an ASan error.
struct ExactLine {
    explicit ExactLine(const std::string& s)
        : bytes(new char[s.size() ? s.size() : 1]), size(s.size()) {
        if (!s.empty()) memcpy(bytes.get(), s.data(), s.size());
    }
    StringView view() const { return StringView{size ? bytes.get() : nullptr, size}; }
    std::unique_ptr<char[]> bytes;
    size_t size;
};

using Model = test::TokenizeModel;
using test::tokenize_model;

// Runs the tokenizer on an exact-size copy and checks every invariant of a good answer.
Model run(const std::string& line) {
    ExactLine exact(line);
    Words words;
    const auto result = tokenize(exact.view(), words);
    if (!result.ok()) return {false, result.error(), {}};
    EXPECT_EQ(result.value(), words.count);
    EXPECT_LE(words.count, kMaxWords);
    std::vector<std::string> out;
    const char* previous_end = words.text;
    for (size_t i = 0; i < words.count; ++i) {
        const StringView w = words.word[i];
        EXPECT_GE(w.data, previous_end) << "words overlap";
        EXPECT_LT(w.data + w.size, words.text + sizeof words.text) << "word past the storage";
        EXPECT_EQ(w.data[w.size], '\0') << "word " << i << " not terminated";
        previous_end = w.data + w.size + 1;
        out.emplace_back(w.data, w.size);
    }
    return {true, TokenizeError{}, out};
}

void expect_matches_model(const std::string& line) {
    const Model want = tokenize_model(line), got = run(line);
    ASSERT_EQ(got.ok, want.ok) << testing::PrintToString(line);
    if (want.ok) {
        ASSERT_EQ(got.words, want.words) << testing::PrintToString(line);
    } else {
        ASSERT_EQ(got.error, want.error) << testing::PrintToString(line);
    }
}

using V = std::vector<std::string>;

TEST(TokenizerExtra, StopsReadingAtTheLineSize) {
    const char buffer[] = "ab\"cd";
    Words words;
    const auto result = tokenize(StringView{buffer, 3}, words);  // `ab"`: the quote is open
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), TokenizeError::kUnterminatedQuote);
    EXPECT_EQ(run("a\\").error, TokenizeError::kTrailingBackslash);  // exact-size: ASan watches
}

TEST(TokenizerExtra, NullEmptyLineHasNoWords) {
    Words words;
    const auto result = tokenize(StringView{nullptr, 0}, words);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.value(), 0u);
}

TEST(TokenizerExtra, BackslashEscapesAnOrdinaryCharacterToItself) {
    EXPECT_EQ(run("\\a\\b").words, V{"ab"});
}

TEST(TokenizerExtra, BackslashEscapesATab) {
    EXPECT_EQ(run("a\\\tb").words, V{"a\tb"});
}

TEST(TokenizerExtra, EscapedBackslashInsideQuotesIsOneBackslash) {
    EXPECT_EQ(run("\"a\\\\b\"").words, V{"a\\b"});
}

TEST(TokenizerExtra, TrailingBackslashInsideOpenQuotesIsATrailingBackslash) {
    EXPECT_EQ(run("\"abc\\").error, TokenizeError::kTrailingBackslash);
}

TEST(TokenizerExtra, EscapedQuoteDoesNotOpenAQuote) {
    EXPECT_EQ(run("\\\"a b").words, (V{"\"a", "b"}));
}

TEST(TokenizerExtra, SixteenWordsWithTrailingBlanksFit) {
    std::string line;
    for (int i = 0; i < 16; ++i) line += "w \t";
    EXPECT_TRUE(run(line + "   ").ok);
    EXPECT_EQ(run(line).words.size(), 16u);
}

TEST(TokenizerExtra, SeventeenEmptyQuotedWordsAreTooMany) {
    std::string line;
    for (int i = 0; i < 17; ++i) line += "\"\" ";
    EXPECT_EQ(run(line).error, TokenizeError::kTooManyWords);
}

TEST(TokenizerExtra, AWordOf256BytesIsTooLongAtTheExactBoundary) {
    EXPECT_EQ(run(std::string(255, 'x')).words.size(), 1u);                // 255 + NUL = 256: fits
    EXPECT_EQ(run(std::string(256, 'x')).error, TokenizeError::kTooLong);  // needs 257
    EXPECT_EQ(run(std::string(254, 'x') + " y").error, TokenizeError::kTooLong);  // 255+2 = 257
}

// An empty word ("") still takes a byte, its NUL: 255 bytes of word and their NUL fill the text.
TEST(TokenizerExtra, AnEmptyQuotedWordAfterA255ByteWordIsTooLong) {
    EXPECT_EQ(run(std::string(255, 'a') + " \"\"").error, TokenizeError::kTooLong);
}

TEST(TokenizerExtra, AnEmptyQuotedWordPastTheTextIsTooLongEvenWithWordsAfterIt) {
    EXPECT_EQ(run(std::string(255, 'a') + " \"\" b").error, TokenizeError::kTooLong);
}

TEST(TokenizerExtra, AnEmptyQuotedWordWhoseNulTakesTheLastByteFits) {
    const Model got = run(std::string(254, 'a') + " \"\"");  // 255 + 1 = 256
    ASSERT_TRUE(got.ok);
    EXPECT_EQ(got.words, (V{std::string(254, 'a'), ""}));
}

TEST(TokenizerExtra, A256ByteWordBeforeAnEmptyQuotedWordIsTooLong) {
    EXPECT_EQ(run(std::string(256, 'a') + " \"\"").error, TokenizeError::kTooLong);
}

TEST(TokenizerExtra, EmptyWordsAtTheEndFitUntilTheirNulsFillTheText) {
    const Model got = run(std::string(252, 'a') + " \"\" \"\" \"\"");  // 253 + 3 = 256
    ASSERT_TRUE(got.ok);
    EXPECT_EQ(got.words, (V{std::string(252, 'a'), "", "", ""}));
}

TEST(TokenizerExtra, EmptyWordsAtTheEndOneNulPastTheTextAreTooLong) {
    EXPECT_EQ(run(std::string(253, 'a') + " \"\" \"\" \"\"").error, TokenizeError::kTooLong);
}

TEST(TokenizerExtra, EveryErrorHasAShortOneLineMessage) {
    for (TokenizeError e : {TokenizeError::kUnterminatedQuote, TokenizeError::kTrailingBackslash,
                            TokenizeError::kTooManyWords, TokenizeError::kTooLong}) {
        const std::string message = tokenize_error_message(e);
        EXPECT_FALSE(message.empty());
        EXPECT_EQ(message.find('\n'), std::string::npos);
        EXPECT_LT(message.size(), 60u);
    }
    EXPECT_STREQ(tokenize_error_message(TokenizeError::kTooManyWords),
                 "too many words (at most 16)");
}

TEST(TokenizerExtra, EveryByteValueAloneAndInsideAWordMatchesTheRules) {
    for (int b = 0; b < 256; ++b) {
        const std::string c(1, static_cast<char>(b));
        expect_matches_model(c);
        expect_matches_model("x" + c + "y");
        expect_matches_model("\"" + c + "\"");
        expect_matches_model("\\" + c);
    }
}

TEST(TokenizerExtra, AllByteValuesInOneLineAreOrdinaryCharacters) {
    std::string line;
    for (int b = 1; b < 256; ++b)
        if (b != ' ' && b != '\t' && b != '"' && b != '\\') line += static_cast<char>(b);
    line += '\0';
    const Model got = run(line);
    ASSERT_TRUE(got.ok);
    EXPECT_EQ(got.words, V{line});
}

TEST(TokenizerExtra, RandomLinesOfStructuralBytesMatchTheModel) {
    std::mt19937 rng(20261123);
    const char alphabet[] = "ab \t\"\\";
    for (int round = 0; round < 50000; ++round) {
        std::string line(rng() % 300, ' ');
        for (char& c : line) c = alphabet[rng() % (sizeof alphabet - 1)];
        expect_matches_model(line);
    }
}

TEST(TokenizerExtra, RandomJunkOfAnyByteMatchesTheModel) {
    std::mt19937 rng(7);
    for (int round = 0; round < 50000; ++round) {
        std::string line(rng() % 300, ' ');
        for (char& c : line) c = static_cast<char>(rng() % 256);
        expect_matches_model(line);
    }
}

// Lines whose words end near the text's last byte, with empty words ("") where the room runs out:
// random lines of any byte rarely land exactly there.
TEST(TokenizerExtra, RandomLinesNearTheTextLimitMatchTheModel) {
    std::mt19937 rng(256);
    const char* pieces[] = {"\"\"", "\"\"", "\"\"\"\"", "a\"\"", "\\ ", "\"a b\""};
    for (int round = 0; round < 20000; ++round) {
        std::string line(230 + rng() % 30, 'x');
        while (line.size() < 262) {
            line += rng() % 3 ? " " : " \t ";
            line += rng() % 4 ? pieces[rng() % std::size(pieces)] : std::string(rng() % 4, 'y');
        }
        expect_matches_model(line);
    }
}

TEST(TokenizerExtra, AnyLineOf255BytesNeverReportsTooLong) {
    std::mt19937 rng(255);
    const char alphabet[] = "ab \t\"\\";
    for (int round = 0; round < 20000; ++round) {
        std::string line(rng() % 256, ' ');
        for (char& c : line) c = alphabet[rng() % (sizeof alphabet - 1)];
        const Model got = run(line);
        if (!got.ok) {
            ASSERT_NE(got.error, TokenizeError::kTooLong) << testing::PrintToString(line);
        }
    }
}

}  // namespace
}  // namespace keel::shell
