// SPDX-License-Identifier: MIT
// The line discipline's input side: one received byte's input processing, flow and signal
// characters, canonical editing and its echo. Linux drivers/tty/n_tty.c:
// n_tty_receive_buf_standard, n_tty_receive_char_special, n_tty_receive_char_canon, eraser.
#include <keel/abi/signal.h>
#include <keel/lib/line_discipline.h>

namespace keel {
namespace {

constexpr uint8_t kEof = 0;  // an EOF is queued as a NUL marked as a line end (__DISABLED_CHAR)
constexpr uint8_t kMarkParity = 0xff;  // PARMRK: a received 0xff is queued twice

// Linux's lib/ctype.c: ASCII, and the Latin-1 letters 0xc0-0xff but for 0xd7 and 0xf7.
bool is_latin1_letter(uint8_t c) {
    return c >= 0xc0 && c != 0xd7 && c != 0xf7;
}

bool is_alnum(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           is_latin1_letter(c);
}

uint8_t to_lower(uint8_t c) {
    const bool upper = (c >= 'A' && c <= 'Z') || (is_latin1_letter(c) && c < 0xdf);
    return upper ? static_cast<uint8_t>(c + 0x20) : c;
}

}  // namespace

int LineDiscipline::receive(uint8_t byte, TtyOutput& echo) {
    uint8_t c = byte;
    if (settings_.c_iflag & ISTRIP) c &= 0x7f;
    if ((settings_.c_iflag & IUCLC) && (settings_.c_lflag & IEXTEN)) c = to_lower(c);
    if (quote_next_) {  // VLNEXT: no special meaning, no CR/NL mapping
        quote_next_ = false;
        receive_ordinary(c, false, echo);
        return 0;
    }
    if (!is_special(c)) {
        receive_ordinary(c, false, echo);
        return 0;
    }
    return receive_special(c, echo);
}

// Flow control, then signals, then CR and NL mapping, then canonical editing (Linux's order).
int LineDiscipline::receive_special(uint8_t c, TtyOutput& echo) {
    const tcflag_t input = settings_.c_iflag;
    if ((input & IXON) && (is(c, VSTART) || is(c, VSTOP))) {
        stopped_ = !is(c, VSTART);
        return 0;
    }
    if (settings_.c_lflag & ISIG) {
        if (is(c, VINTR)) return receive_signal(SIGINT, c, echo);
        if (is(c, VQUIT)) return receive_signal(SIGQUIT, c, echo);
        if (is(c, VSUSP)) return receive_signal(SIGTSTP, c, echo);
    }
    restart_on_any_byte();
    if (c == '\r') {
        if (input & IGNCR) return 0;
        if (input & ICRNL) c = '\n';
    } else if (c == '\n' && (input & INLCR)) {
        c = '\r';
    }
    if (canonical() && receive_canonical(c, echo)) return 0;
    receive_ordinary(c, true, echo);
    return 0;
}

bool LineDiscipline::receive_canonical(uint8_t c, TtyOutput& echo) {
    const tcflag_t local = settings_.c_lflag;
    const bool extended = (local & IEXTEN) != 0;
    if (is(c, VERASE) || is(c, VKILL) || (extended && is(c, VWERASE))) {
        erase(c, echo);
        return true;
    }
    if (extended && is(c, VLNEXT)) {
        quote_next_ = true;
        if (local & ECHO) {
            finish_erasing(echo);
            if (local & ECHOCTL) {  // "^", then back over it: the quoted byte's echo covers it
                echo_raw('^', echo);
                echo_raw('\b', echo);
            }
        }
        return true;
    }
    if (extended && (local & ECHO) && is(c, VREPRINT)) {
        reprint(c, echo);
        return true;
    }
    if (c == '\n' || is(c, VEOF) || is(c, VEOL) || (extended && is(c, VEOL2))) {
        end_line(c, echo);
        return true;
    }
    return false;
}

// A byte queued as it is: Linux's n_tty_receive_char, and the end of n_tty_receive_char_special
// (`special`), which echoes a NL that CR mapping made as NL rather than as ^J.
void LineDiscipline::receive_ordinary(uint8_t c, bool special, TtyOutput& echo) {
    restart_on_any_byte();
    const bool doubled = c == kMarkParity && (settings_.c_iflag & PARMRK);
    if (!has_room(doubled ? 2 : 1, false)) {
        ++dropped_input_;
        return;
    }
    if (settings_.c_lflag & ECHO) {
        finish_erasing(echo);
        if (special && c == '\n') {
            echo_raw(c, echo);
        } else {
            set_canon_column_if_line_empty();
            echo_char(c, echo);
        }
    }
    if (doubled) store(c);
    store(c);
}

// A line's end: '\n' (echoed with ECHO or ECHONL), VEOF (queued as a marked NUL, never echoed),
// or VEOL/VEOL2 (queued and echoed as typed).
void LineDiscipline::end_line(uint8_t c, TtyOutput& echo) {
    const tcflag_t local = settings_.c_lflag;
    const bool eof = c != '\n' && is(c, VEOF);
    const bool doubled = !eof && c == kMarkParity && (settings_.c_iflag & PARMRK);
    if (!has_room(doubled ? 2 : 1, true)) {
        ++dropped_input_;
        return;
    }
    if (c == '\n') {
        if (local & (ECHO | ECHONL)) echo_raw('\n', echo);
    } else if (!eof && (local & ECHO)) {
        set_canon_column_if_line_empty();
        echo_char(c, echo);
    }
    if (doubled) store(c);
    mark_line_end(head_, true);
    store(eof ? kEof : c);
    canon_head_ = head_;
}

// Linux's isig and n_tty_receive_signal_char: flush unless NOFLSH, restart output, echo.
int LineDiscipline::receive_signal(int number, uint8_t c, TtyOutput& echo) {
    if (!(settings_.c_lflag & NOFLSH)) {
        flush_input();
        echo.clear();
    }
    if (settings_.c_iflag & IXON) stopped_ = false;
    if (settings_.c_lflag & ECHO) echo_char(c, echo);
    return number;
}

void LineDiscipline::restart_on_any_byte() {
    const tcflag_t input = settings_.c_iflag;
    if (stopped_ && (input & IXON) && (input & IXANY)) stopped_ = false;
}

// VERASE, VWERASE or VKILL on the line being edited (Linux's eraser). A word is what BSD's
// ALTWERASE calls one: letters, digits and '_' (Latin-1 letters too), after any other bytes.
void LineDiscipline::erase(uint8_t c, TtyOutput& echo) {
    const tcflag_t local = settings_.c_lflag;
    if (head_ == canon_head_) return;
    const Erase kind = is(c, VERASE) ? Erase::kChar : is(c, VWERASE) ? Erase::kWord : Erase::kLine;
    if (kind == Erase::kLine &&
        (local & (ECHO | ECHOK | ECHOKE | ECHOE)) != (ECHO | ECHOK | ECHOKE | ECHOE)) {
        head_ = canon_head_;
        if (!(local & ECHO)) return;
        finish_erasing(echo);  // no visual erase: the kill character, and a newline with ECHOK
        echo_char(settings_.c_cc[VKILL], echo);
        if (local & ECHOK) echo_raw('\n', echo);
        return;
    }
    bool seen_alnum = false;
    while (head_ != canon_head_) {
        size_t start = head_;
        uint8_t erased = 0;
        do {  // back over a whole UTF-8 character (IUTF8)
            erased = at(--start);
        } while (continuation(erased) && start != canon_head_);
        if (continuation(erased)) break;  // never half a character
        if (kind == Erase::kWord) {
            if (is_alnum(erased) || erased == '_') {
                seen_alnum = true;
            } else if (seen_alnum) {
                break;
            }
        }
        const size_t count = head_ - start;
        head_ = start;
        if (local & ECHO) echo_erased(erased, start, count, kind, echo);
        if (kind == Erase::kChar) break;
    }
    if (head_ == canon_head_ && (local & ECHO)) finish_erasing(echo);
}

// How one erased character leaves the screen: ECHOPRT prints it after a '\'; without ECHOE a
// VERASE echoes itself; a tab backs up to its stop; a ^X echo takes two rubouts; a control byte
// echoed raw takes none.
void LineDiscipline::echo_erased(uint8_t c, size_t start, size_t count, Erase kind,
                                 TtyOutput& echo) {
    const tcflag_t local = settings_.c_lflag;
    if (local & ECHOPRT) {
        if (!erasing_) {
            echo_raw('\\', echo);
            erasing_ = true;
        }
        echo_char(c, echo);
        for (size_t i = 1; i < count; ++i) {  // the rest of a UTF-8 character: no column
            echo_raw(at(start + i), echo);
            if (column_ > 0) --column_;
        }
    } else if (kind == Erase::kChar && !(local & ECHOE)) {
        echo_char(settings_.c_cc[VERASE], echo);
    } else if (c == '\t') {
        echo_erased_tab(echo);
    } else {
        if (is_control(c) && (local & ECHOCTL)) echo_rubout(echo);
        if (!is_control(c) || (local & ECHOCTL)) echo_rubout(echo);
    }
}

// Back to the stop before the erased tab: columns used since the previous tab, or since the line
// started (at canon_column_), decide how far (Linux's echo_erase_tab).
void LineDiscipline::echo_erased_tab(TtyOutput& echo) {
    size_t columns = 0;
    bool after_tab = false;
    for (size_t i = head_; i != canon_head_;) {
        const uint8_t c = at(--i);
        if (c == '\t') {
            after_tab = true;
            break;
        }
        if (is_control(c)) {
            if (settings_.c_lflag & ECHOCTL) columns += 2;
        } else if (!continuation(c)) {
            ++columns;
        }
    }
    if (!after_tab) columns += canon_column_;
    const size_t backspaces = kTabStop - columns % kTabStop;
    if (!echo.reserve(backspaces)) {
        ++echo_dropped_;
        return;
    }
    for (size_t i = 0; i < backspaces; ++i) {
        echo.put('\b');
        if (column_ > 0) --column_;
    }
}

// VREPRINT: the character, a newline, then the line being edited again.
void LineDiscipline::reprint(uint8_t c, TtyOutput& echo) {
    finish_erasing(echo);
    echo_char(c, echo);
    echo_raw('\n', echo);
    for (size_t i = canon_head_; i != head_; ++i) echo_char(at(i), echo);
}

}  // namespace keel
