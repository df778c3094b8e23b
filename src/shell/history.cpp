// SPDX-License-Identifier: MIT
// History: newest first; adding shifts the older entries down by one slot.
#include <keel/lib/memory.h>
#include <keel/shell/history.h>

namespace keel::shell {

void History::add(StringView line) {
    if (line.size == 0) return;
    const size_t length = line.size < kMaxLine ? line.size : kMaxLine;
    // Where the line's slot opens: an identical older entry, or else the oldest one.
    size_t slot = count_ < kHistoryDepth ? count_ : kHistoryDepth - 1;
    for (size_t i = 0; i < count_; ++i) {
        if (StringView{entries_[i].text, entries_[i].length}.equals(
                StringView{line.data, length})) {
            slot = i;
            break;
        }
    }
    if (slot == count_) ++count_;
    for (size_t i = slot; i > 0; --i) entries_[i] = entries_[i - 1];
    memcpy(entries_[0].text, line.data, length);
    entries_[0].length = length;
}

StringView History::at(size_t age) const {
    return StringView{entries_[age].text, entries_[age].length};
}

}  // namespace keel::shell
