// SPDX-License-Identifier: MIT
// The formatter behind keel::format: parses {:SPEC} placeholders and renders one FormatArg each.
// Portable: the kernel and the host unit tests compile this same file.
#include <keel/lib/format.h>
#include <keel/lib/memory.h>

namespace keel {
namespace {

struct Spec {
    char align = 0;  // '<', '>' or 0 for the kind's default
    bool alternate = false;
    bool zero_pad = false;
    size_t width = 0;
    char type = 0;  // 0 = the kind's default
};

constexpr size_t kMaxWidth = 64;

bool contains(const char* set, char c) {
    for (; *set != '\0'; ++set) {
        if (*set == c) return true;
    }
    return false;
}

void pad(FormatSink& out, char fill, size_t count) {
    char chunk[16];
    for (char& c : chunk) c = fill;
    while (count > 0) {
        const size_t n = count < sizeof chunk ? count : sizeof chunk;
        out.write(chunk, n);
        count -= n;
    }
}

// Parses SPEC (the text between ':' and '}'). Returns false for anything outside the grammar.
bool parse_spec(const char* text, size_t length, Spec& spec) {
    size_t i = 0;
    if (i < length && (text[i] == '<' || text[i] == '>')) spec.align = text[i++];
    if (i < length && text[i] == '#') spec.alternate = true, ++i;
    if (i < length && text[i] == '0') spec.zero_pad = true, ++i;
    while (i < length && text[i] >= '0' && text[i] <= '9') {
        spec.width = spec.width * 10 + static_cast<size_t>(text[i++] - '0');
        if (spec.width > kMaxWidth) return false;
    }
    if (i < length) {
        spec.type = text[i++];
        if (!contains("dxXobcsep", spec.type)) return false;
    }
    return i == length;
}

// Writes `body` (with an optional sign/prefix in front) padded to the spec's width.
void emit_padded(FormatSink& out, const Spec& spec, bool numeric, const char* prefix,
                 const char* body, size_t body_length) {
    const size_t prefix_length = strlen(prefix);
    const size_t length = prefix_length + body_length;
    const size_t fill = spec.width > length ? spec.width - length : 0;
    const bool left = spec.align == '<' || (spec.align == 0 && !numeric);
    if (numeric && spec.zero_pad && spec.align == 0) {
        out.write(prefix, prefix_length);  // zeros go between the prefix and the digits
        pad(out, '0', fill);
        out.write(body, body_length);
        return;
    }
    if (!left) pad(out, ' ', fill);
    out.write(prefix, prefix_length);
    out.write(body, body_length);
    if (left) pad(out, ' ', fill);
}

void emit_number(FormatSink& out, const Spec& spec, bool negative, uint64_t magnitude) {
    const char type = spec.type == 0 ? 'd' : spec.type;
    const unsigned base = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : type == 'b' ? 2 : 10;
    const char* digits = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char buffer[64];
    size_t at = sizeof buffer;
    do {
        buffer[--at] = digits[magnitude % base];
        magnitude /= base;
    } while (magnitude != 0);

    char prefix[4] = {};
    size_t p = 0;
    if (negative) prefix[p++] = '-';
    if (spec.alternate && base != 10) {
        prefix[p++] = '0';
        if (base != 8) prefix[p++] = base == 16 ? 'x' : 'b';
    }
    emit_padded(out, spec, true, prefix, buffer + at, sizeof buffer - at);
}

void emit_text(FormatSink& out, const Spec& spec, const char* text, size_t length) {
    emit_padded(out, spec, false, "", text, length);
}

// How many bytes `c` takes when escaped: itself, or \\ or \xNN.
size_t escaped_length(unsigned char c) {
    if (c == '\\') return 2;
    return c < 0x20 || c >= 0x7f ? 4 : 1;
}

// {:e}: the text with control bytes, DEL, bytes >= 0x80 and backslashes escaped (\x1b, \\), so
// that text from outside (a command line, a device tree) cannot drive the terminal.
void emit_escaped(FormatSink& out, const Spec& spec, StringView text) {
    size_t length = 0;
    for (size_t i = 0; i < text.size; ++i)
        length += escaped_length(static_cast<unsigned char>(text.data[i]));
    const size_t fill = spec.width > length ? spec.width - length : 0;
    if (spec.align == '>') pad(out, ' ', fill);
    for (size_t i = 0; i < text.size; ++i) {
        const auto c = static_cast<unsigned char>(text.data[i]);
        if (escaped_length(c) == 1) {
            out.write(text.data + i, 1);
        } else if (c == '\\') {
            out.write("\\\\", 2);
        } else {
            const char hex[] = {'\\', 'x', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 0xf]};
            out.write(hex, sizeof hex);
        }
    }
    if (spec.align != '>') pad(out, ' ', fill);
}

// Renders one argument; returns false when the spec's type does not fit the argument's kind.
bool emit(FormatSink& out, const Spec& spec, const FormatArg& arg) {
    using Kind = FormatArg::Kind;
    const char type = spec.type;
    switch (arg.kind()) {
    case Kind::kSigned: {
        if (type == 's' || type == 'p' || type == 'e') return false;
        const int64_t v = arg.as_signed();
        if (type == 'c') {
            const char c = static_cast<char>(v);
            emit_text(out, spec, &c, 1);
            return true;
        }
        // The magnitude of INT64_MIN does not fit int64_t; compute it in unsigned arithmetic.
        const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
        emit_number(out, spec, v < 0, magnitude);
        return true;
    }
    case Kind::kUnsigned:
        if (type == 's' || type == 'p' || type == 'e') return false;
        if (type == 'c') {
            const char c = static_cast<char>(arg.as_unsigned());
            emit_text(out, spec, &c, 1);
            return true;
        }
        emit_number(out, spec, false, arg.as_unsigned());
        return true;
    case Kind::kBool:
        if (type != 0 && type != 's') return false;
        emit_text(out, spec, arg.as_unsigned() ? "true" : "false", arg.as_unsigned() ? 4 : 5);
        return true;
    case Kind::kChar: {
        if (type != 0 && type != 'c') {
            if (type == 's' || type == 'p' || type == 'e') return false;
            emit_number(out, spec, false, arg.as_unsigned());  // {:x} on a char prints its code
            return true;
        }
        const char c = static_cast<char>(arg.as_unsigned());
        emit_text(out, spec, &c, 1);
        return true;
    }
    case Kind::kString: {
        if (type == 'e') {
            emit_escaped(out, spec, arg.as_string());
            return true;
        }
        if (type != 0 && type != 's') return false;
        const StringView s = arg.as_string();
        emit_text(out, spec, s.data, s.size);
        return true;
    }
    case Kind::kPointer: {
        if (type != 0 && type != 'p') return false;
        Spec pointer_spec = spec;
        pointer_spec.type = 'x';
        pointer_spec.alternate = true;
        pointer_spec.zero_pad = true;
        pointer_spec.width = spec.width > 18 ? spec.width : 18;  // "0x" + 16 digits
        emit_number(out, pointer_spec, false, reinterpret_cast<uintptr_t>(arg.as_pointer()));
        return true;
    }
    case Kind::kNone: break;
    }
    return false;
}

}  // namespace

StringView FormatArg::as_string() const {
    const StringView s = value_.s;
    if (s.data == nullptr)
        return s.size == kMeasure ? StringView{"(null)", 6} : StringView{};  // a null C string
    return StringView{s.data, s.size == kMeasure ? strlen(s.data) : s.size};
}

BufferSink::BufferSink(char* buffer, size_t capacity) : buffer_(buffer), capacity_(capacity) {
    if (capacity_ > 0) buffer_[0] = '\0';
}

void BufferSink::write(const char* text, size_t length) {
    if (capacity_ == 0) {
        truncated_ = truncated_ || length > 0;
        return;
    }
    const size_t room = capacity_ - 1 - length_;
    const size_t n = length < room ? length : room;
    for (size_t i = 0; i < n; ++i) buffer_[length_ + i] = text[i];
    length_ += n;
    buffer_[length_] = '\0';
    truncated_ = truncated_ || n < length;
}

void vformat(FormatSink& out, const char* format, const FormatArg* args, size_t count) {
    size_t next_arg = 0;
    const char* literal = format;
    const char* p = format;
    while (*p != '\0') {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            out.write(literal, static_cast<size_t>(p - literal) + 1);  // keep one brace
            p += 2;
            literal = p;
            continue;
        }
        if (*p != '{') {
            ++p;
            continue;
        }
        out.write(literal, static_cast<size_t>(p - literal));
        const char* close = p + 1;
        while (*close != '\0' && *close != '}') ++close;
        if (*close == '\0') {  // an unclosed '{' is printed as it stands
            literal = p;
            break;
        }
        Spec spec;
        const char* inside = p + 1;
        const size_t inside_length = static_cast<size_t>(close - inside);
        const bool spec_ok = inside_length == 0 ||
                             (inside[0] == ':' && parse_spec(inside + 1, inside_length - 1, spec));
        if (next_arg >= count) {
            out.write("{?}", 3);
        } else if (!spec_ok || !emit(out, spec, args[next_arg])) {
            out.write("{!}", 3);
        }
        ++next_arg;
        p = close + 1;
        literal = p;
    }
    out.write(literal, strlen(literal));
}

}  // namespace keel
