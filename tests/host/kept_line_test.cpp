// SPDX-License-Identifier: MIT
// KeptLine: the exact bytes around others' writes while a line is edited, and, on a small
// terminal model, that whatever the interleaving the edited line ends up whole on the last row
// with its cursor in place and every other line whole on a row of its own.
#include <gtest/gtest.h>
#include <keel/lib/kept_line.h>
#include <keel/shell/line_editor.h>

#include <random>
#include <string>
#include <vector>

namespace keel {
namespace {

class Device final : public FormatSink {
public:
    void write(const char* text, size_t length) override { sent_.append(text, length); }
    std::string take() { return std::exchange(sent_, {}); }

private:
    std::string sent_;
};

StringView view(const std::string& text) {
    return StringView{text.data(), text.size()};
}

// What the console does with another's text: the kept line's bytes around it.
std::string other(KeptLine& kept, Device& device, const std::string& text) {
    kept.before_other(device);
    device.write(text.data(), text.size());
    kept.after_other(view(text), device);
    return device.take();
}

TEST(KeptLine, NothingKeptLetsEveryWriteGoOutAsItIs) {
    KeptLine kept;
    Device device;
    EXPECT_FALSE(kept.kept());
    EXPECT_EQ(other(kept, device, "demo 0: done\n"), "demo 0: done\n");
    EXPECT_TRUE(kept.owner_writes(view("half a line")));
}

TEST(KeptLine, AnotherLineErasesTheEditedLineAndDrawsItAgainBelow) {
    KeptLine kept;
    Device device;
    kept.show(view("keel> "), view("keel> \x1b[K"), device);
    EXPECT_EQ(device.take(), "keel> ");  // the echo: the screen showed nothing kept before
    kept.show(view("ec"), view("keel> ec\x1b[K"), device);
    EXPECT_EQ(device.take(), "ec");
    EXPECT_EQ(other(kept, device, "demo 0: done\n"), "\r\x1b[Kdemo 0: done\n\rkeel> ec\x1b[K");
    kept.show(view("h"), view("keel> ech\x1b[K"), device);  // the echo fits the picture drawn
    EXPECT_EQ(device.take(), "h");
}

TEST(KeptLine, AnotherUnfinishedLineIsLeftAloneUntilItEnds) {
    KeptLine kept;
    Device device;
    kept.show(view("keel> ls"), view("keel> ls\x1b[K"), device);
    device.take();
    EXPECT_EQ(other(kept, device, "progress: 10%"), "\r\x1b[Kprogress: 10%");
    EXPECT_EQ(other(kept, device, " 20%"), " 20%");  // nothing erased: it is the other's row
    EXPECT_EQ(other(kept, device, " done\n"), " done\n\rkeel> ls\x1b[K");
}

TEST(KeptLine, AKeyTypedUnderAnotherUnfinishedLineDrawsTheLineOnARowOfItsOwn) {
    KeptLine kept;
    Device device;
    kept.show(view("keel> ls"), view("keel> ls\x1b[K"), device);
    device.take();
    other(kept, device, "Password: ");
    kept.show(view(" "), view("keel> ls \x1b[K"), device);
    EXPECT_EQ(device.take(), "\n\rkeel> ls \x1b[K");
}

TEST(KeptLine, TheOwnersLineEndLetsTheLineGo) {
    KeptLine kept;
    Device device;
    kept.show(view("keel> echo hi"), view("keel> echo hi\x1b[K"), device);
    device.take();
    EXPECT_TRUE(kept.owner_writes(view("\n")));
    EXPECT_FALSE(kept.kept());
    EXPECT_EQ(other(kept, device, "hi\n"), "hi\n");  // a command's output, as it is
}

TEST(KeptLine, OwnerBytesOverwrittenByAnotherMakeTheNextPictureDrawnWhole) {
    KeptLine kept;
    Device device;
    kept.show(view("keel> "), view("keel> \x1b[K"), device);
    EXPECT_TRUE(kept.owner_writes(view("\rkeel> first half of a long redr")));
    other(kept, device, "demo\n");
    EXPECT_FALSE(kept.owner_writes(view("aw")));  // meant for a row that is gone
    device.take();
    kept.show(view("rest"), view("keel> abc\x1b[K"), device);
    EXPECT_EQ(device.take(), "\rkeel> abc\x1b[K");
}

TEST(KeptLine, OwnerBytesUnderAnotherUnfinishedLineAreHeldBack) {
    KeptLine kept;
    Device device;
    kept.show(view("keel> "), view("keel> \x1b[K"), device);
    other(kept, device, "partial");
    EXPECT_FALSE(kept.owner_writes(view("x")));
    kept.show(view(""), view("keel> x\x1b[K"), device);
    EXPECT_EQ(device.take(), "\n\rkeel> x\x1b[K");
}

TEST(KeptLine, APictureTooLongToKeepIsNotKept) {
    KeptLine kept;
    Device device;
    const std::string picture(KeptLine::kCapacity + 1, 'x');
    kept.show(view("x"), view(picture), device);
    EXPECT_EQ(device.take(), "x");
    EXPECT_FALSE(kept.kept());
    EXPECT_EQ(other(kept, device, "line\n"), "line\n");
}

// A terminal of rows: printable bytes, CR, LF, BS, BEL, ESC [ K and ESC [ n C / D.
class Screen {
public:
    void write(const std::string& bytes) {
        for (size_t i = 0; i < bytes.size(); ++i) {
            const char c = bytes[i];
            if (c == '\r') {
                column_ = 0;
            } else if (c == '\n') {
                rows_.emplace_back();
                column_ = 0;
            } else if (c == '\b') {
                column_ -= column_ > 0 ? 1 : 0;
            } else if (c == '\x1b') {
                size_t n = 0;
                bool has_n = false;
                for (i += 2; bytes[i] >= '0' && bytes[i] <= '9'; ++i, has_n = true)
                    n = n * 10 + static_cast<size_t>(bytes[i] - '0');
                n = has_n ? n : 1;
                if (bytes[i] == 'K') row().resize(std::min(row().size(), column_));
                if (bytes[i] == 'D') column_ -= std::min(n, column_);
                if (bytes[i] == 'C') column_ += n;
            } else if (c != '\a') {
                if (row().size() <= column_) row().resize(column_ + 1, ' ');
                row()[column_++] = c;
            }
        }
    }
    std::string& row() { return rows_.back(); }
    const std::vector<std::string>& rows() const { return rows_; }
    size_t column() const { return column_; }

private:
    std::vector<std::string> rows_{1};
    size_t column_ = 0;
};

// The shell and the console around one KeptLine, on a Screen: the owner's keys go through a real
// line editor, its bytes through a pending line as console::write keeps them (whole lines at
// once, the rest at keep_line), and others' lines come whole or in two writes.
class Session {
public:
    Session() : editor_(history_, candidates_, shell::NameList{}), echo_(pending_) {
        editor_.start(echo_);
        show();
    }

    void key(const std::string& bytes) {
        for (char c : bytes) {
            if (editor_.feed(static_cast<uint8_t>(c), echo_) != shell::LineEditor::Event::kNone) {
                send_whole_lines();
                editor_.start(echo_);
            }
        }
        send_whole_lines();
        show();
    }
    void other(const std::string& text) { screen_.write(keel::other(kept_, device_, text)); }

    // The edited line is whole on the last row, with the cursor at its place.
    std::string check() const {
        std::string want =
            std::string(shell::kPrompt) + std::string(editor_.line().data, editor_.line().size);
        const size_t column = want.size() - (editor_.line().size - editor_.cursor());
        std::string last = screen_.rows().back();
        last.resize(last.find_last_not_of(' ') + 1);
        want.resize(want.find_last_not_of(' ') + 1);
        if (last != want) return "the last row is '" + last + "', not '" + want + "'";
        if (screen_.column() != column)
            return "the cursor is not at column " + std::to_string(column);
        return "";
    }
    const Screen& screen() const { return screen_; }

private:
    class Pending final : public FormatSink {
    public:
        explicit Pending(std::string& to) : to_(to) {}
        void write(const char* text, size_t length) override { to_.append(text, length); }

    private:
        std::string& to_;
    };

    void send_whole_lines() {
        for (size_t end; (end = pending_.find('\n')) != std::string::npos;) {
            if (kept_.owner_writes(view(pending_.substr(0, end + 1))))
                device_.write(pending_.data(), end + 1);
            pending_.erase(0, end + 1);
        }
        screen_.write(device_.take());
    }
    void show() {
        std::string picture;
        Pending drawn(picture);
        editor_.draw(drawn);
        kept_.show(view(pending_), view(picture), device_);
        pending_.clear();
        screen_.write(device_.take());
    }

    shell::History history_;
    shell::Candidates candidates_;
    shell::LineEditor editor_;
    std::string pending_;
    Pending echo_;
    KeptLine kept_;
    Device device_;
    Screen screen_;
};

TEST(KeptLineModel, WhateverTheInterleavingTheLineEndsWholeAndOthersLinesStayWhole) {
    std::mt19937 rng(2026);
    Session session;
    std::vector<std::string> others;  // each other's line, as it should stand on a row of its own
    const std::string keys[] = {"a", "b", " ", "\x7f", "\x1b[D", "\x1b[C", "\x15", "\r"};
    for (int step = 0; step < 20000; ++step) {
        if (rng() % 3 != 0) {
            session.key(keys[rng() % std::size(keys)]);
            const std::string wrong = session.check();
            ASSERT_EQ(wrong, "") << "at step " << step;
            continue;
        }
        const std::string line = "other " + std::to_string(step);
        if (rng() % 2 == 0) {  // whole
            session.other(line + "\n");
            others.push_back(line);
        } else if (rng() % 2 == 0) {  // in two writes
            session.other(line.substr(0, 3));
            session.other(line.substr(3) + "\n");
            others.push_back(line);
        } else {  // in two writes, the owner typing between them: its row ends early
            session.other(line.substr(0, 3));
            session.key(keys[rng() % 7]);  // not Enter
            session.other(line.substr(3) + "\n");
            others.push_back(line.substr(0, 3));
            others.push_back(line.substr(3));
        }
    }
    size_t next = 0;  // every other's line whole on a row of its own, in order
    for (const std::string& row : session.screen().rows()) {
        if (next < others.size() && row == others[next]) ++next;
        ASSERT_TRUE(row.find("other") == std::string::npos || row.rfind("other", 0) == 0) << row;
    }
    EXPECT_EQ(next, others.size());
}

}  // namespace
}  // namespace keel
