// SPDX-License-Identifier: MIT
// Candidates: names kept in one block of text, with a sorted index over them.
#include <keel/lib/memory.h>
#include <keel/shell/completion.h>

namespace keel::shell {
namespace {

// Byte order, as strcmp's: a prefix sorts before what extends it.
int compare(StringView a, StringView b) {
    const size_t common = a.size < b.size ? a.size : b.size;
    const int bytes = common == 0 ? 0 : memcmp(a.data, b.data, common);
    if (bytes != 0) return bytes;
    return a.size < b.size ? -1 : a.size > b.size ? 1 : 0;
}

}  // namespace

void Candidates::clear() {
    count_ = 0;
    used_ = 0;
    left_out_ = 0;
}

StringView Candidates::name(size_t index) const {
    return StringView{text_ + entries_[index].offset, entries_[index].length};
}

size_t Candidates::lower_bound(StringView name) const {
    size_t low = 0;
    size_t high = count_;
    while (low < high) {
        const size_t middle = low + (high - low) / 2;
        if (compare(this->name(middle), name) < 0) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low;
}

void Candidates::add(StringView name, bool directory) {
    const size_t at = lower_bound(name);
    if (at < count_ && compare(this->name(at), name) == 0) return;  // there already
    if (count_ == kMaxNames || name.size > kMaxName || name.size > kTextBytes - used_) {
        ++left_out_;
        return;
    }
    memcpy(text_ + used_, name.data, name.size);
    memmove(entries_ + at + 1, entries_ + at, (count_ - at) * sizeof entries_[0]);
    entries_[at] = Entry{static_cast<uint16_t>(used_), static_cast<uint8_t>(name.size), directory};
    used_ += name.size;
    ++count_;
}

}  // namespace keel::shell
