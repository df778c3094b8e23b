// SPDX-License-Identifier: MIT
// The VFS's answers (lib/name_rules.h) against Linux's: each case is a call (in its comment where
// the facts alone do not say it), the facts the walk would find, and the errno Linux gives, as a C
// program making each call saw it on Linux 6.12; tests/linux/files.c makes many of them on keel.
#include <gtest/gtest.h>
#include <keel/lib/name_rules.h>

namespace keel::names {
namespace {

StringView text(const char* s) {
    return StringView::of(s);
}

Found name(const char* last, Type type = Type::kNone) {
    Found f;
    f.last = text(last);
    f.type = type;
    return f;
}

Found with_slash(Found f) {
    f.trailing_slash = true;
    return f;
}

Found full(Found f) {
    f.has_entries = true;
    return f;
}

Found busy(Found f) {
    f.busy = true;
    return f;
}

Found in_removed_directory(Found f) {
    f.parent_removed = true;
    return f;
}

TEST(NameRules, OpenOfAnExistingFile) {
    const OpenHow read_only{};
    const OpenHow writing{false, false, false, true};
    const OpenHow directory{false, true, false, false};
    const OpenHow creating{false, false, true, false};
    const OpenHow path_directory{true, true, false, false};
    EXPECT_EQ(open_existing(Type::kRegular, read_only), kOk);
    EXPECT_EQ(open_existing(Type::kDirectory, read_only), kOk);  // opendir
    EXPECT_EQ(open_existing(Type::kDirectory, writing), kEisdir);
    EXPECT_EQ(open_existing(Type::kDirectory, creating), kEisdir);  // O_CREAT of "/"
    EXPECT_EQ(open_existing(Type::kRegular, directory), kEnotdir);  // O_DIRECTORY of a file
    EXPECT_EQ(open_existing(Type::kSymlink, read_only), kEloop);    // O_NOFOLLOW met a link
    EXPECT_EQ(open_existing(Type::kSymlink, OpenHow{true, false, false, false}), kOk);  // O_PATH
    EXPECT_EQ(open_existing(Type::kRegular, path_directory), kEnotdir);
    EXPECT_EQ(open_existing(Type::kOther, writing), kOk);  // /dev/null
}

TEST(NameRules, CreationByOpen) {
    EXPECT_EQ(create_file(name("new")), kOk);
    EXPECT_EQ(create_file(with_slash(name("new"))), kEisdir);  // open("new/", O_CREAT)
    EXPECT_EQ(create_file(in_removed_directory(name("new"))), kEnoent);
}

TEST(NameRules, MakingANewName) {
    EXPECT_EQ(make(name("d"), Type::kDirectory), kOk);
    EXPECT_EQ(make(name("d", Type::kDirectory), Type::kDirectory), kEexist);  // mkdir twice
    EXPECT_EQ(make(name("f", Type::kRegular), Type::kDirectory), kEexist);
    EXPECT_EQ(make(with_slash(name("f", Type::kRegular)), Type::kDirectory), kEexist);  // "file/"
    EXPECT_EQ(make(with_slash(name("d")), Type::kDirectory), kOk);    // mkdir("d/")
    EXPECT_EQ(make(with_slash(name("l")), Type::kSymlink), kEnoent);  // symlink(x, "l/")
    EXPECT_EQ(make(with_slash(name("n")), Type::kOther), kEnoent);    // mknod("n/")
    EXPECT_EQ(make(name("."), Type::kDirectory), kEexist);
    EXPECT_EQ(make(name(".."), Type::kSymlink), kEexist);
    EXPECT_EQ(make(name(""), Type::kDirectory), kEexist);  // mkdir("/")
    EXPECT_EQ(make(in_removed_directory(name("x")), Type::kDirectory), kEnoent);
}

TEST(NameRules, UnlinkAsLinux) {
    EXPECT_EQ(remove(name("f", Type::kRegular), false), kOk);
    EXPECT_EQ(remove(name("l", Type::kSymlink), false), kOk);        // the link, not its target
    EXPECT_EQ(remove(name("d", Type::kDirectory), false), kEisdir);  // unlink of a directory
    EXPECT_EQ(remove(name("gone"), false), kEnoent);                 // of a missing name
    EXPECT_EQ(remove(with_slash(name("f", Type::kRegular)), false), kEnotdir);
    EXPECT_EQ(remove(name("."), false), kEisdir);
    EXPECT_EQ(remove(name(".."), false), kEisdir);
    EXPECT_EQ(remove(name(""), false), kEisdir);  // unlink("/")
}

TEST(NameRules, RmdirAsLinux) {
    EXPECT_EQ(remove(name("d", Type::kDirectory), true), kOk);
    EXPECT_EQ(remove(with_slash(name("d", Type::kDirectory)), true), kOk);  // rmdir("d/")
    EXPECT_EQ(remove(full(name("d", Type::kDirectory)), true), kEnotempty);
    EXPECT_EQ(remove(name("f", Type::kRegular), true), kEnotdir);  // rmdir of a file
    EXPECT_EQ(remove(name("l", Type::kSymlink), true), kEnotdir);  // not its target
    EXPECT_EQ(remove(name("gone"), true), kEnoent);
    EXPECT_EQ(remove(name("."), true), kEinval);
    EXPECT_EQ(remove(name(".."), true), kEnotempty);
    EXPECT_EQ(remove(name(""), true), kEbusy);  // rmdir("/")
    EXPECT_EQ(remove(busy(name("mnt", Type::kDirectory)), true), kEbusy);
}

TEST(NameRules, LinkSources) {
    EXPECT_EQ(link_source(Type::kRegular), kOk);
    EXPECT_EQ(link_source(Type::kSymlink), kOk);  // without AT_SYMLINK_FOLLOW: the link itself
    EXPECT_EQ(link_source(Type::kDirectory), kEperm);
    EXPECT_EQ(link_source(Type::kNone), kEnoent);
}

TEST(NameRules, RenameAsLinux) {
    const Found file = name("f", Type::kRegular);
    const Found dir = name("d", Type::kDirectory);
    const RenameHow plain{};
    EXPECT_EQ(rename(file, name("g"), plain), kOk);
    EXPECT_EQ(rename(file, name("g", Type::kRegular), plain), kOk);  // new over old
    EXPECT_EQ(rename(file, name("g", Type::kRegular), RenameHow{true, false, true}), kEexist);
    EXPECT_EQ(rename(file, name("g"), RenameHow{true, false, true}), kOk);  // NOREPLACE, new name
    EXPECT_EQ(rename(dir, name("d/sub"), RenameHow{true, true, false}), kEinval);  // into itself
    EXPECT_EQ(rename(name("gone"), name("g"), plain), kEnoent);
    EXPECT_EQ(rename(file, dir, plain), kEisdir);                     // a file over a dir
    EXPECT_EQ(rename(dir, file, plain), kEnotdir);                    // a dir over a file
    EXPECT_EQ(rename(dir, name("e", Type::kDirectory), plain), kOk);  // over an empty one
    EXPECT_EQ(rename(dir, full(name("e", Type::kDirectory)), plain), kEnotempty);
    EXPECT_EQ(rename(name("."), name("x"), plain), kEbusy);
    EXPECT_EQ(rename(name(""), name("x"), plain), kEbusy);  // rename("/", ...)
    EXPECT_EQ(rename(file, name(".."), plain), kEbusy);
    EXPECT_EQ(rename(file, name("g"), RenameHow{false, false, false}), kExdev);
    EXPECT_EQ(rename(busy(dir), name("x"), plain), kEbusy);
    EXPECT_EQ(rename(file, with_slash(name("g")), plain), kEnotdir);  // rename(f, "g/")
    EXPECT_EQ(rename(dir, with_slash(name("e")), plain), kOk);        // rename(d, "e/")
    EXPECT_EQ(rename(file, in_removed_directory(name("g")), plain), kEnoent);
}

TEST(NameRules, RenameChecksTheNamesFirst) {
    const Found file = name("f", Type::kRegular);
    RenameHow same{};
    same.same_file = true;  // two names of one file (a hard link, or "d" and "d/sub/..")
    EXPECT_EQ(rename(file, name("h", Type::kRegular), same), kOk);
    EXPECT_EQ(rename(with_slash(file), name("h", Type::kRegular), same), kEnotdir);
    EXPECT_EQ(rename(file, with_slash(name("h", Type::kRegular)), same), kEnotdir);
    EXPECT_EQ(rename(name(".", Type::kDirectory), name("d", Type::kDirectory), same), kEbusy);
    RenameHow no_replace = same;
    no_replace.no_replace = true;
    EXPECT_EQ(rename(file, name("h", Type::kRegular), no_replace), kEexist);
    EXPECT_EQ(rename(file, name(".."), no_replace), kEexist);
    RenameHow elsewhere{};
    elsewhere.same_file_system = false;  // the parents': before the names are even looked at
    EXPECT_EQ(rename(name("gone"), name("x"), elsewhere), kExdev);
    EXPECT_EQ(rename(name("."), name("x"), elsewhere), kExdev);
    RenameHow above{};
    above.holds_source = true;  // onto a directory the source lies below
    EXPECT_EQ(rename(file, name("d", Type::kDirectory), above), kEnotempty);
    EXPECT_EQ(rename(busy(name("mnt", Type::kDirectory)), name("x"), RenameHow{}), kEbusy);
}

TEST(NameRules, ADirectoryThatMakesNoNamesSaysEnoent) {
    Found missing = name("x");
    missing.fixed = true;  // /proc/x
    EXPECT_EQ(make(missing, Type::kDirectory), kEnoent);
    EXPECT_EQ(make(missing, Type::kRegular), kEnoent);
    EXPECT_EQ(make(name("."), Type::kDirectory), kEexist);  // before the lookup
    EXPECT_EQ(create_file(missing), kEnoent);
    EXPECT_EQ(create_file(with_slash(missing)), kEisdir);
    EXPECT_EQ(rename(name("f", Type::kRegular), missing, RenameHow{}), kEnoent);
    RenameHow elsewhere{};
    elsewhere.same_file_system = false;
    EXPECT_EQ(rename(name("f", Type::kRegular), missing, elsewhere), kExdev);
    Found there = name("version", Type::kRegular);
    there.fixed = true;  // /proc/version
    EXPECT_EQ(make(there, Type::kDirectory), kEexist);
    EXPECT_EQ(remove(there, false), kEperm);
    EXPECT_EQ(remove(there, true), kEnotdir);
    Found pid = full(name("1", Type::kDirectory));
    pid.fixed = true;  // /proc/1: EPERM before ENOTEMPTY
    EXPECT_EQ(remove(pid, true), kEperm);
    EXPECT_EQ(rename(pid, pid, RenameHow{}), kEperm);
    RenameHow exchange{};
    exchange.exchange = true;
    EXPECT_EQ(rename(there, there, exchange), kEperm);
    Found gone = name("x");
    gone.parent_removed = true;  // renamed into a removed directory: ENOENT before the slash
    EXPECT_EQ(rename(name("f", Type::kRegular), with_slash(gone), RenameHow{}), kEnoent);
}

TEST(NameRules, ExchangeAsLinux) {
    const Found file = name("f", Type::kRegular);
    const Found dir = name("d", Type::kDirectory);
    RenameHow exchange{};
    exchange.exchange = true;
    EXPECT_EQ(rename(file, dir, exchange), kOk);  // the types may differ
    EXPECT_EQ(rename(dir, file, exchange), kOk);
    EXPECT_EQ(rename(dir, full(name("e", Type::kDirectory)), exchange), kOk);  // full or not
    EXPECT_EQ(rename(file, name("g"), exchange), kEnoent);                     // both must be there
    EXPECT_EQ(rename(name("gone"), file, exchange), kEnoent);
    EXPECT_EQ(rename(dir, with_slash(file), exchange), kEnotdir);
    EXPECT_EQ(rename(file, with_slash(name("e", Type::kDirectory)), exchange), kOk);
    RenameHow below = exchange;
    below.into_itself = true;  // d with a directory below it
    EXPECT_EQ(rename(dir, name("d/sub", Type::kDirectory), below), kEinval);
    RenameHow above = exchange;
    above.holds_source = true;  // a directory below d with d
    EXPECT_EQ(rename(name("d/sub", Type::kDirectory), dir, above), kEinval);
    EXPECT_EQ(rename(name("."), file, exchange), kEbusy);
    EXPECT_EQ(rename(busy(dir), file, exchange), kEbusy);
    RenameHow elsewhere = exchange;
    elsewhere.same_file_system = false;
    EXPECT_EQ(rename(file, dir, elsewhere), kExdev);
}

}  // namespace
}  // namespace keel::names
