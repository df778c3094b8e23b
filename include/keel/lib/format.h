// SPDX-License-Identifier: MIT
// Type-safe formatted output without C varargs. Each argument becomes a FormatArg that remembers
// its kind, so `{}` prints it the way its type says; a mismatch cannot read the wrong bytes.
//
// Placeholders: {} or {:SPEC}, SPEC = [<|>][#][0][width][type]
//   type  d decimal   x/X hex   o octal   b binary   c char   s string   p pointer (0x + 16 hex
//         digits)
//         e string with control bytes, bytes >= 0x7f and backslashes escaped (\x1b, \\)
//   #     0x / 0 / 0b prefix for x and X, o, b      0  pad numbers with zeros to the width
//   <  >  left / right align (numbers align right and text left by default)
// {{ and }} print braces. A placeholder without an argument prints {?}; a bad spec prints {!}.
// Negative numbers print as a sign and a magnitude in every base (-0x10).
#pragma once
#include <keel/lib/string_view.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

class FormatArg {
public:
    enum class Kind : uint8_t { kNone, kSigned, kUnsigned, kBool, kChar, kString, kPointer };

    constexpr FormatArg() : kind_(Kind::kNone), value_{.u = 0} {}
    constexpr FormatArg(signed char v) : kind_(Kind::kSigned), value_{.i = v} {}
    constexpr FormatArg(short v) : kind_(Kind::kSigned), value_{.i = v} {}
    constexpr FormatArg(int v) : kind_(Kind::kSigned), value_{.i = v} {}
    constexpr FormatArg(long v) : kind_(Kind::kSigned), value_{.i = v} {}
    constexpr FormatArg(long long v) : kind_(Kind::kSigned), value_{.i = v} {}
    constexpr FormatArg(unsigned char v) : kind_(Kind::kUnsigned), value_{.u = v} {}
    constexpr FormatArg(unsigned short v) : kind_(Kind::kUnsigned), value_{.u = v} {}
    constexpr FormatArg(unsigned v) : kind_(Kind::kUnsigned), value_{.u = v} {}
    constexpr FormatArg(unsigned long v) : kind_(Kind::kUnsigned), value_{.u = v} {}
    constexpr FormatArg(unsigned long long v) : kind_(Kind::kUnsigned), value_{.u = v} {}
    constexpr FormatArg(bool v) : kind_(Kind::kBool), value_{.u = v} {}
    constexpr FormatArg(char v) : kind_(Kind::kChar), value_{.u = static_cast<unsigned char>(v)} {}
    constexpr FormatArg(const char* s) : kind_(Kind::kString), value_{.s = {s, kMeasure}} {}
    constexpr FormatArg(char* s) : kind_(Kind::kString), value_{.s = {s, kMeasure}} {}
    constexpr FormatArg(StringView s) : kind_(Kind::kString), value_{.s = {s.data, s.size}} {}
    constexpr FormatArg(decltype(nullptr)) : kind_(Kind::kPointer), value_{.p = nullptr} {}
    template <typename T>
    constexpr FormatArg(T* p) : kind_(Kind::kPointer), value_{.p = p} {}

    Kind kind() const { return kind_; }
    int64_t as_signed() const { return value_.i; }
    uint64_t as_unsigned() const { return value_.u; }
    const void* as_pointer() const { return value_.p; }
    StringView as_string() const;  // "(null)" for a null C string

private:
    static constexpr size_t kMeasure = static_cast<size_t>(-1);  // "measure with strlen"
    Kind kind_;
    union {
        int64_t i;
        uint64_t u;
        const void* p;
        StringView s;
    } value_;
};

// Where formatted text goes. Implementations: the console, a fixed buffer, a growable String.
class FormatSink {
public:
    virtual void write(const char* text, size_t length) = 0;

protected:
    ~FormatSink() = default;
};

// Writes into a caller's buffer, always NUL-terminated, dropping what does not fit.
class BufferSink final : public FormatSink {
public:
    BufferSink(char* buffer, size_t capacity);
    void write(const char* text, size_t length) override;
    size_t length() const { return length_; }
    bool truncated() const { return truncated_; }

private:
    char* buffer_;
    size_t capacity_;
    size_t length_ = 0;
    bool truncated_ = false;
};

void vformat(FormatSink& out, const char* format, const FormatArg* args, size_t count);

// The ending a noun takes after `count`: `one` for exactly one, `many` for any other count:
// "{} hart{}" with (n, plural(n)) says "1 hart", "0 harts", "2 harts"; plural(n, "y", "ies")
// for "directory".
constexpr const char* plural(uint64_t count, const char* one = "", const char* many = "s") {
    return count == 1 ? one : many;
}

template <typename... Args>
void format(FormatSink& out, const char* format, const Args&... args) {
    const FormatArg list[] = {FormatArg(args)..., FormatArg()};  // trailing entry: never empty
    vformat(out, format, list, sizeof...(Args));
}

// Formats into `buffer` (always NUL-terminated); returns the length written.
template <typename... Args>
size_t format_to(char* buffer, size_t capacity, const char* format, const Args&... args) {
    BufferSink sink(buffer, capacity);
    keel::format(sink, format, args...);
    return sink.length();
}

}  // namespace keel
