// SPDX-License-Identifier: MIT
// Fuzzes unpacking (lib/unpack.h) with archives of any entries: the input is a recipe, 4 bytes an
// entry (its type, a name of up to three parts from a small set that has ".", ".." and names
// that meet again, an inode number and nlink, a little data or a symlink target from a set with
// loops, absolute and ".." targets), written out as a real newc archive, unpacked into the fake
// tree of the host tests (tests/host/unpack_fake.h) with room for 2 hard-linked files. Whatever
// the archive, every entry is counted once (made or refused), the walk makes no call it should
// never make, and the tree holds together: no directory inside itself, every node's count of
// names the number of names it has.
#include <keel/lib/unpack.h>

#include <map>
#include <memory>
#include <vector>

#include "cpio_builder.h"
#include "fuzz_support.h"
#include "unpack_fake.h"

using namespace keel;
using test::CpioBuilder;
using test::CpioEntry;
using test::FakeNode;
using test::FakeTree;

namespace {

constexpr const char* kParts[] = {"a", "b", "c", ".", "..", "bin", "usr", ""};
constexpr const char* kTargets[] = {"a", "b", "/usr", "..", "a/b", "bin", "/bin/a", ""};
constexpr uint32_t kTypes[] = {040755, 0100644, 0120777, 020600, 010644, 0140755, 060600, 070000};

CpioEntry entry_from(const uint8_t* r) {
    CpioEntry e;
    e.mode = kTypes[r[0] & 7] | ((r[0] >> 3) & 1 ? 07000 : 0);
    const int parts = 1 + (r[1] >> 6) % 3;
    for (int i = 0; i < parts; ++i) {
        if (i > 0) e.name += '/';
        e.name += kParts[(r[1] >> (i * 2)) & 7];
    }
    if (e.name.empty()) e.name = ".";
    e.ino = 1 + (r[2] & 3);
    e.nlink = 1 + ((r[2] >> 2) & 3);
    if ((e.mode & 0170000) == 0120000)
        e.data = kTargets[r[3] & 7];
    else if ((e.mode & 0170000) == 0100000)
        e.data = std::string(r[3] & 15, static_cast<char>('A' + (r[3] >> 4)));
    e.mtime = r[3];
    return e;
}

// Walks the tree from the root: every name's node counted, no directory met twice on one path.
void check_tree(FakeNode* dir, std::map<FakeNode*, unsigned>& seen, std::vector<FakeNode*>& path) {
    for (FakeNode* up : path) fuzz::check(up != dir, "a directory inside itself");
    path.push_back(dir);
    for (const auto& [name, node] : dir->children) {
        fuzz::check(!name.empty() && name != "." && name != "..", "a name that is no name");
        if (++seen[node] == 1 && node->kind == path::Kind::kDirectory) check_tree(node, seen, path);
        fuzz::check(node->kind != path::Kind::kDirectory || seen[node] == 1,
                    "a directory with two names");
    }
    path.pop_back();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    CpioBuilder builder;
    size_t entries = 0;
    for (size_t at = 0; at + 4 <= size && entries < 64; at += 4, ++entries)
        builder.add(entry_from(data + at));
    const fuzz::ExactCopy bytes(builder.finish());
    const auto archive = cpio::Archive::open(bytes.chars(), bytes.size());
    fuzz::check(archive.ok(), "the builder's archive refused");

    FakeTree tree;
    unpack::Linked linked[2];
    auto scratch = std::make_unique<path::Scratch>();
    const unpack::Counts c =
        unpack::unpack(archive.value(), tree, tree.fs.root(), linked, 2, *scratch);
    fuzz::check(c.files + c.directories + c.symlinks + c.others + c.refused == entries,
                "an entry not counted once");
    fuzz::check(tree.fs.misuses == 0, "a call the walk should never make");
    std::map<FakeNode*, unsigned> seen;
    std::vector<FakeNode*> path;
    check_tree(tree.fs.root(), seen, path);
    for (const auto& [node, names] : seen)
        fuzz::check(node->names == names, "a node's count of names is not its names");
    return 0;
}
