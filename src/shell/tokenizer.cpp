// SPDX-License-Identifier: MIT
// The tokenizer: one pass over the line with two states (inside quotes or not). Every byte written
// to the text is checked against its end first: a word's characters, and its NUL, which an empty
// word ("") needs as much as any other. Words take at most one byte more than the line (each NUL
// but the last stands for a blank), so only lines over 255 bytes can run out of room.
#include <keel/shell/tokenizer.h>

namespace keel::shell {
namespace {

Result<size_t, TokenizeError> split(StringView line, Words& words) {
    words.count = 0;
    size_t out = 0;
    size_t i = 0;
    while (true) {
        skip_blanks(line, i);
        if (i == line.size) break;
        if (words.count == kMaxWords) return TokenizeError::kTooManyWords;
        const size_t start = out;
        bool quoted = false;
        for (; i < line.size && (quoted || !is_blank(line.data[i])); ++i) {
            char c = line.data[i];
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (c == '\\') {
                if (++i == line.size) return TokenizeError::kTrailingBackslash;
                c = line.data[i];
            }
            if (out + 1 >= sizeof words.text) return TokenizeError::kTooLong;  // c and a NUL
            words.text[out++] = c;
        }
        if (quoted) return TokenizeError::kUnterminatedQuote;
        if (out >= sizeof words.text) return TokenizeError::kTooLong;  // an empty word's NUL
        words.text[out] = '\0';
        words.word[words.count++] = StringView{words.text + start, out - start};
        ++out;  // past the NUL
    }
    return words.count;
}

}  // namespace

const char* tokenize_error_message(TokenizeError error) {
    switch (error) {
    case TokenizeError::kUnterminatedQuote: return "unterminated quote";
    case TokenizeError::kTrailingBackslash: return "backslash at the end of the line";
    case TokenizeError::kTooManyWords: return "too many words (at most 16)";
    case TokenizeError::kTooLong: return "line too long";
    }
    return "bad line";
}

Result<size_t, TokenizeError> tokenize(StringView line, Words& words) {
    const auto result = split(line, words);
    if (!result.ok()) words.count = 0;  // no half-filled words after an error
    return result;
}

}  // namespace keel::shell
