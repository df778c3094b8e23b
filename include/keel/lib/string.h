// SPDX-License-Identifier: MIT
// String: a heap-built, always NUL-terminated string on Vector<char>. Appends that cannot get
// memory report false and leave the string unchanged.
#pragma once
#include <keel/lib/format.h>
#include <keel/lib/vector.h>
#include <stddef.h>

namespace keel {

class String final : public FormatSink {
public:
    String() = default;

    [[nodiscard]] bool append(const char* text, size_t length);
    [[nodiscard]] bool append(const char* text);
    [[nodiscard]] bool append(char c) { return append(&c, 1); }

    // Appends formatted text (keel::format syntax); false if the heap ran out part way.
    template <typename... Args>
    [[nodiscard]] bool append_format(const char* format, const Args&... args) {
        failed_ = false;
        keel::format(*this, format, args...);
        return !failed_;
    }

    const char* c_str() const { return chars_.empty() ? "" : chars_.data(); }
    size_t size() const { return chars_.empty() ? 0 : chars_.size() - 1; }
    StringView view() const { return StringView{c_str(), size()}; }

    void write(const char* text, size_t length) override {
        failed_ = !append(text, length) || failed_;
    }

private:
    Vector<char> chars_;  // the text plus its terminating NUL, once non-empty
    bool failed_ = false;
};

}  // namespace keel
