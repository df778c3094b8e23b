// SPDX-License-Identifier: MIT
// The shell's line editor: turns the bytes a terminal sends into one edited line, and writes back
// exactly the bytes that show the edit (VT100/ANSI: ESC [ n D moves left, ESC [ K erases to the end
// of the line). Portable: host tests feed byte sequences and check the line and the echo.
//
// Keys: printable ASCII inserts at the cursor; Left/Right (ESC [ D / C, ESC O D / C, Ctrl-B/F);
// Home/End (ESC [ H / F, ESC [ 1~ / 4~, 7~ / 8~, ESC O H / F, Ctrl-A/E); Backspace and DEL erase
// before the cursor; Delete (ESC [ 3~) erases under it; Ctrl-U kills the line; Ctrl-W kills the
// word before the cursor; Ctrl-C abandons the line; Ctrl-L clears the screen; Up/Down (and
// Ctrl-P/N) browse the history; Tab completes the word before the cursor (completion.h): the first
// word to a command or a program, any word with a '/' (and every later word) to a path. CR, LF and
// CR LF each end one line. Any other control byte, byte >= 0x80 or unknown escape sequence is
// swallowed, never echoed.
#pragma once
#include <keel/lib/format.h>
#include <keel/shell/completion.h>
#include <keel/shell/history.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::shell {

inline constexpr char kPrompt[] = "keel> ";

// The shell's commands, the first names Tab offers for a line's first word.
struct NameList {
    const char* const* names = nullptr;
    size_t count = 0;
};

class LineEditor {
public:
    enum class Event {
        kNone,       // keep feeding
        kLine,       // line() holds a finished line (already echoed, and added to the history)
        kCancelled,  // Ctrl-C: the line was abandoned
    };

    // `candidates`: where each Tab gathers names; `source`: the programs and directories Tab
    // offers besides `commands` (none by default).
    LineEditor(History& history, Candidates& candidates, NameList commands, NameSource source = {})
        : history_(history), candidates_(candidates), commands_(commands), source_(source) {}

    // Starts a new line: prints the prompt.
    void start(FormatSink& out);
    Event feed(uint8_t byte, FormatSink& out);
    StringView line() const { return StringView{text_, length_}; }
    // Draws the prompt and the line again (after something else was printed over it).
    void redraw(FormatSink& out);
    // What draws the line from the start of its row: the prompt, the text, erase to the end of
    // the row, the cursor moved back to its place. At most kMaxDrawn bytes.
    void draw(FormatSink& out) const;
    static constexpr size_t kMaxDrawn = sizeof kPrompt + kMaxLine + 16;
    size_t cursor() const { return cursor_; }

private:
    enum class Escape : uint8_t { kNone, kStart, kCsi, kSs3 };

    Event control(uint8_t byte, FormatSink& out);
    void escape(uint8_t byte, FormatSink& out);
    void csi_final(uint8_t final, FormatSink& out);

    void insert(const char* text, size_t count, FormatSink& out);
    void erase(size_t from, size_t count, FormatSink& out);
    void move_to(size_t position, FormatSink& out);
    void replace_line(StringView text, FormatSink& out);
    void refresh(FormatSink& out);
    void kill_word(FormatSink& out);
    void browse(bool older, FormatSink& out);
    void complete(FormatSink& out);
    size_t gather(StringView word, bool first_word);
    void list_candidates(FormatSink& out);

    static constexpr size_t kMaxListed = 100;   // candidates Tab lists (more: it says how many)
    static constexpr size_t kScreenWidth = 80;  // columns the list may use
    Event finish(FormatSink& out);

    History& history_;
    Candidates& candidates_;
    NameList commands_;
    NameSource source_;
    char text_[kMaxLine + 1] = {};
    size_t length_ = 0;
    size_t cursor_ = 0;
    bool after_cr_ = false;  // a LF right after CR belongs to the same line end
    Escape escape_ = Escape::kNone;
    char parameter_[4] = {};  // CSI parameter bytes we act on ("3" in ESC [ 3 ~)
    size_t parameter_length_ = 0;
    bool parameter_overflow_ = false;
    // History browsing: -1 is the line being edited, 0 the newest entry, and so on.
    int browsing_ = -1;
    char draft_[kMaxLine + 1] = {};  // the line being edited while browsing
    size_t draft_length_ = 0;
};

}  // namespace keel::shell
