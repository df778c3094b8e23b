// SPDX-License-Identifier: MIT
// Command-line words: split on spaces and tabs, key before the first '='.
#include <keel/lib/cmdline.h>
#include <keel/lib/memory.h>

namespace keel {

bool equals(StringView text, const char* word) {
    const size_t length = strlen(word);
    return text.size == length && (length == 0 || memcmp(text.data, word, length) == 0);
}

BootOption boot_option(StringView cmdline, const char* key) {
    BootOption result;
    size_t i = 0;
    while (i < cmdline.size) {
        while (i < cmdline.size && (cmdline.data[i] == ' ' || cmdline.data[i] == '\t')) ++i;
        const size_t start = i;
        while (i < cmdline.size && cmdline.data[i] != ' ' && cmdline.data[i] != '\t') ++i;
        if (i == start) break;
        const StringView word{cmdline.data + start, i - start};
        size_t key_length = 0;
        while (key_length < word.size && word.data[key_length] != '=') ++key_length;
        if (!equals(StringView{word.data, key_length}, key)) continue;
        result.found = true;
        result.value = key_length < word.size
                           ? StringView{word.data + key_length + 1, word.size - key_length - 1}
                           : StringView{word.data + word.size, 0};
    }
    return result;
}

}  // namespace keel
