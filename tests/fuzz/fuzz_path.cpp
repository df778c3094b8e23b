// SPDX-License-Identifier: MIT
// Fuzzes the path walk with any path over a fixed fake tree (tests/host/path_walk_fake.h) full of
// symlinks: loops, a chain past the limit, long targets absolute and relative, an empty one,
// dangling ones, ones that fail to read, and directories that refuse search or lookup. The first
// input byte picks the flags (follow_last, parent_walk), the start and the root (the file
// system's top or a chroot); the rest is the path. The walk must agree with a plain std::string
// model of the same rules, and what it returns must hold together: `last` inside the scratch and
// naming `node` in `parent`, errors only from the documented set, and no call the walk should never
// make.
#include <keel/lib/path_walk.h>

#include <algorithm>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "path_walk_fake.h"

using namespace keel;
using namespace keel::path;
using test::FakeFileSystem;
using test::FakeNode;

namespace {

constexpr Errno kEacces{13};
constexpr Errno kEio{5};

struct Tree {
    FakeFileSystem fs;
    FakeNode* starts[4];  // the root, /d, /d/e, and a file (a relative path from it: ENOTDIR)
    FakeNode* jail;       // a second root: a chroot at /j
};

Tree* build_tree() {
    auto* tree = new Tree;
    FakeFileSystem& fs = tree->fs;
    FakeNode* root = fs.root();
    FakeNode* d = fs.directory(root, "d");
    FakeNode* e = fs.directory(d, "e");
    fs.file(e, "f");
    fs.symlink(d, "u", "..");
    fs.symlink(d, "s", ".");
    fs.symlink(d, "l", "l");    // itself
    fs.symlink(d, "p", "q/x");  // p and q: a loop through each other
    fs.symlink(d, "q", "/d/p");
    fs.symlink(d, "a", "/d/e");                          // absolute
    fs.symlink(d, "r", "e/f");                           // relative, to a file
    fs.symlink(d, "S", "e/f/");                          // a file with a trailing slash: ENOTDIR
    fs.symlink(d, "x", "n/x");                           // a missing directory on the way
    fs.symlink(d, "y", "e/new");                         // a missing last name (creation)
    fs.symlink(d, "z", "");                              // empty
    fs.symlink(d, "L", std::string(3000, '/') + "d/e");  // long: little room for the rest
    std::string relative;
    for (int i = 0; i < 1500; ++i) relative += "./";
    fs.symlink(d, "R", relative + "e");
    // At the length limit: M leaves room for a rest of two slashes, N for none, T never fits.
    fs.symlink(d, "M", std::string(kPathMax - 6, '/') + "d/e");
    fs.symlink(d, "N", std::string(kPathMax - 4, '/') + "d/e");
    fs.symlink(d, "T", std::string(kPathMax, 't'));
    for (unsigned i = 0; i < kMaxSymlinks + 4; ++i)  // k0 -> k1 -> ... -> k44 -> e
        fs.symlink(d, "k" + std::to_string(i), "k" + std::to_string(i + 1));
    fs.symlink(d, "k" + std::to_string(kMaxSymlinks + 4), "e");
    fs.symlink(d, "b", "e")->read_link_error = kEio;
    FakeNode* locked = fs.directory(root, "m");
    fs.file(locked, "o");
    locked->search_error = kEacces;
    FakeNode* failing = fs.directory(root, "i");
    fs.file(failing, "o");
    failing->lookup_error = kEio;
    fs.directory(root, std::string(kNameMax, 'n'));
    tree->jail = fs.directory(root, "j");
    fs.directory(tree->jail, "e");
    fs.symlink(tree->jail, "a", "/e");
    fs.symlink(tree->jail, "u", "../..");
    tree->starts[0] = root;
    tree->starts[1] = d;
    tree->starts[2] = e;
    tree->starts[3] = fs.file(root, "f");
    return tree;
}

// What the walk should give: an errno, or where it ends.
struct Outcome {
    bool ok = false;
    Errno error{};
    Node parent = nullptr;
    Node node = nullptr;
    std::string last;
    bool trailing_slash = false;
};

Outcome failed(Errno error) {
    Outcome outcome;
    outcome.error = error;
    return outcome;
}

Outcome reached(Node parent, Node node, const std::string& last = "", bool trailing = false) {
    return Outcome{true, Errno{}, parent, node, last, trailing};
}

// The step the model takes at one name: the node it names, or the errno.
Outcome model_look_up(Node root, Node dir, const std::string& name) {
    FakeNode* const d = test::as_fake(dir);
    if (d->search_error != Errno{}) return failed(d->search_error);
    if (name == ".") return reached(dir, dir);
    if (name == "..") return reached(dir, dir == root ? root : d->parent);
    if (name.size() > kNameMax) return failed(Errno::kEnametoolong);
    if (d->lookup_error != Errno{}) return failed(d->lookup_error);
    const auto child = d->children.find(name);
    return reached(dir, child == d->children.end() ? nullptr : child->second);
}

// The rules of path_walk.h over std::string, one name at a time, a symlink's target spliced in
// front of the rest of the text.
Outcome model(FakeFileSystem& fs, Node root, Node start, const std::string& path, Flags flags) {
    if (path.empty()) return failed(Errno::kEnoent);
    if (path.size() >= kPathMax) return failed(Errno::kEnametoolong);
    if (path[0] != '/' && fs.kind(start) != Kind::kDirectory) return failed(Errno::kEnotdir);
    Node dir = path[0] == '/' ? root : start;
    std::string text = path;
    unsigned links = 0;
    for (size_t at = 0;;) {
        at = text.find_first_not_of('/', at);
        if (at == std::string::npos) return reached(dir, dir);
        const size_t end = std::min(text.find('/', at), text.size());
        const std::string name = text.substr(at, end - at);
        const std::string rest = text.substr(end);
        const bool last = rest.find_first_not_of('/') == std::string::npos;
        const bool trailing = last && !rest.empty();
        const Outcome step = model_look_up(root, dir, name);
        if (!step.ok) return step;
        FakeNode* const node = test::as_fake(step.node);
        const bool followed = !last || (!flags.parent_walk && (flags.follow_last || trailing));
        if (node != nullptr && node->kind == Kind::kSymlink && followed) {
            if (++links > kMaxSymlinks) return failed(Errno::kEloop);
            if (node->read_link_error != Errno{}) return failed(node->read_link_error);
            if (node->target.empty()) return failed(Errno::kEnoent);
            if (node->target.size() + rest.size() >= kPathMax) return failed(Errno::kEnametoolong);
            if (node->target[0] == '/') dir = root;
            text = node->target + rest;
            at = 0;
            continue;
        }
        if (last) {
            if (node != nullptr && trailing && !flags.parent_walk && node->kind != Kind::kDirectory)
                return failed(Errno::kEnotdir);
            return reached(dir, node, name, trailing);
        }
        if (node == nullptr) return failed(Errno::kEnoent);
        if (node->kind != Kind::kDirectory) return failed(Errno::kEnotdir);
        dir = node;
        at = end;
    }
}

bool documented(Errno error) {
    return error == Errno::kEnoent || error == Errno::kEnotdir || error == Errno::kEnametoolong ||
           error == Errno::kEloop || error == kEacces || error == kEio;
}

// What a successful walk returned holds together, whatever the model says.
void check_walked(FakeFileSystem& fs, Node root, const Walked& w, const Scratch& scratch,
                  Flags flags) {
    fuzz::check(fs.owns(w.parent) && fs.kind(w.parent) == Kind::kDirectory,
                "the parent is not a directory of the tree");
    fuzz::check(w.node == nullptr || fs.owns(w.node), "the node is not one of the tree's");
    fuzz::check(fuzz::inside(w.last.data, w.last.size, &scratch, sizeof scratch),
                "the last name lies outside the scratch");
    const std::string last(w.last.data, w.last.size);
    fuzz::check(last.find('/') == std::string::npos, "the last name holds a slash");
    Node named = nullptr;  // what `last` names in `parent`
    if (last.empty() || last == ".") {
        named = w.parent;
    } else if (last == "..") {
        named = w.parent == root ? root : test::as_fake(w.parent)->parent;
    } else {
        const auto child = test::as_fake(w.parent)->children.find(last);
        if (child != test::as_fake(w.parent)->children.end()) named = child->second;
    }
    fuzz::check(w.node == named, "the node is not what the last name names in the parent");
    fuzz::check(!last.empty() || !w.trailing_slash, "a trailing slash with no last name");
    // A parent walk leaves its last name's entry to the caller to judge.
    if (w.node == nullptr || flags.parent_walk) return;
    const Kind kind = fs.kind(w.node);
    fuzz::check(!w.trailing_slash || kind == Kind::kDirectory,
                "a trailing slash on what is not a directory");
    fuzz::check(kind != Kind::kSymlink || (!flags.follow_last && !w.trailing_slash),
                "a last symlink left that should have been followed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Tree* const tree = build_tree();
    static const auto scratch = std::make_unique<Scratch>();
    if (size == 0) return 0;
    FakeFileSystem& fs = tree->fs;
    const Flags flags{.follow_last = (data[0] & 1) != 0, .parent_walk = (data[0] & 16) != 0};
    Node const start = tree->starts[data[0] >> 1 & 3];
    Node const root = (data[0] & 8) != 0 ? tree->jail : fs.root();
    const fuzz::ExactCopy path(data + 1, size - 1);

    const auto walked = walk(fs, root, start, path.view(), flags, *scratch);
    const Outcome want = model(fs, root, start, std::string(path.chars(), path.size()), flags);
    fuzz::check(fs.misuses == 0, "the walk asked what it should never ask");
    fuzz::check(walked.ok() == want.ok, "the walk and the model disagree on success");
    if (!walked.ok()) {
        fuzz::check(documented(walked.error()), "an errno outside the documented set");
        fuzz::check(walked.error() == want.error, "the walk and the model give different errnos");
        return 0;
    }
    const Walked& w = walked.value();
    check_walked(fs, root, w, *scratch, flags);
    fuzz::check(w.parent == want.parent && w.node == want.node, "a different parent or node");
    fuzz::check(std::string(w.last.data, w.last.size) == want.last, "a different last name");
    fuzz::check(w.trailing_slash == want.trailing_slash, "a different trailing slash");
    return 0;
}
