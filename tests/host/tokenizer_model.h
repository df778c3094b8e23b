// SPDX-License-Identifier: MIT
// The tokenizer's rules written a second way, the obvious way with std::string, for the model test
// and the fuzzer to hold tokenize() against. Plain C++ without GoogleTest.
#pragma once
#include <keel/shell/tokenizer.h>
#include <stddef.h>

#include <string>
#include <vector>

namespace keel::shell::test {

inline constexpr size_t kText = sizeof Words::text;  // every word and its NUL must fit here

// The words, or the first error met reading left to right.
struct TokenizeModel {
    bool ok;
    TokenizeError error;
    std::vector<std::string> words;
};

inline TokenizeModel tokenize_model(const std::string& line) {
    TokenizeModel m{true, TokenizeError{}, {}};
    size_t i = 0, out = 0;
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (true) {
        while (i < line.size() && blank(line[i])) ++i;
        if (i == line.size()) return m;
        if (m.words.size() == kMaxWords) return {false, TokenizeError::kTooManyWords, {}};
        std::string word;
        bool quoted = false;
        for (; i < line.size() && (quoted || !blank(line[i])); ++i) {
            char c = line[i];
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (c == '\\') {
                if (++i == line.size()) return {false, TokenizeError::kTrailingBackslash, {}};
                c = line[i];
            }
            word += c;
            if (out + word.size() + 1 > kText) return {false, TokenizeError::kTooLong, {}};
        }
        if (quoted) return {false, TokenizeError::kUnterminatedQuote, {}};
        // The NUL needs a byte too: an empty word ("") has no character that checked for it.
        if (out + word.size() + 1 > kText) return {false, TokenizeError::kTooLong, {}};
        out += word.size() + 1;
        m.words.push_back(word);
    }
}

}  // namespace keel::shell::test
