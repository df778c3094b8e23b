// SPDX-License-Identifier: MIT
// The line editor: byte sequences in, the finished line and the exact echo out. Newlines in the
// echo are "\n" (the console turns them into CR LF).
#include <gtest/gtest.h>
#include <keel/shell/line_editor.h>

#include <random>
#include <string>

namespace keel::shell {
namespace {

const char* const kNames[] = {"alloc", "clear", "dt", "echo", "fault", "harts", "heap", "help"};

class StringSink final : public FormatSink {
public:
    void write(const char* text, size_t length) override { text_.append(text, length); }
    std::string take() {
        std::string s;
        s.swap(text_);
        return s;
    }

private:
    std::string text_;
};

class LineEditorTest : public ::testing::Test {
protected:
    LineEditorTest()
        : editor_(history_, candidates_, NameList{kNames, sizeof kNames / sizeof kNames[0]}) {
        editor_.start(out_);
        EXPECT_EQ(out_.take(), "keel> ");
    }

    // Feeds every byte; returns the echo. `events` collects the non-kNone events.
    std::string type(const std::string& bytes) {
        for (char c : bytes) {
            const LineEditor::Event e = editor_.feed(static_cast<uint8_t>(c), out_);
            if (e != LineEditor::Event::kNone) events_.push_back(e);
        }
        return out_.take();
    }
    std::string line() const { return std::string(editor_.line().data, editor_.line().size); }

    History history_;
    Candidates candidates_;
    StringSink out_;
    LineEditor editor_;
    std::vector<LineEditor::Event> events_;
};

TEST_F(LineEditorTest, PrintableBytesEchoAndEnterEndsTheLine) {
    EXPECT_EQ(type("echo hi"), "echo hi");
    EXPECT_EQ(type("\r"), "\n");
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0], LineEditor::Event::kLine);
    EXPECT_EQ(line(), "echo hi");
}

TEST_F(LineEditorTest, CrLfAndCrLfEachEndExactlyOneLine) {
    type("a\r");
    editor_.start(out_);
    type("\nb\n");
    editor_.start(out_);
    type("c\r\n");
    EXPECT_EQ(events_.size(), 3u);  // "a", "b", "c": the LF after a CR is not a second line
    EXPECT_EQ(line(), "c");
}

TEST_F(LineEditorTest, LoneLfAfterAnEmptyCrLineStillCountsOnce) {
    type("\r\n\r\n");
    EXPECT_EQ(events_.size(), 2u);
}

TEST_F(LineEditorTest, InsertsInTheMiddleAndRedrawsTheTail) {
    type("ac");
    EXPECT_EQ(type("\x1b[D"), "\x1b[D");
    EXPECT_EQ(type("b"), "bc\x1b[D");
    type("\r");
    EXPECT_EQ(line(), "abc");
}

TEST_F(LineEditorTest, LeftAndRightStopAtTheEnds) {
    type("ab");
    EXPECT_EQ(type("\x1b[C"), "");  // already at the end
    EXPECT_EQ(type("\x1b[D\x1b[D\x1b[D"), "\x1b[D\x1b[D");
    EXPECT_EQ(editor_.cursor(), 0u);
    EXPECT_EQ(type("\x1bOC"), "\x1b[C");  // SS3 form, as some terminals send
}

TEST_F(LineEditorTest, HomeAndEndInEveryEncoding) {
    type("hello");
    EXPECT_EQ(type("\x01"), "\x1b[5D");
    EXPECT_EQ(type("\x05"), "\x1b[5C");
    EXPECT_EQ(type("\x1b[H"), "\x1b[5D");
    EXPECT_EQ(type("\x1b[F"), "\x1b[5C");
    EXPECT_EQ(type("\x1b[1~"), "\x1b[5D");
    EXPECT_EQ(type("\x1b[4~"), "\x1b[5C");
    EXPECT_EQ(type("\x1bOH"), "\x1b[5D");
    EXPECT_EQ(type("\x1bOF"), "\x1b[5C");
    EXPECT_EQ(type("\x1b[7~\x1b[8~"), "\x1b[5D\x1b[5C");
}

TEST_F(LineEditorTest, BackspaceAndDelBothEraseBeforeTheCursor) {
    type("abc");
    EXPECT_EQ(type("\x7f"), "\b \b");
    EXPECT_EQ(type("\b"), "\b \b");
    type("\r");
    EXPECT_EQ(line(), "a");
}

TEST_F(LineEditorTest, BackspaceInTheMiddleRedrawsTheTail) {
    type("abcd\x1b[D\x1b[D");
    EXPECT_EQ(type("\x7f"), "\x1b[Dcd \x1b[3D");
    type("\r");
    EXPECT_EQ(line(), "acd");
}

TEST_F(LineEditorTest, BackspaceAtTheStartDoesNothing) {
    EXPECT_EQ(type("\x7f\b"), "");
    type("x\x01");
    EXPECT_EQ(type("\x7f"), "");
}

TEST_F(LineEditorTest, DeleteKeyErasesUnderTheCursor) {
    type("abc\x01");
    EXPECT_EQ(type("\x1b[3~"), "bc \x1b[3D");
    type("\r");
    EXPECT_EQ(line(), "bc");
}

TEST_F(LineEditorTest, CtrlUKillsTheWholeLine) {
    type("echo hello\x1b[D");
    EXPECT_EQ(type("\x15"), "\rkeel> \x1b[K");
    type("\r");
    EXPECT_EQ(line(), "");
}

TEST_F(LineEditorTest, CtrlWKillsTheWordBeforeTheCursor) {
    type("echo one two  ");
    EXPECT_EQ(type("\x17"), "\rkeel> echo one \x1b[K");
    type("\x17");
    type("\r");
    EXPECT_EQ(line(), "echo ");
}

TEST_F(LineEditorTest, CtrlCAbandonsTheLine) {
    type("echo oops");
    EXPECT_EQ(type("\x03"), "^C\n");
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0], LineEditor::Event::kCancelled);
    EXPECT_EQ(line(), "");
    EXPECT_EQ(history_.size(), 0u);
}

TEST_F(LineEditorTest, CtrlLClearsTheScreenAndRedrawsTheLine) {
    type("heap\x1b[D");
    EXPECT_EQ(type("\x0c"), "\x1b[H\x1b[2J\rkeel> heap\x1b[K\x1b[D");
}

TEST_F(LineEditorTest, UpAndDownBrowseHistoryAndComeBackToTheDraft) {
    type("first\r");
    editor_.start(out_);
    type("second\r");
    editor_.start(out_);
    out_.take();
    type("dra");
    EXPECT_EQ(type("\x1b[A"), "\rkeel> second\x1b[K");
    EXPECT_EQ(type("\x1b[A"), "\rkeel> first\x1b[K");
    EXPECT_EQ(type("\x1b[A"), "");  // no older entry
    EXPECT_EQ(type("\x1b[B\x1b[B"), "\rkeel> second\x1b[K\rkeel> dra\x1b[K");
    EXPECT_EQ(type("\x1b[B"), "");
    EXPECT_EQ(type("\x10"), "\rkeel> second\x1b[K");  // Ctrl-P
    type("\r");
    EXPECT_EQ(line(), "second");
}

TEST_F(LineEditorTest, TabCompletesAUniqueCommandAndAddsASpace) {
    EXPECT_EQ(type("al\t"), "alloc ");
    type("\r");
    EXPECT_EQ(line(), "alloc ");
}

TEST(LineEditorTab, ExtendsToTheCommonPrefixThenListsCandidates) {
    const char* const names[] = {"reboot", "record"};
    History history;
    Candidates candidates;
    StringSink out;
    LineEditor editor(history, candidates, NameList{names, 2});
    editor.start(out);
    out.take();
    for (char c : std::string("r\t")) editor.feed(static_cast<uint8_t>(c), out);
    EXPECT_EQ(out.take(), "re");  // Tab added the "e" both names share
    editor.feed('\t', out);
    EXPECT_EQ(out.take(), "\nreboot  record\n\rkeel> re\x1b[K");
}

TEST_F(LineEditorTest, TabListsCandidatesWhenAmbiguous) {
    EXPECT_EQ(type("he\t"), "he\nheap  help\n\rkeel> he\x1b[K");
    EXPECT_EQ(type("l\t"), "lp ");
}

TEST(LineEditorTab, OnAnEmptyLineListsEveryNameSortedInColumnsThatFitTheScreen) {
    // The shell's 18 commands in its own (help) order, which is not alphabetical.
    const char* const names[] = {"help",       "echo",      "clear",     "version", "heap",
                                 "alloc",      "smp-alloc", "smp-print", "uptime",  "sleep",
                                 "sbi",        "dt",        "harts",     "fault",   "panic",
                                 "panic-hart", "reboot",    "shutdown"};
    History history;
    Candidates candidates;
    StringSink out;
    LineEditor editor(history, candidates, NameList{names, 18});
    editor.start(out);
    out.take();
    editor.feed('\t', out);
    const std::string shown = out.take();
    ASSERT_EQ(shown.rfind("\rkeel> \x1b[K"), shown.size() - 10) << shown;
    // Column by column, as ls lists: the first column holds the first names in order.
    const std::string list = shown.substr(0, shown.size() - 10);
    EXPECT_EQ(list,
              "\n"
              "alloc       echo        heap        panic-hart  shutdown    smp-print\n"
              "clear       fault       help        reboot      sleep       uptime\n"
              "dt          harts       panic       sbi         smp-alloc   version\n");
    size_t start = 1;
    for (size_t end; (end = list.find('\n', start)) != std::string::npos; start = end + 1) {
        EXPECT_LE(end - start, 80u) << "a listed line is wider than the screen";
    }
}

TEST(LineEditorTab, AListTooWideForOneLineWrapsIntoRowsNotPastTheScreen) {
    const char* const names[] = {"a-very-long-command-name-indeed-number-one",
                                 "a-very-long-command-name-indeed-number-two"};
    History history;
    Candidates candidates;
    StringSink out;
    LineEditor editor(history, candidates, NameList{names, 2});
    editor.start(out);
    out.take();
    editor.feed('\t', out);  // extends to the common prefix
    out.take();
    editor.feed('\t', out);
    const std::string shown = out.take();
    EXPECT_EQ(shown.substr(0, shown.find("\r")),
              "\na-very-long-command-name-indeed-number-one\na-very-long-command-name-indeed-"
              "number-two\n");
}

TEST_F(LineEditorTest, TabRingsWhenNothingMatchesTheWord) {
    EXPECT_EQ(type("zz\t"), "zz\a");
    type("\x15");
    out_.take();
    EXPECT_EQ(type("echo he\t"), "echo he\a");
}

TEST_F(LineEditorTest, LineStopsAt255BytesAndRingsTheBell) {
    const std::string full(255, 'x');
    EXPECT_EQ(type(full), full);
    EXPECT_EQ(type("yz"), "\a\a");
    type("\r");
    EXPECT_EQ(line(), full);
}

TEST_F(LineEditorTest, ControlBytesHighBytesAndUnknownEscapesAreSwallowed) {
    std::string junk;
    for (int b : {0x00, 0x02 + 0x02, 0x07, 0x0b, 0x0f, 0x11, 0x1c, 0x1f, 0x80, 0xc3, 0xff})
        junk += char(b);
    junk += "\x1b[99;99;99Z";  // CSI with an unknown final byte
    junk += "\x1b[2J";         // a sequence keel does not act on
    junk += "\x1bx";           // Alt-x
    junk += "\x1b[?25h";       // private parameter
    EXPECT_EQ(type(junk), "");
    type("ok\r");
    EXPECT_EQ(line(), "ok");
}

TEST_F(LineEditorTest, AControlByteInsideAnEscapeEndsItAndStillActs) {
    type("ab\x1b[");
    EXPECT_EQ(type("\r"), "\n");
    EXPECT_EQ(line(), "ab");
}

TEST_F(LineEditorTest, SurvivesRandomBytesAndKeepsItsInvariants) {
    std::mt19937 rng(1234);
    for (int i = 0; i < 1 << 16; ++i) {
        // Bias towards the bytes that matter: ESC, '[', digits, control codes.
        const uint8_t pick = static_cast<uint8_t>(rng());
        const uint8_t byte = pick < 32 ? 0x1b : pick < 48 ? '[' : static_cast<uint8_t>(rng());
        if (editor_.feed(byte, out_) != LineEditor::Event::kNone) editor_.start(out_);
        ASSERT_LE(editor_.line().size, kMaxLine);
        ASSERT_LE(editor_.cursor(), editor_.line().size);
    }
    out_.take();
    type("");  // whatever state it is in, Ctrl-C and a new line work
    editor_.start(out_);
    type("echo alive\r");
    EXPECT_EQ(line(), "echo alive");
}

TEST_F(LineEditorTest, HistoryKeepsSixteenDistinctLinesNewestFirst) {
    for (int i = 0; i < 20; ++i)
        history_.add(StringView{std::to_string(i).c_str(), std::to_string(i).size()});
    history_.add(StringView{"19", 2});  // already the newest: not added twice
    history_.add(StringView{"10", 2});  // an older entry moves to the front
    ASSERT_EQ(history_.size(), 16u);
    EXPECT_EQ(std::string(history_.at(0).data, history_.at(0).size), "10");
    EXPECT_EQ(std::string(history_.at(1).data, history_.at(1).size), "19");
    EXPECT_EQ(std::string(history_.at(15).data, history_.at(15).size), "4");
}

TEST_F(LineEditorTest, EmptyLinesStayOutOfHistory) {
    type("\r\r");
    EXPECT_EQ(history_.size(), 0u);
}

}  // namespace
}  // namespace keel::shell
