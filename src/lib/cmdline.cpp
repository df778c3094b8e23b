// SPDX-License-Identifier: MIT
// Command-line words: split on blanks (string_view.h), key before the first '='.
#include <keel/lib/cmdline.h>
#include <keel/lib/memory.h>

namespace keel {

BootOption boot_option(StringView cmdline, const char* key) {
    BootOption result;
    size_t at = 0;
    for (StringView word = next_word(cmdline, at); !word.empty(); word = next_word(cmdline, at)) {
        size_t key_length = 0;
        while (key_length < word.size && word.data[key_length] != '=') ++key_length;
        if (!equals(StringView{word.data, key_length}, key)) continue;
        result.found = true;
        result.value = word.after(key_length + 1);
    }
    return result;
}

}  // namespace keel
