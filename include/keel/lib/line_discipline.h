// SPDX-License-Identifier: MIT
// The terminal line discipline: Linux's N_TTY (drivers/tty/n_tty.c) as portable code, with no
// locks, no waiting and no heap. Bytes typed on the console go in through receive() (input
// processing, signal characters, canonical editing, echo); read() hands them out as read(2) does;
// write() applies output processing (OPOST). The kernel wraps it: it serialises the calls, waits
// for readable() (and times VTIME), sends receive()'s signal to the foreground process group, and
// drains TtyOutput to the UART.
//
// As Linux, with these choices:
//  - One 4096-byte queue (N_TTY_BUF_SIZE) holds the complete lines and the line being edited.
//    Linux leaves bytes that find no room in the driver until a reader makes room; keel has nowhere
//    to keep them, so a byte that would be stored into a full queue is dropped (dropped_input()),
//    unechoed. The last slot is kept for a line's end: a line longer than the queue keeps its
//    first 4095 bytes and its newline. Signal, editing and flow characters act even when full.
//  - The echo goes straight into the TtyOutput that receive() is given. A unit of echo that does
//    not fit there (after a drain, if it has one) is dropped and counted (echo_dropped()); Linux
//    keeps such echoes in its echo buffer instead.
//  - IXON: START and STOP are consumed and set output_stopped(); the kernel holds output back
//    while it is set. IXANY restarts on any byte. The discipline itself never holds bytes back.
//  - A signal character without NOFLSH flushes the input queue and discards what the TtyOutput
//    holds; the kernel should drop output it queued elsewhere too (Linux's
//    tty_driver_flush_buffer).
//  - Not done: breaks and parity errors (IGNBRK, BRKINT, INPCK, IGNPAR: the UART gives bytes
//    only; PARMRK only doubles a received 0xff), IXOFF, EXTPROC, VDISCARD (Linux ignores it too),
//    output delays other than TAB3 tab expansion.
#pragma once
#include <keel/abi/termios.h>
#include <stddef.h>
#include <stdint.h>

namespace keel {

// Bytes on their way to the terminal: echo and processed output. A fixed buffer the caller drains
// after each call, or, given a drain function, one that drains itself whenever it fills.
class TtyOutput {
public:
    static constexpr size_t kCapacity = 256;
    using Drain = void (*)(void* context, const char* bytes, size_t size);

    TtyOutput() = default;
    TtyOutput(Drain drain, void* context) : drain_(drain), context_(context) {}

    const char* data() const { return bytes_; }
    size_t size() const { return size_; }
    size_t room() const { return kCapacity - size_; }
    // Whether `count` more bytes fit, handing what it holds to the drain first when that helps.
    bool reserve(size_t count) {
        if (count <= room()) return true;
        flush();
        return count <= room();
    }
    bool put(char c) {
        if (!reserve(1)) return false;
        bytes_[size_++] = c;
        return true;
    }
    // Hands what it holds to the drain (nothing without one).
    void flush() {
        if (drain_ == nullptr || size_ == 0) return;
        drain_(context_, bytes_, size_);
        size_ = 0;
    }
    // Forgets what it holds: the caller has sent it, or it is being discarded.
    void clear() { size_ = 0; }

private:
    char bytes_[kCapacity] = {};
    size_t size_ = 0;
    Drain drain_ = nullptr;
    void* context_ = nullptr;
};

// Linux's settings for a new terminal: tty_std_termios (drivers/tty/tty_io.c) with INIT_C_CC
// (include/linux/termios_internal.h).
constexpr termios tty_std_termios() {
    termios t = {};
    t.c_iflag = ICRNL | IXON;
    t.c_oflag = OPOST | ONLCR;
    t.c_cflag = B38400 | CS8 | CREAD | HUPCL;
    t.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    t.c_cc[VINTR] = 0x03;     // ^C
    t.c_cc[VQUIT] = 0x1c;     // ^backslash
    t.c_cc[VERASE] = 0x7f;    // DEL
    t.c_cc[VKILL] = 0x15;     // ^U
    t.c_cc[VEOF] = 0x04;      // ^D
    t.c_cc[VMIN] = 1;         // VTIME, VSWTC, VEOL and VEOL2 stay 0: off
    t.c_cc[VSTART] = 0x11;    // ^Q
    t.c_cc[VSTOP] = 0x13;     // ^S
    t.c_cc[VSUSP] = 0x1a;     // ^Z
    t.c_cc[VREPRINT] = 0x12;  // ^R
    t.c_cc[VDISCARD] = 0x0f;  // ^O
    t.c_cc[VWERASE] = 0x17;   // ^W
    t.c_cc[VLNEXT] = 0x16;    // ^V
    return t;
}

class LineDiscipline {
public:
    static constexpr size_t kBufferSize = 4096;  // N_TTY_BUF_SIZE

    // Starts with tty_std_termios() and nothing queued; constexpr, so a global can be constinit.
    constexpr LineDiscipline() : settings_(tty_std_termios()) {}

    const termios& settings() const { return settings_; }
    // TCSETS. Turning ICANON off makes everything queued readable (an EOF mark reads as a NUL);
    // turning it on with bytes queued makes them one complete line at once, as Linux does.
    void set_settings(const termios& settings);

    // A byte from the keyboard. Returns 0, or SIGINT, SIGQUIT or SIGTSTP for the foreground
    // process group when it was a signal character (ISIG); without NOFLSH that also flushed the
    // queue and discarded what `echo` held.
    int receive(uint8_t byte, TtyOutput& echo);

    // Whether read(wanted) would return now. Canonical: a line (or an EOF) is complete.
    // Non-canonical: at least min(VMIN, wanted) bytes are queued; with VMIN 0, at least one byte
    // unless VTIME is 0 too (then a read returns whatever there is, maybe nothing). VTIME's timing
    // is the kernel's: with VMIN 0 it is how long to wait for that byte, otherwise the gap
    // between bytes after which a read returns fewer than VMIN.
    bool readable(size_t wanted) const;
    // poll(2)'s POLLIN (Linux's input_available_p(tty, 1)): as readable(), but in non-canonical
    // mode VMIN counts only while VTIME is 0.
    bool poll_readable() const;
    // The bytes read() would return now given room for all: canonical, the first complete line
    // (its terminator included, an EOF's left out); non-canonical, every queued byte.
    size_t available() const;
    uint8_t vmin() const { return settings_.c_cc[VMIN]; }
    uint8_t vtime() const { return settings_.c_cc[VTIME]; }

    // Takes up to `size` bytes as read(2) does. Canonical: at most one line, its '\n' (or VEOL)
    // included; an EOF ends the line and is consumed but not returned, so an EOF at the start of
    // a line reads 0 bytes (end of file). Non-canonical: whatever is queued.
    size_t read(char* to, size_t size);
    // Whether the last canonical read() stopped inside a line (its room ran out first): the rest
    // of that line is what the next read() returns. A reader with more room goes on with it, so
    // that a line goes whole to one reader (Linux's n_tty_read copies it in one go).
    bool inside_line() const { return inside_line_; }

    // A program's write(2): output processing (OPOST: ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, TAB3),
    // or the bytes as they are without OPOST. Returns how many bytes of `data` it consumed: it
    // stops when `out` is full, never splitting what one byte turns into.
    size_t write(const char* data, size_t size, TtyOutput& out);
    // Tab stops are this far apart: the most bytes output processing makes of one (a tab).
    static constexpr size_t kTabStop = 8;

    void flush_input();           // TCFLSH TCIFLUSH
    size_t input_queued() const;  // FIONREAD: canonical mode counts complete lines only
    bool output_stopped() const { return stopped_; }  // IXON: STOP seen, START not yet
    size_t dropped_input() const { return dropped_input_; }
    size_t echo_dropped() const { return echo_dropped_; }

private:
    enum class Erase : uint8_t { kChar, kWord, kLine };

    // Linux's lib/ctype.c: only 0x00-0x1f and DEL are controls (0x80-0x9f are not).
    static bool is_control(uint8_t c) { return c < 0x20 || c == 0x7f; }
    bool canonical() const { return (settings_.c_lflag & ICANON) != 0; }
    bool is(uint8_t c, int index) const;
    bool is_special(uint8_t c) const;
    bool continuation(uint8_t c) const;
    uint8_t at(size_t index) const { return buffer_[index & (kBufferSize - 1)]; }
    bool line_end_at(size_t index) const;
    void mark_line_end(size_t index, bool set);
    size_t find_line_end(size_t from, size_t limit) const;
    bool has_room(size_t bytes, bool ends_line) const;
    void store(uint8_t c);

    // Input (line_discipline_input.cpp).
    int receive_special(uint8_t c, TtyOutput& echo);
    bool receive_canonical(uint8_t c, TtyOutput& echo);
    void receive_ordinary(uint8_t c, bool special, TtyOutput& echo);
    void end_line(uint8_t c, TtyOutput& echo);
    int receive_signal(int number, uint8_t c, TtyOutput& echo);
    void restart_on_any_byte();
    void erase(uint8_t c, TtyOutput& echo);
    void echo_erased(uint8_t c, size_t start, size_t count, Erase kind, TtyOutput& echo);
    void echo_erased_tab(TtyOutput& echo);
    void reprint(uint8_t c, TtyOutput& echo);

    // Echo and output processing (line_discipline.cpp).
    void echo_char(uint8_t c, TtyOutput& echo);
    void echo_raw(uint8_t c, TtyOutput& echo);
    void echo_rubout(TtyOutput& echo);
    void finish_erasing(TtyOutput& echo);
    void set_canon_column_if_line_empty();
    bool output_char(uint8_t c, TtyOutput& out);

    termios settings_;
    // Free-running indices into buffer_ (masked on access): [tail_, canon_head_) holds complete
    // lines, [canon_head_, head_) the line being edited (non-canonical: all of [tail_, head_)).
    size_t tail_ = 0;
    size_t canon_head_ = 0;
    size_t head_ = 0;
    size_t column_ = 0;        // where output has left the cursor (OPOST)
    size_t canon_column_ = 0;  // the column the line being edited started at
    size_t dropped_input_ = 0;
    size_t echo_dropped_ = 0;
    bool quote_next_ = false;  // VLNEXT seen: the next byte is stored as it is
    bool erasing_ = false;     // ECHOPRT: inside "\erased/"
    bool stopped_ = false;
    bool inside_line_ = false;  // see inside_line()
    uint8_t buffer_[kBufferSize] = {};
    uint64_t line_ends_[kBufferSize / 64] = {};  // which bytes end a line (an EOF is a marked NUL)
};

}  // namespace keel
