// SPDX-License-Identifier: MIT
// Fuzzes tokenize() with any line: it reads only the line's bytes, its words lie in order inside
// Words::text, each NUL-terminated, and it agrees with the model (tests/host/tokenizer_model.h) on
// the words or the exact error.
#include <keel/shell/tokenizer.h>

#include <string>

#include "fuzz_support.h"
#include "tokenizer_model.h"

using namespace keel;
using namespace keel::shell;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fuzz::ExactCopy line(data, size);
    Words words;
    const auto result = tokenize(line.view(), words);
    const test::TokenizeModel want = test::tokenize_model(std::string(line.chars(), size));

    fuzz::check(result.ok() == want.ok,
                "tokenize and the model disagree on whether the line splits");
    if (!result.ok()) {
        fuzz::check(result.error() == want.error, "tokenize and the model give different errors");
        fuzz::check(words.count == 0, "words left behind after an error");
        return 0;
    }
    fuzz::check(result.value() == words.count, "the count returned is not Words::count");
    fuzz::check(words.count == want.words.size(), "a different number of words than the model");
    const char* free_from = words.text;  // the next word starts at or after this
    for (size_t i = 0; i < words.count; ++i) {
        const StringView word = words.word[i];
        fuzz::check(word.data >= free_from, "words overlap or are out of order");
        fuzz::check(fuzz::inside(word.data, word.size + 1, words.text, sizeof words.text),
                    "a word or its NUL lies outside Words::text");
        fuzz::check(word.data[word.size] == '\0', "a word is not NUL-terminated");
        fuzz::check(std::string(word.data, word.size) == want.words[i],
                    "a word differs from the model");
        free_from = word.data + word.size + 1;
    }
    return 0;
}
