// SPDX-License-Identifier: MIT
// The line a shell is editing, kept whole on the screen while others print, as a line editor
// keeps its prompt when a background job writes (readline: rl_clear_visible_line, then
// rl_forced_update_display). The console reports every write to it, under its output lock:
// another's text first erases the row the line is on, and once that text has ended its own line
// the edited line is drawn again below it, cursor and all. The owner (the shell) says what its
// line looks like after every key; its next line end lets the line go. Portable: host tests feed
// writes and check the exact bytes.
#pragma once
#include <keel/lib/format.h>

namespace keel {

class KeptLine {
public:
    // A prompt, the longest line (shell/history.h: 255 bytes), erase-to-end and a cursor move.
    static constexpr size_t kCapacity = 288;

    // The owner's line as it is now: `picture` draws it from the start of its row (longer than
    // kCapacity: not kept). `echo` holds the owner's bytes not sent yet, which turn the screen's
    // last picture into this one: they go out when the screen shows that picture, else the
    // picture is drawn whole. The line is kept from now on.
    void show(StringView echo, StringView picture, FormatSink& device);
    // The owner writes `text` some other way. A line end lets the line go (the owner's lines are
    // its own again until show()). False: hold `text` back, since the screen no longer shows
    // what it was meant for (show() then draws the next picture whole).
    bool owner_writes(StringView text);
    // Someone else writes `text` (not empty): before() and after() sending it.
    void before_other(FormatSink& device);
    void after_other(StringView text, FormatSink& device);

    bool kept() const { return row_ != Row::kReleased; }

private:
    enum class Row : uint8_t {
        kReleased,  // nothing kept: every write goes out as it is
        kShown,     // the row shows the picture, the cursor where the owner left it
        kOther,     // another's unfinished line is on the row; the picture waits for its end
    };
    void draw(FormatSink& device) const;

    char picture_[kCapacity] = {};
    size_t length_ = 0;
    Row row_ = Row::kReleased;
    bool owner_sent_ = false;  // the owner sent bytes since show(): the screen is past picture_
    bool stale_ = false;       // ...and another's text erased them: show() draws whole
};

}  // namespace keel
