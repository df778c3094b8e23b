// SPDX-License-Identifier: MIT
// History: the last 16 distinct lines the shell ran, newest first, in fixed storage (the heap is a
// bump allocator; the shell must not allocate per line).
#pragma once
#include <keel/lib/format.h>
#include <stddef.h>

namespace keel::shell {

inline constexpr size_t kMaxLine = 255;
inline constexpr size_t kHistoryDepth = 16;

class History {
public:
    // Records `line` as the newest entry. Empty lines are ignored; an older identical entry moves
    // to the front instead of appearing twice; beyond kHistoryDepth the oldest is forgotten.
    void add(StringView line);

    size_t size() const { return count_; }
    // 0 is the newest entry. `age` must be < size().
    StringView at(size_t age) const;

private:
    struct Entry {
        char text[kMaxLine];
        size_t length;
    };
    Entry entries_[kHistoryDepth] = {};  // entries_[0] is the newest
    size_t count_ = 0;
};

}  // namespace keel::shell
