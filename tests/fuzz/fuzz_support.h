// SPDX-License-Identifier: MIT
// What keel's fuzzers share: exact-size heap copies of the input, so that AddressSanitizer reports
// a read even one byte past what the code under test was given, and invariant checks that stop the
// run with a message, which libFuzzer records as a crash together with the input.
#pragma once
#include <keel/lib/format.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memory>
#include <string>

namespace keel::fuzz {

// `size` bytes in a heap block of exactly that size (of one byte, never read, when `size` is 0),
// optionally followed by a NUL for code that takes a C string.
class ExactCopy {
public:
    enum class Nul { kNone, kAppend };

    ExactCopy(const void* data, size_t size, Nul nul = Nul::kNone)
        : bytes_(new char[size + (nul == Nul::kAppend ? 1 : 0) + (size == 0 ? 1 : 0)]),
          size_(size) {
        if (size > 0) memcpy(bytes_.get(), data, size);
        if (nul == Nul::kAppend) bytes_[size] = '\0';
    }
    explicit ExactCopy(const std::string& text, Nul nul = Nul::kNone)
        : ExactCopy(text.data(), text.size(), nul) {}

    const char* chars() const { return bytes_.get(); }
    const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(bytes_.get()); }
    size_t size() const { return size_; }
    StringView view() const { return StringView{chars(), size_}; }

private:
    std::unique_ptr<char[]> bytes_;
    size_t size_;
};

// Stops the run when an invariant does not hold.
inline void check(bool holds, const char* invariant) {
    if (holds) return;
    fprintf(stderr, "keel fuzz: invariant broken: %s\n", invariant);
    abort();
}

// Whether [at, at + length) lies inside [begin, begin + size).
inline bool inside(const void* at, size_t length, const void* begin, size_t size) {
    const auto a = reinterpret_cast<uintptr_t>(at);
    const auto b = reinterpret_cast<uintptr_t>(begin);
    return a >= b && length <= size && a - b <= size - length;
}

// A sink that keeps everything written to it.
class StringSink final : public FormatSink {
public:
    void write(const char* text, size_t length) override { text_.append(text, length); }
    const std::string& text() const { return text_; }
    void clear() { text_.clear(); }

private:
    std::string text_;
};

}  // namespace keel::fuzz
