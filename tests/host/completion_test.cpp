// SPDX-License-Identifier: MIT
// Tab completion: the candidate store, and the line editor completing commands, programs and
// paths from a made-up file system (the kernel's own source is tested in QEMU: qemu.shell).
#include <gtest/gtest.h>
#include <keel/shell/completion.h>
#include <keel/shell/line_editor.h>

#include <string>
#include <vector>

namespace keel::shell {
namespace {

std::vector<std::string> names_of(const Candidates& candidates) {
    std::vector<std::string> names;
    for (size_t i = 0; i < candidates.count(); ++i) {
        const StringView name = candidates.name(i);
        names.emplace_back(std::string(name.data, name.size) +
                           (candidates.directory(i) ? "/" : ""));
    }
    return names;
}

TEST(Candidates, KeepsNamesSortedInByteOrderAndEachOnce) {
    Candidates candidates;
    for (const char* name : {"help", "head", "echo", "he", "help", "Zed", "echo"})
        candidates.add(StringView::of(name));
    candidates.add(StringView::of("etc"), true);
    EXPECT_EQ(names_of(candidates),
              (std::vector<std::string>{"Zed", "echo", "etc/", "he", "head", "help"}));
    EXPECT_EQ(candidates.left_out(), 0u);
    candidates.clear();
    EXPECT_EQ(candidates.count(), 0u);
}

TEST(Candidates, CountsWhatDoesNotFitInsteadOfKeepingIt) {
    Candidates candidates;
    for (size_t i = 0; i < Candidates::kMaxNames + 3; ++i)
        candidates.add(StringView::of(std::to_string(100000 + i).c_str()));
    EXPECT_EQ(candidates.count(), Candidates::kMaxNames);
    EXPECT_EQ(candidates.left_out(), 3u);
    const std::string too_long(Candidates::kMaxName + 1, 'x');
    Candidates other;
    other.add(StringView{too_long.data(), too_long.size()});
    EXPECT_EQ(other.count(), 0u);
    EXPECT_EQ(other.left_out(), 1u);
}

// A file system of two directories: / holds bin/, etc/, home/ and hello.txt; /etc/ holds passwd,
// profile and init.d/. g_asked records each directory the editor asks for.
std::vector<std::string> g_asked;

void programs(StringView prefix, Candidates& out) {
    for (const char* name : {"hello", "head", "hexdump", "echo", "keel-cat"}) {
        if (StringView::of(name).starts_with(prefix)) out.add(StringView::of(name));
    }
}

void entries(StringView directory, StringView prefix, Candidates& out) {
    const std::string dir(directory.data, directory.size);
    g_asked.push_back(dir);
    struct Entry {
        const char* name;
        bool directory;
    };
    const std::vector<Entry> root = {
        {"bin", true}, {"etc", true}, {"home", true}, {"hello.txt", false}};
    const std::vector<Entry> etc = {{"passwd", false}, {"profile", false}, {"init.d", true}};
    const std::vector<Entry>* listed = dir == "/" || dir.empty() ? &root
                                       : dir == "/etc/"          ? &etc
                                                                 : nullptr;
    if (listed == nullptr) return;
    for (const Entry& e : *listed) {
        if (StringView::of(e.name).starts_with(prefix))
            out.add(StringView::of(e.name), e.directory);
    }
}

const char* const kCommands[] = {"echo", "help", "heap", "harts"};

class CompletionTest : public ::testing::Test {
protected:
    CompletionTest()
        : editor_(history_, candidates_, NameList{kCommands, 4}, NameSource{&programs, &entries}) {
        g_asked.clear();
        editor_.start(out_);
        out_.take();
    }

    std::string type(const std::string& bytes) {
        for (char c : bytes) editor_.feed(static_cast<uint8_t>(c), out_);
        return out_.take();
    }
    std::string line() const { return std::string(editor_.line().data, editor_.line().size); }

    class Sink final : public FormatSink {
    public:
        void write(const char* text, size_t length) override { text_.append(text, length); }
        std::string take() { return std::exchange(text_, {}); }

    private:
        std::string text_;
    };

    History history_;
    Candidates candidates_;
    Sink out_;
    LineEditor editor_;
};

TEST_F(CompletionTest, TheFirstWordCompletesToAProgramToo) {
    EXPECT_EQ(type("hell\t"), "hello ");
    EXPECT_EQ(type("\x15keel\t"), "\rkeel> \x1b[Kkeel-cat ");
    EXPECT_EQ(line(), "keel-cat ");
}

TEST_F(CompletionTest, ACommandAndAProgramOfOneNameAreOneCandidate) {
    EXPECT_EQ(type("ech\t"), "echo ");
}

TEST_F(CompletionTest, CommandsAndProgramsAreListedTogetherSorted) {
    EXPECT_EQ(type("he\t"), "he\nhead     heap     hello    help     hexdump\n\rkeel> he\x1b[K");
}

TEST_F(CompletionTest, ALaterWordCompletesToAPathAndADirectoryEndsInASlash) {
    EXPECT_EQ(type("cat /e\t"), "cat /etc/");
    EXPECT_EQ(type("pa\t"), "passwd ");
    EXPECT_EQ(line(), "cat /etc/passwd ");
    EXPECT_EQ(g_asked, (std::vector<std::string>{"/", "/etc/"}));
}

TEST_F(CompletionTest, AWordWithoutASlashIsLookedUpInTheWorkingDirectory) {
    EXPECT_EQ(type("cat hel\t"), "cat hello.txt ");
    EXPECT_EQ(g_asked, (std::vector<std::string>{""}));
}

TEST_F(CompletionTest, AFirstWordWithASlashIsAPath) {
    EXPECT_EQ(type("/b\t"), "/bin/");
    EXPECT_EQ(g_asked, (std::vector<std::string>{"/"}));
}

TEST_F(CompletionTest, EntriesAreListedWithASlashAfterEachDirectory) {
    EXPECT_EQ(type("ls /\t"), "ls /\nbin/       etc/       hello.txt  home/\n\rkeel> ls /\x1b[K");
    EXPECT_EQ(type("h\t"), "h\nhello.txt  home/\n\rkeel> ls /h\x1b[K");
}

TEST_F(CompletionTest, NothingToOfferRingsAndChangesNothing) {
    EXPECT_EQ(type("cat /nowhere/x\t"), "cat /nowhere/x\a");
    EXPECT_EQ(type("\x15"
                   "zz\t"),
              "\rkeel> \x1b[Kzz\a");
}

TEST_F(CompletionTest, InsideAWordTabRings) {
    type("cat /e");
    EXPECT_EQ(type("\x1b[D\t"), "\x1b[D\a");
    EXPECT_EQ(line(), "cat /e");
}

TEST_F(CompletionTest, CompletesAtACursorBeforeLaterWordsWithoutAddingASpace) {
    type("cat /e /etc");
    const std::string five_left = "\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D";
    EXPECT_EQ(type(five_left + "\t"), five_left + "tc/ /etc\x1b[5D");
    EXPECT_EQ(line(), "cat /etc/ /etc");
}

TEST(CompletionMany, PastAHundredCandidatesItSaysHowManyInsteadOfListing) {
    std::vector<std::string> names;
    for (int i = 0; i < 150; ++i) names.push_back("name" + std::to_string(1000 + i));
    std::vector<const char*> pointers;
    for (const std::string& name : names) pointers.push_back(name.c_str());
    History history;
    Candidates candidates;
    LineEditor editor(history, candidates, NameList{pointers.data(), pointers.size()});
    class Sink final : public FormatSink {
    public:
        void write(const char* text, size_t length) override { shown.append(text, length); }
        std::string shown;
    } out;
    editor.start(out);
    for (char c : std::string("n\t\t")) editor.feed(static_cast<uint8_t>(c), out);
    EXPECT_EQ(out.shown,
              "keel> name1\n150 names match; type more of the one you want\n\rkeel> name1\x1b[K");
}

}  // namespace
}  // namespace keel::shell
