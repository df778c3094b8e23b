// SPDX-License-Identifier: MIT
// Fuzzes the line editor with any bytes, as a terminal would send them, restarting it after each
// finished or cancelled line as the shell does. After every byte:
//  - cursor <= length <= kMaxLine, and the line holds only printable ASCII;
//  - the echo is bounded, and holds only printable ASCII, BEL, BS, CR, LF and the escape sequences
//    the editor documents;
//  - on a terminal that obeys the echo (the small model below: one row, no wrapping), that row
//    shows the prompt and the line, with the cursor where the editor's is;
//  - a finished line is the history's newest entry.
// Tab completes from the commands below and a small file system of made-up programs and entries.
#include <keel/shell/history.h>
#include <keel/shell/line_editor.h>

#include <string>

#include "fuzz_support.h"

using namespace keel;
using namespace keel::shell;

namespace {

// The shell's command names, and one long enough that completing it overfills the line.
const std::string kLongName(200, 'z');
const char* const kNames[] = {
    "alloc",
    "clear",
    "dt",
    "echo",
    "fault",
    "harts",
    "heap",
    "help",
    "panic",
    "panic-hart",
    "reboot",
    "sbi",
    "shutdown",
    "sleep",
    "smp-alloc",
    "smp-print",
    "uptime",
    "version",
    kLongName.c_str(),
};

// Programs and a directory's entries, as the kernel's file system would give them: every
// directory holds the same few entries, two of them directories.
const char* const kPrograms[] = {"hello", "head", "keel-cat", "echo"};
const char* const kEntries[] = {"etc", "bin", "hello.txt", "home"};
constexpr bool kEntryIsDirectory[] = {true, true, false, true};

void programs(StringView prefix, Candidates& out) {
    for (const char* name : kPrograms) {
        if (StringView::of(name).starts_with(prefix)) out.add(StringView::of(name));
    }
}

void entries(StringView, StringView prefix, Candidates& out) {
    for (size_t i = 0; i < std::size(kEntries); ++i) {
        const StringView name = StringView::of(kEntries[i]);
        if (name.starts_with(prefix)) out.add(name, kEntryIsDirectory[i]);
    }
}

// The most one byte may echo: a list of every name, two redraws of a full line with the prompt
// and the cursor moves, and a screen clear.
size_t max_echo() {
    size_t names = 0;
    for (const char* name : kNames) names += strlen(name) + 2;
    for (const char* name : kPrograms) names += strlen(name) + 2;
    return names + 2 * (sizeof kPrompt + kMaxLine + 16) + 16;
}

// What a VT100 shows on the row the editor draws on: CR, BS, LF, BEL, printable text, and the
// ECMA-48 sequences CUB/CUF (ESC [ n D / C), EL (ESC [ K), CUP home (ESC [ H) and ED (ESC [ 2 J).
class Terminal {
public:
    void write(const std::string& echo) {
        for (size_t i = 0; i < echo.size(); ++i) {
            const char c = echo[i];
            if (c == '\x1b') {
                i = sequence(echo, i);
            } else if (c == '\r') {
                column_ = 0;
            } else if (c == '\n') {
                row_.clear();
                column_ = 0;
            } else if (c == '\b') {
                column_ -= column_ > 0 ? 1 : 0;
            } else if (c != '\a') {
                fuzz::check(c >= 0x20 && c < 0x7f, "the echo holds a byte a terminal would act on");
                if (row_.size() <= column_) row_.resize(column_ + 1, ' ');
                row_[column_++] = c;
            }
        }
    }
    // The row without trailing blanks: what the eye sees.
    std::string shown() const { return row_.substr(0, row_.find_last_not_of(' ') + 1); }
    size_t column() const { return column_; }

private:
    // ESC [ digits final, starting at echo[at]; returns the index of the final byte.
    size_t sequence(const std::string& echo, size_t at) {
        fuzz::check(at + 2 < echo.size() && echo[at + 1] == '[', "the echo holds a bare ESC");
        size_t i = at + 2;
        size_t n = 0;
        bool has_n = false;
        for (; i < echo.size() && echo[i] >= '0' && echo[i] <= '9'; ++i, has_n = true) {
            n = n * 10 + static_cast<size_t>(echo[i] - '0');
            fuzz::check(n < 100000, "a cursor move of absurd length");
        }
        fuzz::check(i < echo.size(), "the echo ends inside an escape sequence");
        const size_t count = has_n ? n : 1;
        switch (echo[i]) {
        case 'D': column_ -= std::min(count, column_); break;
        case 'C': column_ += count; break;
        case 'K':
            fuzz::check(!has_n, "an erase other than to the end of the line");
            row_.resize(std::min(row_.size(), column_));
            break;
        case 'H':
            fuzz::check(!has_n, "a cursor position other than home");
            column_ = 0;
            break;
        case 'J':
            fuzz::check(n == 2, "an erase other than the whole screen");
            row_.clear();
            break;
        default: fuzz::check(false, "the echo holds an escape sequence the editor does not use");
        }
        return i;
    }

    std::string row_;
    size_t column_ = 0;
};

void check_state(const LineEditor& editor, const Terminal& terminal) {
    const StringView line = editor.line();
    fuzz::check(editor.cursor() <= line.size, "the cursor is past the end of the line");
    fuzz::check(line.size <= kMaxLine, "the line is longer than kMaxLine");
    for (size_t i = 0; i < line.size; ++i) {
        fuzz::check(line.data[i] >= 0x20 && line.data[i] < 0x7f,
                    "the line holds a non-printable byte");
    }
    std::string want = std::string(kPrompt) + std::string(line.data, line.size);
    want.resize(want.find_last_not_of(' ') + 1);
    fuzz::check(terminal.shown() == want, "the terminal does not show the prompt and the line");
    fuzz::check(terminal.column() == strlen(kPrompt) + editor.cursor(),
                "the terminal's cursor is not where the editor's is");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    History history;
    static Candidates candidates;
    LineEditor editor(history, candidates, NameList{kNames, std::size(kNames)},
                      NameSource{&programs, &entries});
    Terminal terminal;
    fuzz::StringSink echo;
    editor.start(echo);
    terminal.write(echo.text());
    for (size_t i = 0; i < size; ++i) {
        echo.clear();
        const LineEditor::Event event = editor.feed(data[i], echo);
        static const size_t kMaxEcho = max_echo();
        fuzz::check(echo.text().size() <= kMaxEcho,
                    "one byte echoed more than a redraw and a list");
        terminal.write(echo.text());
        if (event == LineEditor::Event::kLine) {
            const StringView line = editor.line();
            fuzz::check(line.size == 0 || (history.size() > 0 &&
                                           std::string(history.at(0).data, history.at(0).size) ==
                                               std::string(line.data, line.size)),
                        "a finished line is not the newest history entry");
        }
        if (event != LineEditor::Event::kNone) {
            echo.clear();
            editor.start(echo);  // what the shell does after running or abandoning a line
            terminal.write(echo.text());
        }
        check_state(editor, terminal);
    }
    return 0;
}
