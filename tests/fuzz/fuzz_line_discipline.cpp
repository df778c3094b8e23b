// SPDX-License-Identifier: MIT
// Fuzzes the line discipline with any termios and any mix of typed bytes, reads, writes, setting
// changes and flushes. The input: a run byte (bit 0: settings may change during the run; bit 1:
// c_cc comes from the input, else Linux's), c_iflag, c_oflag and c_lflag (16 bits each, little
// endian), c_cc (19 bytes, with bit 1), then operations, one byte each plus their operands.
// After every operation:
//  - nothing is read or written outside its buffer (exact-size heap buffers, AddressSanitizer);
//  - read takes exactly min(size, available()), and FIONREAD drops by what it took;
//  - available() <= input_queued() <= kBufferSize, and queued input is readable;
//  - one received byte echoes a bounded amount, and never grows the queue by more than two;
//    a signal without NOFLSH empties the queue;
//  - write consumes at most what it was given, always makes progress into an empty output, and
//    without OPOST passes bytes unchanged (with only ONLCR and ONLRET: '\n' becomes "\r\n");
//  - in a canonical run with no IEXTEN (no VLNEXT quoting) and no setting changes, a read holds a
//    '\n' only as its last byte: it never returns more than one line.
#include <keel/lib/line_discipline.h>

#include <memory>
#include <string>

#include "fuzz_support.h"

using namespace keel;

namespace {

constexpr tcflag_t kTab3 = 0x1800;  // TABDLY's TAB3: tab expansion
// Linux's SIGINT, SIGQUIT, SIGTSTP (keel/abi/signal.h would collide with libc's signal.h).
constexpr int kSignals[] = {2, 3, 20};
// Each received byte echoes at most 8 bytes per queued byte (a reprint or kill of a whole line)
// and a few more for the character itself.
constexpr size_t kMaxEcho = 8 * LineDiscipline::kBufferSize + 16;

class Input {
public:
    Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    bool empty() const { return at_ >= size_; }
    uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
    uint16_t half() { return static_cast<uint16_t>(byte() | byte() << 8); }

private:
    const uint8_t* data_;
    size_t size_;
    size_t at_ = 0;
};

void append(void* context, const char* bytes, size_t size) {
    static_cast<std::string*>(context)->append(bytes, size);
}

class Run {
public:
    explicit Run(Input& input) : input_(input) {
        const uint8_t flags = input_.byte();
        changes_ = flags & 1;
        termios t = tty_.settings();
        t.c_iflag = input_.half();
        t.c_oflag = input_.half() & (0xff | kTab3);
        t.c_lflag = input_.half();
        if (flags & 2) {
            for (cc_t& c : t.c_cc) c = input_.byte();
        }
        tty_.set_settings(t);
        one_line_reads_ = !changes_ && (t.c_lflag & ICANON) && !(t.c_lflag & IEXTEN);
    }

    void step() {
        const uint8_t op = input_.byte();
        switch (op % 16) {
        case 9: repeat(input_.byte(), input_.byte()); break;
        case 10: read(input_.byte() % 2 ? input_.byte() : 1 + input_.byte() * 32u); break;
        case 11: write(op >> 4, input_.byte()); break;
        case 12: change(input_.byte(), input_.byte()); break;
        case 13: tty_.flush_input(); break;
        case 14: check_readable(input_.byte()); break;
        default: receive(input_.byte(), op & 0x10); break;
        }
        check_queue();
    }

private:
    const termios& settings() const { return tty_.settings(); }

    void receive(uint8_t byte, bool drained) {
        std::string shown;
        TtyOutput echo = drained ? TtyOutput(append, &shown) : TtyOutput();
        const size_t before = tty_.input_queued();
        const int signal = tty_.receive(byte, echo);
        shown.append(echo.data(), echo.size());
        fuzz::check(shown.size() <= kMaxEcho, "one byte echoed more than a whole line's erase");
        const size_t after = tty_.input_queued();
        fuzz::check(
            signal == 0 || signal == kSignals[0] || signal == kSignals[1] || signal == kSignals[2],
            "receive returned something other than 0, SIGINT, SIGQUIT or SIGTSTP");
        if (signal != 0 && !(settings().c_lflag & NOFLSH)) {
            fuzz::check(after == 0 && tty_.available() == 0,
                        "a signal without NOFLSH left input queued");
        } else {
            fuzz::check(after >= before, "receiving a byte shrank the queue");
        }
        if (!(settings().c_lflag & ICANON)) {
            fuzz::check(after <= before + 2 || signal != 0, "one byte queued more than two");
        }
    }

    // Enough of one byte to fill the queue: checked as a whole, its echo drained as it goes.
    void repeat(uint8_t byte, uint8_t count) {
        size_t echoed = 0;
        TtyOutput echo(
            [](void* total, const char*, size_t size) { *static_cast<size_t*>(total) += size; },
            &echoed);
        const size_t before = tty_.input_queued();
        bool signalled = false;
        for (size_t i = 0; i < count * 32u; ++i) signalled |= tty_.receive(byte, echo) != 0;
        echo.flush();
        fuzz::check(echoed <= count * 32u * kMaxEcho, "a run of bytes echoed too much");
        fuzz::check(signalled || tty_.input_queued() >= before, "a run of bytes shrank the queue");
    }

    void read(size_t size) {
        const size_t available = tty_.available();
        const size_t queued = tty_.input_queued();
        std::unique_ptr<char[]> to(new char[size == 0 ? 1 : size]);
        const size_t got = tty_.read(to.get(), size);
        fuzz::check(got == (size < available ? size : available),
                    "read did not take min(size, available())");
        fuzz::check(tty_.input_queued() == queued - got, "FIONREAD did not drop by what was read");
        if (!one_line_reads_) return;
        for (size_t i = 0; i + 1 < got; ++i) {
            fuzz::check(to[i] != '\n', "a canonical read returned more than one line");
        }
    }

    void write(uint8_t kind, uint8_t length) {
        const std::string text = take(length);
        const fuzz::ExactCopy copy(text);
        std::string shown;
        size_t done = 0;
        while (done < copy.size()) {
            TtyOutput out = kind & 1 ? TtyOutput(append, &shown) : TtyOutput();
            const size_t n = tty_.write(copy.chars() + done, copy.size() - done, out);
            fuzz::check(n <= copy.size() - done, "write consumed more than it was given");
            fuzz::check(n > 0, "write made no progress into an empty output");
            out.flush();
            shown.append(out.data(), out.size());
            done += n;
        }
        check_output(text, shown);
    }

    void check_output(const std::string& text, const std::string& shown) {
        const tcflag_t o = settings().c_oflag;
        if (!(o & OPOST)) {
            fuzz::check(shown == text, "output without OPOST differs from what was written");
        } else if (!(o & (OCRNL | ONOCR | OLCUC | kTab3))) {
            std::string want;
            for (char c : text)
                want += c == '\n' && (o & ONLCR) ? std::string("\r\n") : std::string(1, c);
            fuzz::check(shown == want, "ONLCR output is not the text with each NL as CR NL");
        }
    }

    std::string take(size_t length) {
        std::string text;
        for (size_t i = 0; i < length && !input_.empty(); ++i)
            text += static_cast<char>(input_.byte());
        return text;
    }

    void change(uint8_t which, uint8_t value) {
        termios t = settings();
        switch (which % 6) {
        case 0: t.c_iflag ^= 1u << (value % 16); break;
        case 1: t.c_oflag ^= (1u << (value % 13)) & (0xff | kTab3); break;
        case 2: t.c_lflag ^= 1u << (value % 16); break;
        case 3: t.c_cc[VMIN] = value; break;
        case 4: t.c_cc[VTIME] = value; break;
        default: t.c_cc[value % NCCS] = input_.byte(); break;
        }
        if (!changes_ && (which % 6 == 2 || which % 6 == 5)) return;  // keep the run's rules
        tty_.set_settings(t);
    }

    void check_readable(size_t wanted) {
        const size_t queued = tty_.input_queued();
        if (settings().c_lflag & ICANON) {
            fuzz::check(queued == 0 || tty_.readable(wanted), "a complete line is not readable");
            fuzz::check(tty_.poll_readable() == tty_.readable(1),
                        "canonical poll and read disagree");
            return;
        }
        const size_t vmin = tty_.vmin();
        const bool want = wanted == 0 || (vmin == 0 ? queued > 0 || tty_.vtime() == 0
                                                    : queued >= (wanted < vmin ? wanted : vmin));
        fuzz::check(tty_.readable(wanted) == want, "non-canonical readable() is not VMIN's rule");
        const size_t poll_wants = tty_.vtime() == 0 && vmin != 0 ? vmin : 1;
        fuzz::check(tty_.poll_readable() == (queued >= poll_wants),
                    "non-canonical poll is not input_available_p's rule");
    }

    void check_queue() {
        const size_t queued = tty_.input_queued();
        fuzz::check(queued <= LineDiscipline::kBufferSize, "more queued than the buffer holds");
        fuzz::check(tty_.available() <= queued, "available() is more than FIONREAD");
        fuzz::check(queued == 0 || tty_.readable(1), "queued input is not readable");
    }

    Input& input_;
    LineDiscipline tty_;
    bool changes_ = false;
    bool one_line_reads_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Input input(data, size);
    Run run(input);
    while (!input.empty()) run.step();
    return 0;
}
