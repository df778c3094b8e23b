// SPDX-License-Identifier: MIT
// The line discipline against Linux's N_TTY: bytes typed, the exact echo, what read(2) returns,
// and what output processing makes of a write(2). Settings start as Linux's tty_std_termios, so
// an echoed newline is "\r\n" (ONLCR) unless a test says otherwise.
#include <gtest/gtest.h>
#include <keel/lib/line_discipline.h>

#include <cstring>
#include <string>
#include <vector>

namespace keel {
namespace {

constexpr tcflag_t kTab3 = 0x1800;  // TABDLY's TAB3 (XTABS), asm-generic/termbits.h
// Linux's signal numbers (keel/abi/signal.h, which collides with the libc GoogleTest includes).
constexpr int kSigint = 2;
constexpr int kSigquit = 3;
constexpr int kSigtstp = 20;

// The kernel has no global constructors: its terminals are constinit.
constinit LineDiscipline g_constant_initialized;

class LineDisciplineTest : public ::testing::Test {
protected:
    // Types every byte, each with an empty TtyOutput; returns the echo, keeps the signals.
    std::string type(const std::string& bytes) {
        std::string echoed;
        for (char c : bytes) {
            TtyOutput echo;
            const int number = tty_.receive(static_cast<uint8_t>(c), echo);
            if (number != 0) signals_.push_back(number);
            echoed.append(echo.data(), echo.size());
        }
        return echoed;
    }
    std::string read(size_t size = 8192) {
        std::string bytes(size, '\0');
        bytes.resize(tty_.read(bytes.data(), size));
        return bytes;
    }
    // A write(2) that drains the output as it fills.
    std::string write(const std::string& text) {
        std::string shown;
        TtyOutput out(append, &shown);
        EXPECT_EQ(tty_.write(text.data(), text.size(), out), text.size());
        out.flush();
        return shown;
    }
    static void append(void* context, const char* bytes, size_t size) {
        static_cast<std::string*>(context)->append(bytes, size);
    }
    void set(tcflag_t termios::*field, tcflag_t on, tcflag_t off = 0) {
        termios t = tty_.settings();
        t.*field = (t.*field | on) & ~off;
        tty_.set_settings(t);
    }
    void set_char(int index, cc_t value) {
        termios t = tty_.settings();
        t.c_cc[index] = value;
        tty_.set_settings(t);
    }
    void raw(cc_t vmin, cc_t vtime) {
        termios t = tty_.settings();
        t.c_lflag &= ~ICANON;
        t.c_cc[VMIN] = vmin;
        t.c_cc[VTIME] = vtime;
        tty_.set_settings(t);
    }

    LineDiscipline tty_;
    std::vector<int> signals_;
};

using Signals = std::vector<int>;

TEST_F(LineDisciplineTest, ConstantInitializedStartsWithTheDefaults) {
    EXPECT_EQ(memcmp(&g_constant_initialized.settings(), &tty_.settings(), sizeof(termios)), 0);
    EXPECT_EQ(g_constant_initialized.input_queued(), 0u);
}

TEST_F(LineDisciplineTest, DefaultsAreLinuxStdTermios) {
    const termios& t = tty_.settings();
    EXPECT_EQ(t.c_iflag, tcflag_t{ICRNL | IXON});
    EXPECT_EQ(t.c_oflag, tcflag_t{OPOST | ONLCR});
    EXPECT_EQ(t.c_cflag, tcflag_t{B38400 | CS8 | CREAD | HUPCL});
    EXPECT_EQ(t.c_lflag,
              tcflag_t{ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN});
    EXPECT_EQ(t.c_line, 0);
    const std::vector<cc_t> init_c_cc = {003, 034, 0177, 025, 004, 0,   1, 0, 021, 023,
                                         032, 0,   022,  017, 027, 026, 0, 0, 0};
    EXPECT_EQ(std::vector<cc_t>(t.c_cc, t.c_cc + NCCS), init_c_cc);
}

// Canonical input.

TEST_F(LineDisciplineTest, TypedBytesEchoAsTheyAre) {
    EXPECT_EQ(type("hi there"), "hi there");
}

TEST_F(LineDisciplineTest, LineIsNotReadableUntilItEnds) {
    type("abc");
    EXPECT_FALSE(tty_.readable(1));
    EXPECT_EQ(tty_.available(), 0u);
    EXPECT_EQ(read(), "");
    type("\n");
    EXPECT_TRUE(tty_.readable(1));
    EXPECT_EQ(tty_.available(), 4u);
}

TEST_F(LineDisciplineTest, ReadReturnsOneLineAtATime) {
    type("one\ntwo\n");
    EXPECT_EQ(read(), "one\n");
    EXPECT_EQ(read(), "two\n");
    EXPECT_FALSE(tty_.readable(1));
}

TEST_F(LineDisciplineTest, ReadOfPartOfALineLeavesTheRest) {
    type("abcdef\n");
    EXPECT_EQ(read(4), "abcd");
    EXPECT_EQ(read(), "ef\n");
}

TEST_F(LineDisciplineTest, AReadThatStopsInsideALineSaysSoUntilTheLineIsTaken) {
    type("abcdef\nxy\n");
    EXPECT_FALSE(tty_.inside_line());
    EXPECT_EQ(read(3), "abc");
    EXPECT_TRUE(tty_.inside_line());
    EXPECT_EQ(read(3), "def");
    EXPECT_TRUE(tty_.inside_line());  // its newline is still to come
    EXPECT_EQ(read(3), "\n");
    EXPECT_FALSE(tty_.inside_line());
    EXPECT_EQ(read(3), "xy\n");  // a read that takes a whole line ends where it ends
    EXPECT_FALSE(tty_.inside_line());
}

TEST_F(LineDisciplineTest, AReadUpToAnEofIsNotInsideALine) {
    type("abc\x04");
    EXPECT_EQ(read(3), "abc");
    EXPECT_FALSE(tty_.inside_line());
}

TEST_F(LineDisciplineTest, AFlushEndsTheLineAReadStoppedInside) {
    type("abcdef\n");
    EXPECT_EQ(read(2), "ab");
    tty_.flush_input();
    EXPECT_FALSE(tty_.inside_line());
}

TEST_F(LineDisciplineTest, ReadOfNothingTakesNothing) {
    type("a\n");
    EXPECT_TRUE(tty_.readable(0));
    EXPECT_EQ(read(0), "");
    EXPECT_EQ(read(), "a\n");
}

TEST_F(LineDisciplineTest, IcrnlTurnsCarriageReturnIntoNewline) {
    EXPECT_EQ(type("ab\r"), "ab\r\n");
    EXPECT_EQ(read(), "ab\n");
}

TEST_F(LineDisciplineTest, WithoutIcrnlCarriageReturnIsAnOrdinaryControlByte) {
    set(&termios::c_iflag, 0, ICRNL);
    EXPECT_EQ(type("a\rb\n"), "a^Mb\r\n");
    EXPECT_EQ(read(), "a\rb\n");
}

TEST_F(LineDisciplineTest, IgncrDropsCarriageReturn) {
    set(&termios::c_iflag, IGNCR);
    EXPECT_EQ(type("a\rb\n"), "ab\r\n");
    EXPECT_EQ(read(), "ab\n");
}

TEST_F(LineDisciplineTest, InlcrTurnsNewlineIntoCarriageReturn) {
    set(&termios::c_iflag, INLCR, ICRNL);
    raw(1, 0);
    type("a\n");
    EXPECT_EQ(read(), "a\r");
}

TEST_F(LineDisciplineTest, IstripClearsTheEighthBit) {
    set(&termios::c_iflag, ISTRIP);
    type("\xe1\x8a");  // 0x8a stripped is '\n': it ends the line
    EXPECT_EQ(read(), "a\n");
}

TEST_F(LineDisciplineTest, IuclcWithIextenLowersCapitals) {
    set(&termios::c_iflag, IUCLC);
    EXPECT_EQ(type("AbC\n"), "abc\r\n");
    EXPECT_EQ(read(), "abc\n");
}

TEST_F(LineDisciplineTest, IuclcNeedsIexten) {
    set(&termios::c_iflag, IUCLC);
    set(&termios::c_lflag, 0, IEXTEN);
    type("AbC\n");
    EXPECT_EQ(read(), "AbC\n");
}

// Signal characters.

TEST_F(LineDisciplineTest, CtrlCReturnsSigintAndFlushesTheLine) {
    type("abc");
    EXPECT_EQ(type("\x03"), "^C");
    EXPECT_EQ(signals_, Signals{kSigint});
    type("\n");
    EXPECT_EQ(read(), "\n");
}

TEST_F(LineDisciplineTest, CtrlCFlushesCompleteLinesToo) {
    type("ready\n\x03");
    EXPECT_EQ(tty_.input_queued(), 0u);
    EXPECT_FALSE(tty_.readable(1));
}

TEST_F(LineDisciplineTest, CtrlBackslashReturnsSigquit) {
    EXPECT_EQ(type("\x1c"), "^\\");
    EXPECT_EQ(signals_, Signals{kSigquit});
}

TEST_F(LineDisciplineTest, CtrlZReturnsSigtstp) {
    EXPECT_EQ(type("\x1a"), "^Z");
    EXPECT_EQ(signals_, Signals{kSigtstp});
}

TEST_F(LineDisciplineTest, SignalDiscardsOutputNotYetSent) {
    TtyOutput echo;
    tty_.receive('a', echo);
    EXPECT_EQ(tty_.receive(0x03, echo), kSigint);
    EXPECT_EQ(std::string(echo.data(), echo.size()), "^C");
}

TEST_F(LineDisciplineTest, NoflshKeepsQueueAndOutputOnSignal) {
    set(&termios::c_lflag, NOFLSH);
    type("ab\nc");
    TtyOutput echo;
    tty_.receive('d', echo);
    EXPECT_EQ(tty_.receive(0x03, echo), kSigint);
    EXPECT_EQ(std::string(echo.data(), echo.size()), "d^C");
    type("\n");
    EXPECT_EQ(read(), "ab\n");
    EXPECT_EQ(read(), "cd\n");
}

TEST_F(LineDisciplineTest, WithoutIsigCtrlCIsAnOrdinaryByte) {
    set(&termios::c_lflag, 0, ISIG);
    EXPECT_EQ(type("\x03\n"), "^C\r\n");
    EXPECT_TRUE(signals_.empty());
    EXPECT_EQ(read(), "\x03\n");
}

TEST_F(LineDisciplineTest, DisabledSignalCharacterIsAnOrdinaryByte) {
    set_char(VINTR, 0);
    type("\x03\n");
    EXPECT_TRUE(signals_.empty());
    EXPECT_EQ(read(), "\x03\n");
}

TEST_F(LineDisciplineTest, NulNeverMatchesADisabledCharacter) {
    set_char(VINTR, 0);  // VEOL and VEOL2 are 0 already
    EXPECT_EQ(type(std::string(1, '\0')), "^@");
    EXPECT_TRUE(signals_.empty());
    EXPECT_FALSE(tty_.readable(1));
    type("\n");
    EXPECT_EQ(read(), std::string("\0\n", 2));
}

// Canonical editing.

TEST_F(LineDisciplineTest, EraseWithEchoeEchoesBackspaceSpaceBackspace) {
    EXPECT_EQ(type("ab\x7f"), "ab\b \b");
    type("\n");
    EXPECT_EQ(read(), "a\n");
}

TEST_F(LineDisciplineTest, EraseWithoutEchoeEchoesTheEraseCharacter) {
    set(&termios::c_lflag, 0, ECHOE);
    EXPECT_EQ(type("ab\x7f"), "ab^?");
    type("\n");
    EXPECT_EQ(read(), "a\n");
}

TEST_F(LineDisciplineTest, EraseOfAnEchoedControlCharacterTakesTwoRubouts) {
    EXPECT_EQ(type("a\x01"), "a^A");
    EXPECT_EQ(type("\x7f"), "\b \b\b \b");
}

TEST_F(LineDisciplineTest, EraseOfARawEchoedControlCharacterEchoesNothing) {
    set(&termios::c_lflag, 0, ECHOCTL);
    EXPECT_EQ(type("\x01"), "\x01");
    EXPECT_EQ(type("\x7f"), "");
}

TEST_F(LineDisciplineTest, EraseAtLineStartDoesNothing) {
    EXPECT_EQ(type("\x7f"), "");
}

TEST_F(LineDisciplineTest, EraseNeverReachesIntoACompleteLine) {
    EXPECT_EQ(type("a\n\x7f"), "a\r\n");
    EXPECT_EQ(read(), "a\n");
}

TEST_F(LineDisciplineTest, EraseOfATabBacksUpToWhereTheLineStarted) {
    write("ab");  // a prompt: the line starts at column 2
    EXPECT_EQ(type("\t"), "\t");
    EXPECT_EQ(type("\x7f"), std::string(6, '\b'));
}

TEST_F(LineDisciplineTest, EraseOfATabAfterAnotherTabBacksUpToItsStop) {
    type("\txy\t");
    EXPECT_EQ(type("\x7f"), std::string(6, '\b'));
}

TEST_F(LineDisciplineTest, EraseOfATabCountsEchoedControlCharactersAsTwoColumns) {
    type("\x01\t");  // ^A takes columns 0-1, the tab goes on to 8
    EXPECT_EQ(type("\x7f"), std::string(6, '\b'));
}

TEST_F(LineDisciplineTest, Iutf8EraseRemovesAWholeCharacter) {
    set(&termios::c_iflag, IUTF8);
    type("a\xc3\xa9");
    EXPECT_EQ(type("\x7f"), "\b \b");
    type("\n");
    EXPECT_EQ(read(), "a\n");
}

TEST_F(LineDisciplineTest, WithoutIutf8EraseRemovesOneByte) {
    type("a\xc3\xa9\x7f\n");
    EXPECT_EQ(read(), "a\xc3\n");
}

TEST_F(LineDisciplineTest, Iutf8EraseNeverLeavesHalfACharacter) {
    set(&termios::c_iflag, IUTF8);
    type("\xa9\xa9");  // continuation bytes with no lead byte: nothing to erase whole
    EXPECT_EQ(type("\x7f"), "");
    type("\n");
    EXPECT_EQ(read(), "\xa9\xa9\n");
}

TEST_F(LineDisciplineTest, WeraseErasesTheLastWordAndTheBlanksAfterIt) {
    type("echo hello  ");
    std::string rubouts;
    for (int i = 0; i < 7; ++i) rubouts += "\b \b";
    EXPECT_EQ(type("\x17"), rubouts);
    type("\n");
    EXPECT_EQ(read(), "echo \n");
}

TEST_F(LineDisciplineTest, WeraseStopsAtPunctuation) {
    type("cd /usr/lib");
    type("\x17\n");
    EXPECT_EQ(read(), "cd /usr/\n");
}

TEST_F(LineDisciplineTest, WeraseNeedsIexten) {
    set(&termios::c_lflag, 0, IEXTEN);
    type("ab\x17\n");
    EXPECT_EQ(read(), "ab\x17\n");
}

TEST_F(LineDisciplineTest, KillWithEchokeErasesTheLineOnScreen) {
    EXPECT_EQ(type("abc\x15"), "abc\b \b\b \b\b \b");
    type("x\n");
    EXPECT_EQ(read(), "x\n");
}

TEST_F(LineDisciplineTest, KillWithEchokWithoutEchokeEchoesKillAndNewline) {
    set(&termios::c_lflag, 0, ECHOKE);
    EXPECT_EQ(type("abc\x15"), "abc^U\r\n");
    type("x\n");
    EXPECT_EQ(read(), "x\n");
}

TEST_F(LineDisciplineTest, KillWithoutEchokEchoesOnlyTheKillCharacter) {
    set(&termios::c_lflag, 0, ECHOK | ECHOKE);
    EXPECT_EQ(type("abc\x15"), "abc^U");
}

TEST_F(LineDisciplineTest, KillWithoutEchoStillEmptiesTheLine) {
    set(&termios::c_lflag, 0, ECHO);
    EXPECT_EQ(type("abc\x15x\n"), "");
    EXPECT_EQ(read(), "x\n");
}

TEST_F(LineDisciplineTest, LnextQuotesTheNextByte) {
    EXPECT_EQ(type("\x16"), "^\b");
    EXPECT_EQ(type("\x03"), "^C");
    EXPECT_TRUE(signals_.empty());
    type("\n");
    EXPECT_EQ(read(), "\x03\n");
}

TEST_F(LineDisciplineTest, LnextQuotesANewlineIntoTheLine) {
    EXPECT_EQ(type("a\x16\n"), "a^\b^J");
    EXPECT_FALSE(tty_.readable(1));
    type("b\n");
    EXPECT_EQ(read(), "a\nb\n");
}

TEST_F(LineDisciplineTest, LnextNeedsIexten) {
    set(&termios::c_lflag, 0, IEXTEN);
    type("\x16\x03");
    EXPECT_EQ(signals_, Signals{kSigint});
}

TEST_F(LineDisciplineTest, ReprintEchoesTheLineAgain) {
    EXPECT_EQ(type("ab\x01\x12"), "ab^A^R\r\nab^A");
    type("\n");
    EXPECT_EQ(read(), "ab\x01\n");
}

TEST_F(LineDisciplineTest, EchoprtShowsErasedCharactersBetweenBackslashAndSlash) {
    set(&termios::c_lflag, ECHOPRT);
    EXPECT_EQ(type("abc\x7f\x7f"), "abc\\cb");
    EXPECT_EQ(type("d"), "/d");
}

TEST_F(LineDisciplineTest, EofAtLineStartReadsZeroBytes) {
    EXPECT_EQ(type("\x04"), "");
    EXPECT_TRUE(tty_.readable(1));
    EXPECT_EQ(tty_.available(), 0u);
    EXPECT_EQ(read(), "");
    EXPECT_FALSE(tty_.readable(1));
}

TEST_F(LineDisciplineTest, EofEndsALineWithoutBeingStoredOrEchoed) {
    EXPECT_EQ(type("ab\x04"), "ab");
    EXPECT_EQ(read(), "ab");
    EXPECT_FALSE(tty_.readable(1));
}

TEST_F(LineDisciplineTest, EofRightAfterAReadThatFilledItsBufferIsConsumed) {
    type("abc\x04");
    EXPECT_EQ(read(3), "abc");
    EXPECT_FALSE(tty_.readable(1));
}

TEST_F(LineDisciplineTest, EolEndsALineAndIsStored) {
    set_char(VEOL, ';');
    EXPECT_EQ(type("ab;"), "ab;");
    EXPECT_EQ(read(), "ab;");
}

TEST_F(LineDisciplineTest, Eol2EndsALine) {
    set_char(VEOL2, ';');
    type("ab;");
    EXPECT_EQ(read(), "ab;");
}

TEST_F(LineDisciplineTest, Eol2NeedsIexten) {
    set_char(VEOL2, ';');
    set(&termios::c_lflag, 0, IEXTEN);
    type("ab;");
    EXPECT_FALSE(tty_.readable(1));
}

// Echo.

TEST_F(LineDisciplineTest, EchoOffEchoesNothing) {
    set(&termios::c_lflag, 0, ECHO);
    EXPECT_EQ(type("secret\n"), "");
    EXPECT_EQ(read(), "secret\n");
}

TEST_F(LineDisciplineTest, EchonlEchoesTheNewlineWithoutEcho) {
    set(&termios::c_lflag, ECHONL, ECHO);
    EXPECT_EQ(type("ab\n"), "\r\n");
}

TEST_F(LineDisciplineTest, EchoctlShowsControlCharactersAsCaretLetters) {
    EXPECT_EQ(type("\x01\x1b"), "^A^[");
}

TEST_F(LineDisciplineTest, EchoctlLeavesTabAlone) {
    EXPECT_EQ(type("\t"), "\t");
}

TEST_F(LineDisciplineTest, WithoutEchoctlControlCharactersEchoAsThemselves) {
    set(&termios::c_lflag, 0, ECHOCTL);
    EXPECT_EQ(type("\x01"), "\x01");
}

TEST_F(LineDisciplineTest, EchoedNewlineGoesThroughOnlcr) {
    EXPECT_EQ(type("\n"), "\r\n");
    set(&termios::c_oflag, 0, ONLCR);
    EXPECT_EQ(type("\n"), "\n");
}

TEST_F(LineDisciplineTest, RawModeEchoesDelAsCaretQuestionMark) {
    raw(1, 0);
    EXPECT_EQ(type("\x7f"), "^?");
}

TEST_F(LineDisciplineTest, RawModeEchoesATypedNewlineAsCaretJButAMappedCrAsNewline) {
    raw(1, 0);
    EXPECT_EQ(type("\n"), "^J");
    EXPECT_EQ(type("\r"), "\r\n");
}

TEST_F(LineDisciplineTest, EchoMovesTheColumnThatOutputSees) {
    set(&termios::c_oflag, ONOCR);
    type("a");
    EXPECT_EQ(write("\r"), "\r");
    EXPECT_EQ(write("\r"), "");
}

// Flow control (IXON).

TEST_F(LineDisciplineTest, StopCharacterStopsOutputAndIsConsumed) {
    EXPECT_EQ(type("\x13"), "");
    EXPECT_TRUE(tty_.output_stopped());
    EXPECT_EQ(type("\x11"), "");
    EXPECT_FALSE(tty_.output_stopped());
    type("\n");
    EXPECT_EQ(read(), "\n");
}

TEST_F(LineDisciplineTest, WithoutIxanyOtherBytesLeaveOutputStopped) {
    type(
        "\x13"
        "a");
    EXPECT_TRUE(tty_.output_stopped());
}

TEST_F(LineDisciplineTest, IxanyRestartsOutputOnAnyByte) {
    set(&termios::c_iflag, IXANY);
    type(
        "\x13"
        "a");
    EXPECT_FALSE(tty_.output_stopped());
}

TEST_F(LineDisciplineTest, SignalCharacterRestartsOutput) {
    type("\x13\x03");
    EXPECT_FALSE(tty_.output_stopped());
}

TEST_F(LineDisciplineTest, WithoutIxonStopCharacterIsAnOrdinaryByte) {
    set(&termios::c_iflag, 0, IXON);
    EXPECT_EQ(type("\x13"), "^S");
    EXPECT_FALSE(tty_.output_stopped());
}

TEST_F(LineDisciplineTest, ClearingIxonRestartsOutput) {
    type("\x13");
    set(&termios::c_iflag, 0, IXON);
    EXPECT_FALSE(tty_.output_stopped());
}

// A full queue.

TEST_F(LineDisciplineTest, LineLongerThanBufferKeepsTheNewline) {
    type(std::string(5000, 'a') + "\n");
    EXPECT_EQ(read(), std::string(LineDiscipline::kBufferSize - 1, 'a') + "\n");
    EXPECT_EQ(tty_.dropped_input(), 5000 - (LineDiscipline::kBufferSize - 1));
}

TEST_F(LineDisciplineTest, BytesDroppedForWantOfRoomAreNotEchoed) {
    type(std::string(LineDiscipline::kBufferSize - 1, 'a'));
    EXPECT_EQ(type("b"), "");
}

TEST_F(LineDisciplineTest, FullLineStillTakesEditing) {
    type(std::string(5000, 'a') + "\x7f" + "b\n");
    EXPECT_EQ(read(), std::string(LineDiscipline::kBufferSize - 2, 'a') + "b\n");
}

TEST_F(LineDisciplineTest, FullRawQueueDropsFurtherBytes) {
    raw(1, 0);
    type(std::string(LineDiscipline::kBufferSize + 10, 'x'));
    EXPECT_EQ(tty_.input_queued(), LineDiscipline::kBufferSize - 1);
    EXPECT_EQ(tty_.dropped_input(), 11u);
}

// Non-canonical input.

TEST_F(LineDisciplineTest, RawModeWithVmin0ReturnsWhatIsThere) {
    raw(0, 0);
    EXPECT_TRUE(tty_.readable(10));
    EXPECT_EQ(read(10), "");
    type("ab");
    EXPECT_EQ(read(10), "ab");
}

TEST_F(LineDisciplineTest, RawModeWithVmin0AndVtimeWaitsForOneByte) {
    raw(0, 5);
    EXPECT_FALSE(tty_.readable(10));
    type("a");
    EXPECT_TRUE(tty_.readable(10));
}

TEST_F(LineDisciplineTest, RawModeIsReadableOnceVminBytesArrived) {
    raw(3, 0);
    type("ab");
    EXPECT_FALSE(tty_.readable(10));
    type("c");
    EXPECT_TRUE(tty_.readable(10));
}

TEST_F(LineDisciplineTest, RawModeIsReadableWithFewerThanVminWhenTheReadWantsFewer) {
    raw(3, 0);
    type("ab");
    EXPECT_TRUE(tty_.readable(2));
}

TEST_F(LineDisciplineTest, PollCountsVminOnlyWithoutVtime) {
    raw(3, 0);
    type("a");
    EXPECT_FALSE(tty_.poll_readable());
    raw(3, 1);
    EXPECT_TRUE(tty_.poll_readable());
}

TEST_F(LineDisciplineTest, RawModeReadTakesWhatIsQueued) {
    raw(1, 0);
    type("abc");
    EXPECT_EQ(tty_.available(), 3u);
    EXPECT_EQ(read(2), "ab");
    EXPECT_EQ(read(), "c");
}

TEST_F(LineDisciplineTest, RawModeHasNoLineEditing) {
    raw(1, 0);
    type("ab\x7f\x15\x04");
    EXPECT_EQ(read(), "ab\x7f\x15\x04");
}

// Switching ICANON.

TEST_F(LineDisciplineTest, SwitchingIcanonOffMakesThePartialLineReadable) {
    type("abc");
    raw(1, 0);
    EXPECT_EQ(read(), "abc");
}

TEST_F(LineDisciplineTest, SwitchingIcanonOnMakesQueuedBytesOneLine) {
    raw(1, 0);
    type("ab\ncd");
    set(&termios::c_lflag, ICANON);
    EXPECT_EQ(tty_.input_queued(), 5u);
    EXPECT_EQ(read(), "ab\ncd");
}

TEST_F(LineDisciplineTest, SwitchingIcanonOnWithNothingQueuedWaitsForALine) {
    raw(1, 0);
    set(&termios::c_lflag, ICANON);
    type("ab");
    EXPECT_FALSE(tty_.readable(1));
}

TEST_F(LineDisciplineTest, EofReadsAsNulOnceIcanonIsOff) {
    type("ab\x04");
    raw(1, 0);
    EXPECT_EQ(read(), std::string("ab\0", 3));
}

// FIONREAD and TCIFLUSH.

TEST_F(LineDisciplineTest, InputQueuedCountsOnlyCompleteLines) {
    type("ab\ncd");
    EXPECT_EQ(tty_.input_queued(), 3u);
}

TEST_F(LineDisciplineTest, InputQueuedLeavesEofsOut) {
    type("ab\x04\x04");
    EXPECT_EQ(tty_.input_queued(), 2u);
}

TEST_F(LineDisciplineTest, InputQueuedCountsEverythingInRawMode) {
    raw(1, 0);
    type("ab\ncd");
    EXPECT_EQ(tty_.input_queued(), 5u);
}

TEST_F(LineDisciplineTest, FlushInputEmptiesTheQueue) {
    type("ab\ncd");
    tty_.flush_input();
    EXPECT_EQ(tty_.input_queued(), 0u);
    EXPECT_FALSE(tty_.readable(1));
    type("\n");
    EXPECT_EQ(read(), "\n");
}

// Output processing.

TEST_F(LineDisciplineTest, OnlcrTurnsNewlineIntoCrLf) {
    EXPECT_EQ(write("a\nb"), "a\r\nb");
}

TEST_F(LineDisciplineTest, WithoutOpostBytesPassUnchanged) {
    set(&termios::c_oflag, OCRNL | OLCUC, OPOST);
    EXPECT_EQ(write("a\n\r\t"), "a\n\r\t");
}

TEST_F(LineDisciplineTest, OcrnlTurnsCarriageReturnIntoNewline) {
    set(&termios::c_oflag, OCRNL, ONLCR);
    EXPECT_EQ(write("a\r"), "a\n");
}

TEST_F(LineDisciplineTest, OnocrDropsCarriageReturnAtColumnZero) {
    set(&termios::c_oflag, ONOCR);
    EXPECT_EQ(write("\r"), "");
    EXPECT_EQ(write("a\r"), "a\r");
    EXPECT_EQ(write("b\n\r"), "b\r\n");
}

TEST_F(LineDisciplineTest, OnlretNewlineReturnsToColumnZero) {
    set(&termios::c_oflag, ONLRET | ONOCR, ONLCR);
    EXPECT_EQ(write("a\n\r"), "a\n");
}

TEST_F(LineDisciplineTest, Tab3ExpandsTabsToTheNextStop) {
    set(&termios::c_oflag, kTab3);
    EXPECT_EQ(write("ab\tc"), "ab      c");
}

TEST_F(LineDisciplineTest, OlcucRaisesLowerCase) {
    set(&termios::c_oflag, OLCUC);
    EXPECT_EQ(write("aB1"), "AB1");
}

TEST_F(LineDisciplineTest, WriteStopsWhenOutputIsFull) {
    TtyOutput out;
    const std::string text(300, 'x');
    EXPECT_EQ(tty_.write(text.data(), text.size(), out), TtyOutput::kCapacity);
    EXPECT_EQ(out.size(), TtyOutput::kCapacity);
}

TEST_F(LineDisciplineTest, WriteNeverSplitsCrLf) {
    TtyOutput out;
    const std::string text = std::string(TtyOutput::kCapacity - 1, 'x') + "\n";
    EXPECT_EQ(tty_.write(text.data(), text.size(), out), TtyOutput::kCapacity - 1);
    out.clear();
    EXPECT_EQ(tty_.write(text.data() + text.size() - 1, 1, out), 1u);
    EXPECT_EQ(std::string(out.data(), out.size()), "\r\n");
}

TEST_F(LineDisciplineTest, DrainTakesTheOutputAsItFills) {
    EXPECT_EQ(write(std::string(1000, 'x')), std::string(1000, 'x'));
}

TEST_F(LineDisciplineTest, EchoThatDoesNotFitIsCountedAsDropped) {
    TtyOutput echo;
    const std::string text(TtyOutput::kCapacity, 'x');
    tty_.write(text.data(), text.size(), echo);
    tty_.receive('a', echo);
    EXPECT_EQ(tty_.echo_dropped(), 1u);
    type("\n");
    EXPECT_EQ(read(), "a\n");
}

}  // namespace
}  // namespace keel
