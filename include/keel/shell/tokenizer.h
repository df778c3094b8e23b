// SPDX-License-Identifier: MIT
// Splits a shell line into words: blanks (spaces, tabs) separate words, "double quotes" group
// text into one word (and may sit mid-word: a"b c"d is `ab cd`), a backslash takes the next byte
// literally, in or out of quotes. Words land in fixed storage, unescaped and NUL-terminated.
#pragma once
#include <keel/lib/format.h>
#include <keel/lib/result.h>
#include <stddef.h>

namespace keel::shell {

inline constexpr size_t kMaxWords = 16;

struct Words {
    char text[256];              // the words, each followed by a NUL
    StringView word[kMaxWords];  // each points into text
    size_t count = 0;
};

enum class TokenizeError {
    kUnterminatedQuote = 1,
    kTrailingBackslash,
    kTooManyWords,
    kTooLong,
};

const char* tokenize_error_message(TokenizeError error);

// Fills `words` from `line`; returns the word count. On error `words` holds nothing useful.
Result<size_t, TokenizeError> tokenize(StringView line, Words& words);

}  // namespace keel::shell
