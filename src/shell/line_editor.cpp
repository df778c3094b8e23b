// SPDX-License-Identifier: MIT
// The line editor's keys. Simple edits at the end of the line echo minimally (the byte itself,
// "\b \b"); any other edit redraws the line: CR, prompt, text, ESC [ K, then the cursor back.
#include <keel/lib/memory.h>
#include <keel/lib/terminal.h>
#include <keel/shell/line_editor.h>

namespace keel::shell {
namespace {

// ASCII control codes (Ctrl-X is X & 0x1f).
enum : uint8_t {
    kCtrlA = 0x01,
    kCtrlB = 0x02,
    kCtrlC = 0x03,
    kCtrlE = 0x05,
    kCtrlF = 0x06,
    kBackspace = 0x08,
    kTab = 0x09,
    kLineFeed = 0x0a,
    kCtrlL = 0x0c,
    kCarriageReturn = 0x0d,
    kCtrlN = 0x0e,
    kCtrlP = 0x10,
    kCtrlU = 0x15,
    kCtrlW = 0x17,
    kEscape = 0x1b,
    kDelete = 0x7f,
};

using terminal::kBell;
using terminal::kClearScreen;
using terminal::kEraseToEnd;

void write(FormatSink& out, const char* text) {
    out.write(text, strlen(text));
}

// ECMA-48 CUB / CUF: cursor back / forward n columns.
void cursor_left(FormatSink& out, size_t columns) {
    if (columns == 1) write(out, "\x1b[D");
    if (columns > 1) format(out, "\x1b[{}D", columns);
}
void cursor_right(FormatSink& out, size_t columns) {
    if (columns == 1) write(out, "\x1b[C");
    if (columns > 1) format(out, "\x1b[{}C", columns);
}

}  // namespace

void LineEditor::start(FormatSink& out) {
    length_ = 0;
    cursor_ = 0;
    browsing_ = -1;
    escape_ = Escape::kNone;
    write(out, kPrompt);
}

LineEditor::Event LineEditor::feed(uint8_t byte, FormatSink& out) {
    if (escape_ != Escape::kNone) {
        // Inside a sequence: printable bytes belong to it; a control byte ends it and is a key.
        if (byte >= 0x20 || byte == kEscape) {
            escape(byte, out);
            return Event::kNone;
        }
        escape_ = Escape::kNone;
    }
    const bool line_feed_after_cr = after_cr_ && byte == kLineFeed;
    after_cr_ = false;
    if (line_feed_after_cr) return Event::kNone;
    if (byte >= 0x20 && byte < kDelete) {
        const char c = static_cast<char>(byte);
        insert(&c, 1, out);
        return Event::kNone;
    }
    return control(byte, out);
}

LineEditor::Event LineEditor::control(uint8_t byte, FormatSink& out) {
    switch (byte) {
    case kCarriageReturn: after_cr_ = true; return finish(out);
    case kLineFeed: return finish(out);
    case kCtrlC:
        write(out, "^C\n");
        length_ = cursor_ = 0;
        return Event::kCancelled;
    case kCtrlA: move_to(0, out); break;
    case kCtrlE: move_to(length_, out); break;
    case kCtrlB: move_to(cursor_ > 0 ? cursor_ - 1 : 0, out); break;
    case kCtrlF: move_to(cursor_ < length_ ? cursor_ + 1 : length_, out); break;
    case kBackspace:
    case kDelete:
        if (cursor_ > 0) erase(cursor_ - 1, 1, out);
        break;
    case kTab: complete(out); break;
    case kCtrlL:
        write(out, kClearScreen);
        refresh(out);
        break;
    case kCtrlU:
        if (length_ > 0) replace_line(StringView{"", 0}, out);
        break;
    case kCtrlW: kill_word(out); break;
    case kCtrlP: browse(true, out); break;
    case kCtrlN: browse(false, out); break;
    case kEscape:
        escape_ = Escape::kStart;
        parameter_length_ = 0;
        parameter_overflow_ = false;
        break;
    default: break;  // any other control byte, and bytes >= 0x80: swallowed
    }
    return Event::kNone;
}

// ECMA-48 escape sequences: ESC [ parameters intermediates final (CSI), ESC O x (SS3).
void LineEditor::escape(uint8_t byte, FormatSink& out) {
    switch (escape_) {
    case Escape::kStart:
        escape_ = byte == '[' ? Escape::kCsi : byte == 'O' ? Escape::kSs3 : Escape::kNone;
        if (byte == kEscape) escape_ = Escape::kStart;  // ESC ESC: the second one starts over
        return;
    case Escape::kSs3:
        escape_ = Escape::kNone;
        csi_final(byte, out);  // ESC O A..D, H, F mean what ESC [ A..D, H, F mean
        return;
    case Escape::kCsi:
        if (byte >= 0x30 && byte <= 0x3f) {  // parameter bytes: digits, ';' ...
            if (parameter_length_ < sizeof parameter_) {
                parameter_[parameter_length_++] = static_cast<char>(byte);
            } else {
                parameter_overflow_ = true;
            }
        } else if (byte >= 0x20 && byte <= 0x2f) {  // intermediate bytes: nothing we know uses them
            parameter_overflow_ = true;
        } else {  // final byte (0x40-0x7e), or DEL/high bytes that end it unknown
            escape_ = Escape::kNone;
            if (!parameter_overflow_ && byte <= 0x7e) csi_final(byte, out);
        }
        return;
    case Escape::kNone: return;
    }
}

void LineEditor::csi_final(uint8_t final, FormatSink& out) {
    const StringView p{parameter_, parameter_length_};
    const bool plain =
        p.size == 0 || (p.size >= 2 && p.data[0] == '1' && p.data[1] == ';');  // modifiers
    switch (final) {
    case 'A':
        if (plain) browse(true, out);
        break;
    case 'B':
        if (plain) browse(false, out);
        break;
    case 'C':
        if (plain) move_to(cursor_ < length_ ? cursor_ + 1 : length_, out);
        break;
    case 'D':
        if (plain) move_to(cursor_ > 0 ? cursor_ - 1 : 0, out);
        break;
    case 'H':
        if (plain) move_to(0, out);
        break;
    case 'F':
        if (plain) move_to(length_, out);
        break;
    case '~':
        if (p.size != 1) break;
        if (p.data[0] == '1' || p.data[0] == '7') move_to(0, out);          // Home
        if (p.data[0] == '4' || p.data[0] == '8') move_to(length_, out);    // End
        if (p.data[0] == '3' && cursor_ < length_) erase(cursor_, 1, out);  // Delete
        break;
    default: break;
    }
}

void LineEditor::insert(const char* text, size_t count, FormatSink& out) {
    if (count > kMaxLine - length_) {
        write(out, kBell);  // the line is full: ring, drop
        return;
    }
    memmove(text_ + cursor_ + count, text_ + cursor_, length_ - cursor_);
    memcpy(text_ + cursor_, text, count);
    length_ += count;
    cursor_ += count;
    out.write(text, count);
    const size_t tail = length_ - cursor_;
    if (tail > 0) {
        out.write(text_ + cursor_, tail);
        cursor_left(out, tail);
    }
}

void LineEditor::erase(size_t from, size_t count, FormatSink& out) {
    const size_t old_cursor = cursor_;
    memmove(text_ + from, text_ + from + count, length_ - from - count);
    length_ -= count;
    cursor_ = from;
    if (count == 1 && from == length_ && old_cursor == from + 1) {
        write(out, "\b \b");  // the common case: backspace at the end of the line
        return;
    }
    cursor_left(out, old_cursor - from);
    const size_t tail = length_ - from;
    out.write(text_ + from, tail);
    for (size_t i = 0; i < count; ++i) write(out, " ");
    cursor_left(out, tail + count);
}

void LineEditor::move_to(size_t position, FormatSink& out) {
    if (position < cursor_) cursor_left(out, cursor_ - position);
    if (position > cursor_) cursor_right(out, position - cursor_);
    cursor_ = position;
}

void LineEditor::replace_line(StringView text, FormatSink& out) {
    length_ = text.size < kMaxLine ? text.size : kMaxLine;
    memmove(text_, text.data, length_);
    cursor_ = length_;
    refresh(out);
}

void LineEditor::refresh(FormatSink& out) {
    write(out, "\r");
    write(out, kPrompt);
    out.write(text_, length_);
    write(out, kEraseToEnd);
    cursor_left(out, length_ - cursor_);
}

void LineEditor::kill_word(FormatSink& out) {
    size_t start = cursor_;
    while (start > 0 && text_[start - 1] == ' ') --start;
    while (start > 0 && text_[start - 1] != ' ') --start;
    if (start == cursor_) return;
    memmove(text_ + start, text_ + cursor_, length_ - cursor_);
    length_ -= cursor_ - start;
    cursor_ = start;
    refresh(out);
}

void LineEditor::browse(bool older, FormatSink& out) {
    const int next = older ? browsing_ + 1 : browsing_ - 1;
    if (next < -1 || next >= static_cast<int>(history_.size())) return;
    if (browsing_ == -1) {  // leaving the line being edited: keep it for the way back
        memcpy(draft_, text_, length_);
        draft_length_ = length_;
    }
    browsing_ = next;
    replace_line(
        next == -1 ? StringView{draft_, draft_length_} : history_.at(static_cast<size_t>(next)),
        out);
}

// Completes the command name: the cursor must be at the end of the line's first word.
void LineEditor::complete(FormatSink& out) {
    const bool in_first_word = memchr(text_, ' ', cursor_) == nullptr;
    if (!in_first_word || (cursor_ < length_ && text_[cursor_] != ' ')) {
        write(out, kBell);
        return;
    }
    const char* first = nullptr;
    size_t matches = 0;
    size_t common = 0;  // length of the prefix all matches share
    for (size_t i = 0; i < completions_.count; ++i) {
        const char* name = completions_.names[i];
        if (!StringView::of(name).starts_with(StringView{text_, cursor_})) continue;
        if (matches++ == 0) {
            first = name;
            common = strlen(name);
        }
        size_t same = 0;
        while (same < common && name[same] == first[same]) ++same;
        common = same;
    }
    if (matches == 0) {
        write(out, kBell);
    } else if (common > cursor_) {
        insert(first + cursor_, common - cursor_, out);
        if (matches == 1 && cursor_ == length_) insert(" ", 1, out);
    } else if (matches == 1) {
        if (cursor_ == length_) insert(" ", 1, out);  // already complete
    } else {  // ambiguous and nothing to add: list the candidates under the line
        list_candidates(out);
        refresh(out);
    }
}

// The names the line's first word could become, sorted, in columns (column by column, as ls
// does) that fit kScreenWidth.
void LineEditor::list_candidates(FormatSink& out) {
    const char* names[kMaxListed];
    size_t count = 0;
    size_t widest = 0;
    for (size_t i = 0; i < completions_.count && count < kMaxListed; ++i) {
        const char* name = completions_.names[i];
        if (!StringView::of(name).starts_with(StringView{text_, cursor_})) continue;
        size_t at = count++;  // insertion sort: a few dozen names at most
        for (; at > 0 && strcmp(names[at - 1], name) > 0; --at) names[at] = names[at - 1];
        names[at] = name;
        widest = strlen(name) > widest ? strlen(name) : widest;
    }
    const size_t column_width = widest + 2;
    const size_t columns = kScreenWidth / column_width > 0 ? kScreenWidth / column_width : 1;
    const size_t rows = (count + columns - 1) / columns;
    write(out, "\n");
    for (size_t row = 0; row < rows; ++row) {
        for (size_t column = 0; column < columns; ++column) {
            const size_t index = column * rows + row;
            if (index >= count) break;
            write(out, names[index]);
            const bool last = column + 1 == columns || index + rows >= count;
            for (size_t pad = strlen(names[index]); !last && pad < column_width; ++pad)
                write(out, " ");
        }
        write(out, "\n");
    }
}

void LineEditor::redraw(FormatSink& out) {
    refresh(out);
}

LineEditor::Event LineEditor::finish(FormatSink& out) {
    write(out, "\n");
    history_.add(line());
    browsing_ = -1;
    return Event::kLine;
}

}  // namespace keel::shell
