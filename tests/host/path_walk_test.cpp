// SPDX-License-Identifier: MIT
// The path walk against Linux's rules (path_resolution(7)), one rule a test, over a fake tree
// (path_walk_fake.h): where a walk starts, ".", "..", slashes, missing names, non-directories on
// the way, trailing slashes, symlinks in the middle and at the end, the symlink limit, the length
// limits, search permission, and errors from the file system passed through.
#include <gtest/gtest.h>
#include <keel/lib/path_walk.h>

#include <memory>
#include <ostream>
#include <string>

#include "path_walk_fake.h"

namespace keel::path {

void PrintTo(Errno error, std::ostream* out) {
    *out << "errno " << static_cast<int>(error);
}

namespace {

using test::FakeFileSystem;
using test::FakeNode;

constexpr Errno kEacces{13};
constexpr Errno kEio{5};
constexpr Flags kNoFollow{.follow_last = false};
constexpr Flags kParentWalk{.parent_walk = true};

class PathWalkTest : public ::testing::Test {
protected:
    void TearDown() override { EXPECT_EQ(fs_.misuses, 0u); }

    Result<Walked, Errno> walk_path(const std::string& path, Flags flags = {}) {
        return walk(fs_, root_, cwd_, StringView{path.data(), path.size()}, flags, *scratch_);
    }
    // What `path` names: the node, or nullptr for a missing last name or any error.
    Node node_of(const std::string& path, Flags flags = {}) {
        const auto walked = walk_path(path, flags);
        EXPECT_TRUE(walked.ok()) << path << ": errno " << static_cast<int>(walked.error());
        return walked.value().node;
    }
    Errno error_of(const std::string& path, Flags flags = {}) {
        const auto walked = walk_path(path, flags);
        EXPECT_FALSE(walked.ok()) << path << " resolved";
        return walked.error();
    }
    static std::string text(StringView view) { return std::string(view.data, view.size); }

    FakeFileSystem fs_;
    FakeNode* root_ = fs_.root();
    FakeNode* cwd_ = root_;
    std::unique_ptr<Scratch> scratch_ = std::make_unique<Scratch>();
};

TEST_F(PathWalkTest, AnEmptyPathIsEnoent) {
    EXPECT_EQ(error_of(""), Errno::kEnoent);
}

TEST_F(PathWalkTest, TheRootIsItsOwnParentWithAnEmptyLastName) {
    for (const char* path : {"/", "///"}) {
        const auto walked = walk_path(path);
        ASSERT_TRUE(walked.ok());
        EXPECT_EQ(walked.value().node, root_);
        EXPECT_EQ(walked.value().parent, root_);
        EXPECT_EQ(text(walked.value().last), "");
        EXPECT_FALSE(walked.value().trailing_slash);
    }
}

TEST_F(PathWalkTest, ARelativePathStartsAtStartAndAnAbsoluteOneAtTheRoot) {
    FakeNode* home = fs_.directory(root_, "home");
    FakeNode* mine = fs_.file(home, "notes");
    FakeNode* top = fs_.file(root_, "notes");
    cwd_ = home;
    EXPECT_EQ(node_of("notes"), mine);
    EXPECT_EQ(node_of("/notes"), top);
}

TEST_F(PathWalkTest, ARelativePathFromANonDirectoryIsEnotdir) {
    cwd_ = fs_.file(root_, "file");
    EXPECT_EQ(error_of("x"), Errno::kEnotdir);
    EXPECT_EQ(node_of("/"), root_);  // an absolute path ignores the start (openat's dirfd)
}

TEST_F(PathWalkTest, DotAndDotDotMove) {
    FakeNode* a = fs_.directory(root_, "a");
    FakeNode* b = fs_.directory(a, "b");
    EXPECT_EQ(node_of("/a/./b/."), b);
    EXPECT_EQ(node_of("/a/b/.."), a);
    EXPECT_EQ(node_of("/a/b/../../a/b"), b);
    cwd_ = b;
    EXPECT_EQ(node_of("."), b);
    EXPECT_EQ(node_of(".."), a);
}

TEST_F(PathWalkTest, DotDotAtTheRootStaysThere) {
    FakeNode* jail = fs_.directory(root_, "jail");
    FakeNode* cell = fs_.directory(jail, "cell");
    EXPECT_EQ(node_of("/.."), root_);
    EXPECT_EQ(node_of("/../../jail"), jail);
    // A root below the file system's top (chroot): ".." of it is itself too.
    root_ = jail;
    cwd_ = cell;
    EXPECT_EQ(node_of("../../.."), jail);
    EXPECT_EQ(node_of("/../cell"), cell);
}

TEST_F(PathWalkTest, RepeatedSlashesAreOne) {
    FakeNode* a = fs_.directory(root_, "a");
    FakeNode* b = fs_.file(a, "b");
    EXPECT_EQ(node_of("//a///b"), b);
    EXPECT_EQ(node_of("a//b"), b);
}

TEST_F(PathWalkTest, AMissingLastComponentGivesItsParent) {
    FakeNode* a = fs_.directory(root_, "a");
    const auto walked = walk_path("/a/new");
    ASSERT_TRUE(walked.ok());
    EXPECT_EQ(walked.value().parent, a);
    EXPECT_EQ(walked.value().node, nullptr);
    EXPECT_EQ(text(walked.value().last), "new");
}

TEST_F(PathWalkTest, AnExistingLastComponentGivesItsParentToo) {
    FakeNode* a = fs_.directory(root_, "a");
    FakeNode* b = fs_.file(a, "b");
    const auto walked = walk_path("a/b");
    ASSERT_TRUE(walked.ok());
    EXPECT_EQ(walked.value().parent, a);
    EXPECT_EQ(walked.value().node, b);
    EXPECT_EQ(text(walked.value().last), "b");
}

TEST_F(PathWalkTest, DotAndDotDotAreReportedAsTheLastName) {
    FakeNode* a = fs_.directory(root_, "a");
    const auto dot = walk_path("/a/.");
    ASSERT_TRUE(dot.ok());
    EXPECT_EQ(text(dot.value().last), ".");
    EXPECT_EQ(dot.value().parent, a);
    const auto dot_dot = walk_path("/a/..");
    ASSERT_TRUE(dot_dot.ok());
    EXPECT_EQ(text(dot_dot.value().last), "..");
    EXPECT_EQ(dot_dot.value().parent, a);
    EXPECT_EQ(dot_dot.value().node, root_);
}

TEST_F(PathWalkTest, AMissingMiddleComponentIsEnoent) {
    fs_.directory(root_, "a");
    EXPECT_EQ(error_of("/a/missing/x"), Errno::kEnoent);
    EXPECT_EQ(error_of("/a/missing/."), Errno::kEnoent);
}

TEST_F(PathWalkTest, AFileInTheMiddleIsEnotdir) {
    fs_.file(root_, "file");
    EXPECT_EQ(error_of("/file/x"), Errno::kEnotdir);
    EXPECT_EQ(error_of("/file/."), Errno::kEnotdir);
    EXPECT_EQ(error_of("/file/.."), Errno::kEnotdir);
}

TEST_F(PathWalkTest, ATrailingSlashOnAFileIsEnotdir) {
    fs_.file(root_, "file");
    EXPECT_EQ(error_of("/file/"), Errno::kEnotdir);
    EXPECT_EQ(error_of("/file//", kNoFollow), Errno::kEnotdir);
}

TEST_F(PathWalkTest, ATrailingSlashIsReportedWithTheLastName) {
    FakeNode* a = fs_.directory(root_, "a");
    const auto there = walk_path("/a//");
    ASSERT_TRUE(there.ok());
    EXPECT_EQ(there.value().node, a);
    EXPECT_EQ(text(there.value().last), "a");
    EXPECT_TRUE(there.value().trailing_slash);
    const auto missing = walk_path("/a/new/");  // mkdir's case: it makes a directory
    ASSERT_TRUE(missing.ok());
    EXPECT_EQ(missing.value().node, nullptr);
    EXPECT_EQ(missing.value().parent, a);
    EXPECT_TRUE(missing.value().trailing_slash);
}

TEST_F(PathWalkTest, ATrailingSlashFollowsALastSymlink) {
    FakeNode* dir = fs_.directory(root_, "dir");
    fs_.symlink(root_, "link", "dir");
    fs_.file(root_, "file");
    fs_.symlink(root_, "to-file", "file");
    EXPECT_EQ(node_of("/link/", kNoFollow), dir);
    EXPECT_EQ(error_of("/to-file/", kNoFollow), Errno::kEnotdir);
}

TEST_F(PathWalkTest, NoFollowStopsAtALastSymlink) {
    fs_.directory(root_, "dir");
    FakeNode* link = fs_.symlink(root_, "link", "dir");
    const auto walked = walk_path("/link", kNoFollow);
    ASSERT_TRUE(walked.ok());
    EXPECT_EQ(walked.value().node, link);
    EXPECT_EQ(walked.value().parent, root_);
    EXPECT_EQ(text(walked.value().last), "link");
}

TEST_F(PathWalkTest, AParentWalkNeverFollowsTheLastName) {
    FakeNode* dir = fs_.directory(root_, "dir");
    FakeNode* link = fs_.symlink(root_, "link", "dir");
    fs_.file(dir, "file");
    // rmdir("link/") must see the link (ENOTDIR), not remove the directory it names.
    for (const char* path : {"/link", "/link/", "/link//"}) {
        const auto walked = walk_path(path, kParentWalk);
        ASSERT_TRUE(walked.ok()) << path;
        EXPECT_EQ(walked.value().node, link) << path;
        EXPECT_EQ(walked.value().parent, root_) << path;
        EXPECT_EQ(text(walked.value().last), "link") << path;
    }
    EXPECT_EQ(node_of("/link/file", kParentWalk), dir->children["file"]);  // the middle is followed
}

TEST_F(PathWalkTest, AParentWalkLeavesATrailingSlashToTheCaller) {
    FakeNode* file = fs_.file(root_, "file");
    const auto walked = walk_path("/file/", kParentWalk);  // mkdir: EEXIST; unlink: ENOTDIR
    ASSERT_TRUE(walked.ok());
    EXPECT_EQ(walked.value().node, file);
    EXPECT_TRUE(walked.value().trailing_slash);
}

TEST_F(PathWalkTest, FollowLastGivesTheTargetsParentAndName) {
    FakeNode* dir = fs_.directory(root_, "dir");
    FakeNode* file = fs_.file(dir, "file");
    fs_.symlink(root_, "link", "dir/file");
    const auto walked = walk_path("/link");
    ASSERT_TRUE(walked.ok());
    EXPECT_EQ(walked.value().node, file);
    EXPECT_EQ(walked.value().parent, dir);
    EXPECT_EQ(text(walked.value().last), "file");
}

TEST_F(PathWalkTest, ADanglingLastSymlinkGivesTheNameToCreate) {
    FakeNode* dir = fs_.directory(root_, "dir");
    fs_.symlink(root_, "dangling", "/dir/new");  // open(O_CREAT) makes /dir/new
    const auto walked = walk_path("/dangling");
    ASSERT_TRUE(walked.ok());
    EXPECT_EQ(walked.value().node, nullptr);
    EXPECT_EQ(walked.value().parent, dir);
    EXPECT_EQ(text(walked.value().last), "new");
}

TEST_F(PathWalkTest, SymlinksInTheMiddleAreFollowedEvenWithNoFollow) {
    FakeNode* dir = fs_.directory(root_, "dir");
    FakeNode* file = fs_.file(dir, "file");
    fs_.symlink(root_, "link", "dir");
    EXPECT_EQ(node_of("/link/file", kNoFollow), file);
}

TEST_F(PathWalkTest, RelativeSymlinksResolveFromTheirDirectory) {
    FakeNode* a = fs_.directory(root_, "a");
    FakeNode* b = fs_.directory(a, "b");
    FakeNode* mine = fs_.file(b, "target");
    fs_.file(root_, "target");  // what the link would name from the cwd
    fs_.symlink(a, "link", "b/target");
    fs_.symlink(b, "up", "..");
    EXPECT_EQ(node_of("/a/link"), mine);
    EXPECT_EQ(node_of("a/b/up/b/up/link"), mine);
}

TEST_F(PathWalkTest, DotDotAfterASymlinkLeavesTheTargetNotTheLink) {
    FakeNode* a = fs_.directory(root_, "a");
    FakeNode* b = fs_.directory(a, "b");
    fs_.symlink(root_, "link", "a/b");
    EXPECT_EQ(node_of("/link/.."), a);
    EXPECT_EQ(node_of("/link/../b"), b);
}

TEST_F(PathWalkTest, AbsoluteSymlinksRestartAtTheRoot) {
    FakeNode* etc = fs_.directory(root_, "etc");
    FakeNode* passwd = fs_.file(etc, "passwd");
    FakeNode* deep = fs_.directory(fs_.directory(root_, "a"), "b");
    fs_.symlink(deep, "etc", "/etc");
    EXPECT_EQ(node_of("/a/b/etc/passwd"), passwd);
    // Under a chroot the root is the walk's, not the file system's top.
    FakeNode* jail = fs_.directory(root_, "jail");
    FakeNode* inner = fs_.directory(jail, "etc");
    fs_.symlink(jail, "escape", "/etc");
    root_ = jail;
    EXPECT_EQ(node_of("/escape"), inner);
}

TEST_F(PathWalkTest, FortySymlinksAreFineFortyOneAreEloop) {
    FakeNode* dir = fs_.directory(root_, "dir");
    // link0 -> link1 -> ... -> link40 -> dir: 41 links from link0, 40 from link1.
    for (unsigned i = 0; i < kMaxSymlinks; ++i)
        fs_.symlink(root_, "link" + std::to_string(i), "link" + std::to_string(i + 1));
    fs_.symlink(root_, "link" + std::to_string(kMaxSymlinks), "dir");
    EXPECT_EQ(node_of("/link1"), dir);
    EXPECT_EQ(error_of("/link0"), Errno::kEloop);
}

TEST_F(PathWalkTest, TheSymlinkLimitCountsTheWholeWalk) {
    fs_.symlink(root_, "here", ".");
    std::string path = "/";
    for (unsigned i = 0; i < kMaxSymlinks; ++i) path += "here/";
    EXPECT_EQ(node_of(path), root_);
    EXPECT_EQ(error_of(path + "here"), Errno::kEloop);
}

TEST_F(PathWalkTest, ASymlinkLoopIsEloop) {
    fs_.symlink(root_, "self", "self");
    fs_.symlink(root_, "ping", "pong/x");
    fs_.symlink(root_, "pong", "/ping");
    EXPECT_EQ(error_of("/self"), Errno::kEloop);
    EXPECT_EQ(error_of("/ping"), Errno::kEloop);
    EXPECT_EQ(node_of("/self", kNoFollow), fs_.root()->children["self"]);  // not followed
}

TEST_F(PathWalkTest, AnEmptySymlinkIsEnoent) {
    fs_.symlink(root_, "empty", "");
    EXPECT_EQ(error_of("/empty"), Errno::kEnoent);
    EXPECT_EQ(error_of("/empty/x"), Errno::kEnoent);
}

TEST_F(PathWalkTest, ANameOf256BytesIsEnametoolong) {
    const std::string longest(kNameMax, 'n');
    FakeNode* dir = fs_.directory(root_, longest);
    EXPECT_EQ(node_of("/" + longest), dir);
    EXPECT_EQ(error_of("/" + longest + "n"), Errno::kEnametoolong);
    EXPECT_EQ(error_of("/" + longest + "n/x"), Errno::kEnametoolong);
    // Even for a name that would be created.
    EXPECT_EQ(error_of("/" + longest + "/" + longest + "n"), Errno::kEnametoolong);
}

TEST_F(PathWalkTest, APathOf4096BytesIsEnametoolong) {
    EXPECT_EQ(node_of(std::string(kPathMax - 1, '/')), root_);
    EXPECT_EQ(error_of(std::string(kPathMax, '/')), Errno::kEnametoolong);
}

TEST_F(PathWalkTest, AnExpansionOf4096BytesIsEnametoolong) {
    FakeNode* dir = fs_.directory(root_, "dir");
    const std::string target = std::string(100, '/') + "dir";
    fs_.symlink(root_, "link", target);
    // The expansion is the target, then what followed "link" (slashes here).
    const size_t fits = kPathMax - 1 - target.size();
    EXPECT_EQ(node_of("/link" + std::string(fits, '/')), dir);
    EXPECT_EQ(error_of("/link" + std::string(fits + 1, '/')), Errno::kEnametoolong);
}

TEST_F(PathWalkTest, ATargetOf4096BytesIsEnametoolong) {
    fs_.symlink(root_, "longest", std::string(kPathMax - 1, '/'));
    fs_.symlink(root_, "too-long", std::string(kPathMax, '/'));
    EXPECT_EQ(node_of("longest"), root_);
    EXPECT_EQ(error_of("too-long"), Errno::kEnametoolong);
}

TEST_F(PathWalkTest, LookupErrorsPassThrough) {
    FakeNode* failing = fs_.directory(root_, "failing");
    failing->lookup_error = kEio;
    EXPECT_EQ(error_of("/failing/x"), kEio);
    EXPECT_EQ(error_of("/failing/x/y"), kEio);
    EXPECT_EQ(node_of("/failing/."), failing);  // "." and ".." are not looked up
}

TEST_F(PathWalkTest, SearchPermissionIsAskedBeforeEveryName) {
    FakeNode* locked = fs_.directory(root_, "locked");
    fs_.directory(locked, "inner");
    locked->search_error = kEacces;
    for (const char* path :
         {"/locked/inner", "/locked/new", "/locked/.", "/locked/..", "locked/x/"})
        EXPECT_EQ(error_of(path), kEacces) << path;
    // Naming the directory itself searches only its parent.
    EXPECT_EQ(node_of("/locked/"), locked);
}

TEST_F(PathWalkTest, ReadLinkErrorsPassThrough) {
    FakeNode* link = fs_.symlink(root_, "broken", "anywhere");
    link->read_link_error = kEio;
    EXPECT_EQ(error_of("/broken"), kEio);
    EXPECT_EQ(node_of("/broken", kNoFollow), link);
}

TEST_F(PathWalkTest, LastPointsIntoTheScratch) {
    fs_.directory(root_, "dir");
    fs_.symlink(root_, "link", "dir/new");
    for (const char* path : {"/dir/new", "/link", "/"}) {
        const auto walked = walk_path(path);
        ASSERT_TRUE(walked.ok());
        const char* begin = &scratch_->halves[0][0];
        EXPECT_GE(walked.value().last.data, begin) << path;
        EXPECT_LE(walked.value().last.data + walked.value().last.size, begin + sizeof(Scratch))
            << path;
    }
}

}  // namespace
}  // namespace keel::path
