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

TEST(KeptLineModel, WhateverTheInterleavingTheLineEndsWholeAndOthersLinesStayWhole) {
    std::mt19937 rng(2026);
    shell::History history;
    shell::Candidates candidates;
    shell::LineEditor editor(history, candidates, shell::NameList{});
    KeptLine kept;
    Device device;
    Screen screen;
    std::string pending;  // the owner's bytes not sent yet (its console PendingLine)
    std::vector<std::string> others;
    const std::string keys[] = {"a", "b", " ", "\x7f", "\x1b[D", "\x1b[C", "\x15", "\r"};
    // The owner's text: whole lines go out at once, the rest waits for show() (as console::write).
    auto owner = [&](void) {
        for (size_t end; (end = pending.find('\n')) != std::string::npos;) {
            if (kept.owner_writes(view(pending.substr(0, end + 1))))
                device.write(pending.data(), end + 1);
            pending.erase(0, end + 1);
        }
    };
    auto show = [&] {
        class Picture final : public FormatSink {
        public:
            void write(const char* text, size_t length) override { bytes.append(text, length); }
            std::string bytes;
        } picture;
        editor.draw(picture);
        kept.show(view(pending), view(picture.bytes), device);
        pending.clear();
    };
    class Pending final : public FormatSink {
    public:
        explicit Pending(std::string& to) : to_(to) {}
        void write(const char* text, size_t length) override { to_.append(text, length); }

    private:
        std::string& to_;
    } echo(pending);
    editor.start(echo);
    show();
    screen.write(device.take());
    for (int step = 0; step < 20000; ++step) {
        if (rng() % 3 == 0) {  // another's line, whole or in two writes
            const std::string line = "other " + std::to_string(others.size());
            others.push_back(line);
            if (rng() % 2 == 0) {
                screen.write(other(kept, device, line + "\n"));
            } else {
                screen.write(other(kept, device, line.substr(0, 3)));
                if (rng() % 2 == 0) {  // the owner types while the other's line is unfinished
                    const std::string& key = keys[rng() % 7];
                    for (char c : key) editor.feed(static_cast<uint8_t>(c), echo);
                    owner();
                    show();
                    screen.write(device.take());
                    others.back() = line.substr(0, 3);  // its row was ended early
                    screen.write(other(kept, device, line.substr(3) + "\n"));
                    others.push_back(line.substr(3));
                } else {
                    screen.write(other(kept, device, line.substr(3) + "\n"));
                }
            }
            continue;
        }
        const std::string& key = keys[rng() % std::size(keys)];
        for (char c : key) {
            if (editor.feed(static_cast<uint8_t>(c), echo) != shell::LineEditor::Event::kNone) {
                owner();
                screen.write(device.take());
                editor.start(echo);
            }
        }
        owner();
        show();
        screen.write(device.take());
        const std::string want =
            std::string(shell::kPrompt) + std::string(editor.line().data, editor.line().size);
        std::string last = screen.rows().back();
        last.resize(last.find_last_not_of(' ') + 1);
        std::string trimmed_want = want;
        trimmed_want.resize(trimmed_want.find_last_not_of(' ') + 1);
        ASSERT_EQ(last, trimmed_want) << "at step " << step;
        ASSERT_EQ(screen.column(), want.size() - (editor.line().size - editor.cursor()));
    }
    // Every other's line is whole on a row of its own, in order.
    size_t next = 0;
    for (const std::string& row : screen.rows()) {
        if (next < others.size() && row == others[next]) ++next;
        ASSERT_TRUE(row.find("other") == std::string::npos || row.rfind("other", 0) == 0) << row;
    }
    EXPECT_EQ(next, others.size());
}

}  // namespace
}  // namespace keel
