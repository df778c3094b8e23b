// SPDX-License-Identifier: MIT
// The line discipline's queue, settings and reads, and its output side: echo and OPOST processing.
// Linux drivers/tty/n_tty.c: n_tty_set_termios, canon_copy_from_read_buf, canon_skip_eof,
// inq_canon, input_available_p, do_output_char, echo_char.
#include <keel/lib/line_discipline.h>
#include <keel/lib/memory.h>

namespace keel {
namespace {

constexpr uint8_t kDisabled = 0;  // _POSIX_VDISABLE in c_cc; also how an EOF is stored
// TABDLY and its TAB3 (XTABS: expand tabs to spaces), asm-generic/termbits.h.
constexpr tcflag_t kTabDelay = 0x1800;
constexpr tcflag_t kTab3 = 0x1800;
constexpr uint8_t kEchoEscape = 0xff;  // Linux's ECHO_OP_START: echoed raw, one column

// Linux's toupper (lib/ctype.c): ASCII and Latin-1 lower case, 0xdf-0xff but for 0xf7.
uint8_t to_upper(uint8_t c) {
    const bool lower = (c >= 'a' && c <= 'z') || (c >= 0xdf && c != 0xf7);
    return lower ? static_cast<uint8_t>(c - 0x20) : c;
}

size_t min(size_t a, size_t b) {
    return a < b ? a : b;
}

}  // namespace

bool LineDiscipline::is(uint8_t c, int index) const {
    return settings_.c_cc[index] != kDisabled && c == settings_.c_cc[index];
}

// Linux's char_map: the bytes that need more than storing and echoing. A NUL never does.
bool LineDiscipline::is_special(uint8_t c) const {
    const tcflag_t input = settings_.c_iflag;
    const tcflag_t local = settings_.c_lflag;
    if (c == kDisabled) return false;
    if (c == '\r' && (input & (IGNCR | ICRNL))) return true;
    if (c == '\n' && (input & INLCR)) return true;
    if ((input & IXON) && (is(c, VSTART) || is(c, VSTOP))) return true;
    if ((local & ISIG) && (is(c, VINTR) || is(c, VQUIT) || is(c, VSUSP))) return true;
    if (!(local & ICANON)) return false;
    if (c == '\n' || is(c, VERASE) || is(c, VKILL) || is(c, VEOF) || is(c, VEOL)) return true;
    if (!(local & IEXTEN)) return false;
    return is(c, VWERASE) || is(c, VLNEXT) || is(c, VEOL2) || ((local & ECHO) && is(c, VREPRINT));
}

// IUTF8: a byte inside a UTF-8 character, which takes no column of its own.
bool LineDiscipline::continuation(uint8_t c) const {
    return (settings_.c_iflag & IUTF8) && (c & 0xc0) == 0x80;
}

bool LineDiscipline::line_end_at(size_t index) const {
    const size_t slot = index & (kBufferSize - 1);
    return (line_ends_[slot / 64] >> (slot % 64)) & 1;
}

void LineDiscipline::mark_line_end(size_t index, bool set) {
    const size_t slot = index & (kBufferSize - 1);
    const uint64_t bit = uint64_t{1} << (slot % 64);
    line_ends_[slot / 64] = set ? line_ends_[slot / 64] | bit : line_ends_[slot / 64] & ~bit;
}

// The first marked line end in [from, limit), or limit.
size_t LineDiscipline::find_line_end(size_t from, size_t limit) const {
    for (size_t i = from; i != limit; ++i) {
        const size_t slot = i & (kBufferSize - 1);
        if (slot % 64 == 0 && line_ends_[slot / 64] == 0 && limit - i >= 64) {
            i += 63;  // a word without a mark
            continue;
        }
        if (line_end_at(i)) return i;
    }
    return limit;
}

// Linux's receive room: the last slot only ever takes a line's end (n_tty_receive_buf_common).
bool LineDiscipline::has_room(size_t bytes, bool ends_line) const {
    return head_ - tail_ + bytes <= (ends_line ? kBufferSize : kBufferSize - 1);
}

void LineDiscipline::store(uint8_t c) {
    buffer_[head_ & (kBufferSize - 1)] = c;
    ++head_;
}

void LineDiscipline::set_settings(const termios& settings) {
    const termios old = settings_;
    settings_ = settings;
    if ((old.c_lflag ^ settings.c_lflag) & ICANON) {
        memset(line_ends_, 0, sizeof line_ends_);
        if (!canonical() || head_ == tail_) {
            canon_head_ = tail_;
        } else {  // what was queued becomes one complete line (Linux sets ldata->push)
            mark_line_end(head_ - 1, true);
            canon_head_ = head_;
        }
        erasing_ = false;
        quote_next_ = false;
        inside_line_ = false;
    }
    if ((old.c_iflag & IXON) && !(settings.c_iflag & IXON)) stopped_ = false;
}

bool LineDiscipline::readable(size_t wanted) const {
    if (wanted == 0) return true;
    if (canonical()) return canon_head_ != tail_;
    const size_t queued = head_ - tail_;
    if (vmin() == 0) return queued > 0 || vtime() == 0;
    return queued >= min(vmin(), wanted);
}

bool LineDiscipline::poll_readable() const {
    if (canonical()) return canon_head_ != tail_;
    const size_t amount = vtime() == 0 && vmin() != 0 ? vmin() : 1;
    return head_ - tail_ >= amount;
}

size_t LineDiscipline::available() const {
    if (!canonical()) return head_ - tail_;
    const size_t end = find_line_end(tail_, canon_head_);
    if (end == canon_head_) return canon_head_ - tail_;
    return end - tail_ + (at(end) == kDisabled ? 0 : 1);
}

size_t LineDiscipline::read(char* to, size_t size) {
    const size_t from = tail_;
    size_t count = 0;
    inside_line_ = false;
    if (!canonical()) {
        count = min(size, head_ - tail_);
        tail_ += count;
    } else if (size > 0 && canon_head_ != tail_) {
        const size_t limit = tail_ + min(size, canon_head_ - tail_);
        const size_t end = find_line_end(tail_, limit);
        if (end != limit) {  // the whole line fits: take it and its end (an EOF's only counts)
            count = end - tail_ + (at(end) == kDisabled ? 0 : 1);
            mark_line_end(end, false);
            tail_ = end + 1;
        } else {  // the line goes on; an EOF right after what fitted is eaten (canon_skip_eof)
            count = limit - tail_;
            tail_ = limit;
            inside_line_ = true;
            if (tail_ != canon_head_ && line_end_at(tail_) && at(tail_) == kDisabled) {
                mark_line_end(tail_, false);
                ++tail_;
                inside_line_ = false;
            }
        }
    }
    for (size_t i = 0; i < count; ++i) to[i] = static_cast<char>(at(from + i));
    return count;
}

void LineDiscipline::flush_input() {
    head_ = canon_head_ = tail_ = 0;
    memset(line_ends_, 0, sizeof line_ends_);
    erasing_ = false;
    inside_line_ = false;
}

// Linux's inq_canon: complete lines, their EOFs not counted.
size_t LineDiscipline::input_queued() const {
    if (!canonical()) return head_ - tail_;
    size_t count = canon_head_ - tail_;
    for (size_t i = find_line_end(tail_, canon_head_); i != canon_head_;
         i = find_line_end(i + 1, canon_head_)) {
        if (at(i) == kDisabled) --count;
    }
    return count;
}

size_t LineDiscipline::write(const char* data, size_t size, TtyOutput& out) {
    for (size_t i = 0; i < size; ++i) {
        if (!output_char(static_cast<uint8_t>(data[i]), out)) return i;
    }
    return size;
}

// Linux's do_output_char: one byte with OPOST applied, following the cursor's column. All that
// one byte becomes goes out, or nothing does.
bool LineDiscipline::output_char(uint8_t c, TtyOutput& out) {
    const tcflag_t o = settings_.c_oflag;
    if (!(o & OPOST)) return out.put(static_cast<char>(c));
    if (c == '\r' && (o & ONOCR) && column_ == 0) return true;  // nothing to return from
    const bool expand_tab = (o & kTabDelay) == kTab3;
    const size_t tab = kTabStop - column_ % kTabStop;
    size_t width = 1;
    if (c == '\n' && (o & ONLCR)) width = 2;
    if (c == '\t' && expand_tab) width = tab;
    if (!out.reserve(width)) return false;
    switch (c) {
    case '\n':
        if (o & ONLRET) column_ = 0;
        if (o & ONLCR) {
            out.put('\r');
            column_ = 0;
        }
        canon_column_ = column_;
        break;
    case '\r':
        if (!(o & OCRNL) || (o & ONLRET)) column_ = canon_column_ = 0;
        if (o & OCRNL) c = '\n';
        break;
    case '\t':
        column_ += tab;
        if (expand_tab) {
            for (size_t i = 0; i < tab; ++i) out.put(' ');
            return true;
        }
        break;
    case '\b':
        if (column_ > 0) --column_;
        break;
    default:
        if (is_control(c)) break;
        if (o & OLCUC) c = to_upper(c);
        if (!continuation(c)) ++column_;
        break;
    }
    out.put(static_cast<char>(c));
    return true;
}

// Linux's echo_char: with ECHOCTL a control byte other than TAB shows as ^X (DEL as ^?).
void LineDiscipline::echo_char(uint8_t c, TtyOutput& echo) {
    if (!(settings_.c_lflag & ECHOCTL) || !is_control(c) || c == '\t') {
        echo_raw(c, echo);
    } else if (!echo.reserve(2)) {
        ++echo_dropped_;
    } else {
        echo.put('^');
        echo.put(static_cast<char>(c ^ 0x40));
        column_ += 2;
    }
}

// Linux's echo_char_raw: the byte as output processing makes it.
void LineDiscipline::echo_raw(uint8_t c, TtyOutput& echo) {
    bool sent = false;
    if (c == kEchoEscape) {
        sent = echo.put(static_cast<char>(c));
        if (sent) ++column_;
    } else {
        sent = output_char(c, echo);
    }
    if (!sent) ++echo_dropped_;
}

void LineDiscipline::echo_rubout(TtyOutput& echo) {
    echo_raw('\b', echo);
    echo_raw(' ', echo);
    echo_raw('\b', echo);
}

// ECHOPRT: the '/' that closes "\erased".
void LineDiscipline::finish_erasing(TtyOutput& echo) {
    if (!erasing_) return;
    echo_raw('/', echo);
    erasing_ = false;
}

// Where the line's first byte is echoed: erasing a tab backs up to a tab stop counted from it.
void LineDiscipline::set_canon_column_if_line_empty() {
    if (canon_head_ == head_) canon_column_ = column_;
}

}  // namespace keel
