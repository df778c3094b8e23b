// SPDX-License-Identifier: MIT
// A file system of plain objects for unpacking's tests and fuzzer (lib/unpack.h): the path walk's
// fake tree (path_walk_fake.h) with modes, data, owners and times, and a listing of the whole tree
// as text to compare with. A name can be made to fail (as a full disk would), so that a refusal is
// seen to leave the rest alone.
#pragma once
#include <keel/lib/unpack.h>

#include <string>

#include "path_walk_fake.h"

namespace keel::test {

using path::test::FakeFileSystem;
using path::test::FakeNode;

class FakeTree final : public unpack::Tree {
public:
    FakeTree() { fs.root()->mode = 040755; }

    path::FileSystem& names() override { return fs; }
    uint32_t type(path::Node node) override { return as(node)->mode & 0170000; }
    Result<path::Node, int> make(path::Node dir, StringView name, const cpio::Entry& e) override {
        const std::string n(name.data, name.size);
        if (n == refuse_name) return -28;                 // ENOSPC
        if (as(dir)->children.count(n) != 0) return -17;  // EEXIST: unpacking must clear first
        const uint32_t type = e.mode & 0170000;
        FakeNode* node = fs.add(as(dir), n,
                                type == 040000    ? path::Kind::kDirectory
                                : type == 0120000 ? path::Kind::kSymlink
                                                  : path::Kind::kOther);
        node->mode = type == 0120000 ? 0120777 : e.mode;
        if (type == 0120000) node->target.assign(reinterpret_cast<const char*>(e.data), e.size);
        if (type == 0020000 || type == 0060000)
            node->data = std::to_string(e.rdev_major) + ":" + std::to_string(e.rdev_minor);
        ++made;
        return static_cast<path::Node>(node);
    }
    int link(path::Node dir, StringView name, path::Node node) override {
        const std::string n(name.data, name.size);
        if (as(dir)->children.count(n) != 0) return -17;
        fs.link(as(dir), n, as(node));
        return 0;
    }
    int remove(path::Node dir, StringView name, path::Node node) override {
        if (!as(node)->children.empty()) return -39;  // ENOTEMPTY
        fs.erase(as(dir), std::string(name.data, name.size));
        return 0;
    }
    int write(path::Node file, const cpio::Entry& e, bool truncate) override {
        std::string& data = as(file)->data;
        if (truncate) data.clear();
        data.replace(0, e.size < data.size() ? e.size : data.size(),
                     reinterpret_cast<const char*>(e.data), e.size);
        return 0;
    }
    void set_attributes(path::Node node, const cpio::Entry& e) override {
        FakeNode* n = as(node);
        n->uid = e.uid;
        n->gid = e.gid;
        if ((n->mode & 0170000) != 0120000) n->mode = (n->mode & 0170000) | (e.mode & 07777);
        n->mtime = e.mtime;
    }

    // Every name below the root, one per line in name order: "path mode uid:gid @mtime", then
    // " -> target" for a symlink, " = data" for a file with data, " (N names)" for a linked one.
    std::string listing() { return list(fs.root(), ""); }

    FakeFileSystem fs;
    std::string refuse_name;  // make() of this name fails with ENOSPC
    size_t made = 0;

private:
    static FakeNode* as(path::Node node) { return static_cast<FakeNode*>(node); }
    std::string list(FakeNode* dir, const std::string& prefix) {
        std::string out;
        for (const auto& [name, node] : dir->children) {
            char head[64];
            snprintf(head, sizeof head, " %06o %u:%u @%llu", node->mode, node->uid, node->gid,
                     static_cast<unsigned long long>(node->mtime));
            out += prefix + name + head;
            if (!node->target.empty()) out += " -> " + node->target;
            if (!node->data.empty()) out += " = " + node->data;
            if (node->names > 1) out += " (" + std::to_string(node->names) + " names)";
            out += "\n";
            if (node->kind == path::Kind::kDirectory) out += list(node, prefix + name + "/");
        }
        return out;
    }
};

}  // namespace keel::test
