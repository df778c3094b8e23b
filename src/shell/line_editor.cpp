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
    draw(out);
}

void LineEditor::draw(FormatSink& out) const {
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

// Completes the word that ends at the cursor: what every candidate shares is added; a single
// candidate also gets its ending ('/' for a directory, else a space at the end of the line);
// several, with nothing left to add, are listed under the line. Inside a word, or with nothing
// to offer, it rings.
void LineEditor::complete(FormatSink& out) {
    if (cursor_ < length_ && text_[cursor_] != ' ') {
        write(out, kBell);
        return;
    }
    size_t start = cursor_;
    while (start > 0 && text_[start - 1] != ' ') --start;
    bool first_word = true;
    for (size_t i = 0; i < start; ++i) first_word = first_word && text_[i] == ' ';
    const size_t typed = gather(StringView{text_ + start, cursor_ - start}, first_word);
    const size_t count = candidates_.count();
    if (count == 0) {
        write(out, kBell);
        return;
    }
    if (candidates_.left_out() > 0) {  // not all of them are known: nothing can be added
        list_candidates(out);
        refresh(out);
        return;
    }
    // Sorted names share what the first and the last share.
    const StringView first = candidates_.name(0);
    const StringView last = candidates_.name(count - 1);
    size_t common = 0;
    while (common < first.size && common < last.size && first.data[common] == last.data[common])
        ++common;
    if (count > 1 && common == typed) {
        list_candidates(out);
        refresh(out);
        return;
    }
    char added[kMaxLine + 1];  // the rest of the shared part, and a single candidate's ending
    size_t length = common - typed;
    memcpy(added, first.data + typed, length);
    if (count == 1 && candidates_.directory(0)) added[length++] = '/';
    if (count == 1 && !candidates_.directory(0) && cursor_ == length_) added[length++] = ' ';
    if (length > 0) insert(added, length, out);
}

// Gathers the names `word` could become into candidates_: for a line's first word without a
// '/', the commands and the programs; otherwise the entries of the directory the word names up
// to its last '/'. Returns how much of those names the word already holds (what follows that '/').
size_t LineEditor::gather(StringView word, bool first_word) {
    candidates_.clear();
    size_t slash = word.size;
    while (slash > 0 && word.data[slash - 1] != '/') --slash;
    const StringView prefix{word.data + slash, word.size - slash};
    if (first_word && slash == 0) {
        for (size_t i = 0; i < commands_.count; ++i) {
            const StringView name = StringView::of(commands_.names[i]);
            if (name.starts_with(prefix)) candidates_.add(name);
        }
        if (source_.programs != nullptr) source_.programs(prefix, candidates_);
    } else if (source_.directory != nullptr) {
        source_.directory(StringView{word.data, slash}, prefix, candidates_);
    }
    return prefix.size;
}

// The candidates under the line, sorted, in columns (column by column, as ls does) that fit
// kScreenWidth, a directory's name ending in '/'. Past kMaxListed, only how many there are.
void LineEditor::list_candidates(FormatSink& out) {
    const size_t count = candidates_.count();
    const size_t total = count + candidates_.left_out();
    if (total > kMaxListed) {
        format(out, "\n{} names match; type more of the one you want\n", total);
        return;
    }
    size_t widest = 0;
    for (size_t i = 0; i < count; ++i) {
        const size_t width = candidates_.name(i).size + (candidates_.directory(i) ? 1 : 0);
        widest = width > widest ? width : widest;
    }
    const size_t column_width = widest + 2;
    const size_t columns = kScreenWidth / column_width > 0 ? kScreenWidth / column_width : 1;
    const size_t rows = (count + columns - 1) / columns;
    write(out, "\n");
    for (size_t row = 0; row < rows; ++row) {
        for (size_t column = 0; column < columns; ++column) {
            const size_t index = column * rows + row;
            if (index >= count) break;
            const StringView name = candidates_.name(index);
            out.write(name.data, name.size);
            size_t width = name.size;
            if (candidates_.directory(index)) {
                write(out, "/");
                ++width;
            }
            const bool last = column + 1 == columns || index + rows >= count;
            for (; !last && width < column_width; ++width) write(out, " ");
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
