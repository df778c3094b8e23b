// SPDX-License-Identifier: MIT
// Device-tree property values (Devicetree Specification v0.4, §2.2.4): cells, 64-bit numbers,
// strings and string lists, each read only after checking the value's length. Portable.
#include <keel/lib/big_endian.h>
#include <keel/lib/fdt.h>
#include <keel/lib/memory.h>

namespace keel::fdt {
namespace {

// `at` when a NUL ends its string before `end`, else `end`: a string that runs off the value's
// end is not a string.
const char* terminated_or_end(const char* at, const char* end) {
    for (const char* p = at; p < end; ++p) {
        if (*p == '\0') return at;
    }
    return end;
}

}  // namespace

Result<uint32_t, Error> Property::u32(size_t index) const {
    if (index >= size_ / 4) return Error::kBadValue;
    return load_be32(data_ + index * 4);
}

Result<uint64_t, Error> Property::u64(size_t index) const {
    if (index >= size_ / 8) return Error::kBadValue;
    return load_be64(data_ + index * 8);
}

Result<uint64_t, Error> Property::number() const {
    if (size_ == 4) return uint64_t{load_be32(data_)};
    if (size_ == 8) return load_be64(data_);
    return Error::kBadValue;
}

Result<uint64_t, Error> Property::cells(size_t first, uint32_t count) const {
    if (count < 1 || count > 2) return Error::kBadCells;
    const size_t available = size_ / 4;
    if (first >= available || count > available - first) return Error::kBadValue;
    uint64_t value = 0;
    for (uint32_t i = 0; i < count; ++i) value = value << 32 | load_be32(data_ + (first + i) * 4);
    return value;
}

Result<const char*, Error> Property::string() const {
    const char* text = reinterpret_cast<const char*>(data_);
    if (size_ == 0 || terminated_or_end(text, text + size_) != text) return Error::kBadValue;
    return text;
}

Property::Strings Property::strings() const {
    const char* text = reinterpret_cast<const char*>(data_);
    return Strings(text, text + size_);
}

bool Property::string_list_contains(const char* text) const {
    if (text == nullptr) return false;
    for (const char* entry : strings()) {
        if (strcmp(entry, text) == 0) return true;
    }
    return false;
}

Property::Strings::Iterator Property::Strings::begin() const {
    return Iterator(terminated_or_end(begin_, end_), end_);
}

Property::Strings::Iterator& Property::Strings::Iterator::operator++() {
    const char* p = at_;
    while (p < end_ && *p != '\0') ++p;
    at_ = p < end_ ? terminated_or_end(p + 1, end_) : end_;
    return *this;
}

}  // namespace keel::fdt
