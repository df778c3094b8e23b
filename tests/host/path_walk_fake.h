// SPDX-License-Identifier: MIT
// A file system of plain objects for the path walk's tests and fuzzer (tests/fuzz/fuzz_path.cpp):
// directories with named children, symlinks with targets, other files. A directory can refuse
// searches or lookups and a symlink its reading with an errno, so that errors are seen to pass;
// every call the walk should never make (a lookup in a file, of "." or "..", ...) is counted.
#pragma once
#include <keel/lib/path_walk.h>
#include <string.h>

#include <deque>
#include <map>
#include <string>

namespace keel::path::test {

struct FakeNode {
    Kind kind = Kind::kOther;
    FakeNode* parent = nullptr;  // the directory it was made in; the root's is itself
    std::map<std::string, FakeNode*> children;  // a directory's
    std::string target;                         // a symlink's
    Errno search_error{};                       // when set, what may_search of it returns
    Errno lookup_error{};                       // when set, what every lookup in it returns
    Errno read_link_error{};                    // when set, what reading the link returns
    // For unpacking's tests (unpack_fake.h): what a file system keeps of a file.
    uint32_t mode = 0;
    std::string data;  // a regular file's
    uint32_t uid = 0, gid = 0;
    uint64_t mtime = 0;
    unsigned names = 0;  // names in directories (a hard-linked file's several)
};

inline FakeNode* as_fake(Node node) {
    return static_cast<FakeNode*>(node);
}

class FakeFileSystem final : public FileSystem {
public:
    FakeFileSystem() {
        root_ = &nodes_.emplace_back();
        root_->kind = Kind::kDirectory;
        root_->parent = root_;
    }
    FakeFileSystem(const FakeFileSystem&) = delete;
    FakeFileSystem& operator=(const FakeFileSystem&) = delete;

    FakeNode* root() { return root_; }
    FakeNode* directory(FakeNode* in, const std::string& name) {
        return add(in, name, Kind::kDirectory);
    }
    FakeNode* file(FakeNode* in, const std::string& name) { return add(in, name, Kind::kOther); }
    FakeNode* symlink(FakeNode* in, const std::string& name, const std::string& target) {
        FakeNode* link = add(in, name, Kind::kSymlink);
        link->target = target;
        return link;
    }
    // Whether `node` is one of this file system's (not a pointer made up by the walk).
    bool owns(Node node) const {
        for (const FakeNode& n : nodes_) {
            if (&n == node) return true;
        }
        return false;
    }

    Kind kind(Node node) override { return as_fake(node)->kind; }

    Result<void, Errno> may_search(Node dir) override {
        if (as_fake(dir)->kind != Kind::kDirectory) ++misuses;
        if (as_fake(dir)->search_error != Errno{}) return as_fake(dir)->search_error;
        return {};
    }

    Result<Node, Errno> lookup(Node dir, StringView name) override {
        ++lookups;
        FakeNode* const d = as_fake(dir);
        const bool bad_name = name.empty() || name.size > kNameMax || equals(name, ".") ||
                              equals(name, "..") || memchr(name.data, '/', name.size) != nullptr;
        if (d->kind != Kind::kDirectory || bad_name) ++misuses;
        if (d->lookup_error != Errno{}) return d->lookup_error;
        const auto child = d->children.find(std::string(name.data, name.size));
        return child == d->children.end() ? nullptr : Node{child->second};
    }

    Node parent(Node dir) override {
        if (as_fake(dir)->kind != Kind::kDirectory) ++misuses;
        return as_fake(dir)->parent;
    }

    Result<size_t, Errno> read_link(Node link, char* buffer, size_t capacity) override {
        FakeNode* const l = as_fake(link);
        if (l->kind != Kind::kSymlink) ++misuses;
        if (l->read_link_error != Errno{}) return l->read_link_error;
        const size_t copied = l->target.size() < capacity ? l->target.size() : capacity;
        if (copied > 0) memcpy(buffer, l->target.data(), copied);
        return l->target.size();
    }

    size_t lookups = 0;
    size_t misuses = 0;  // calls the walk should never make

    FakeNode* add(FakeNode* in, const std::string& name, Kind kind) {
        FakeNode* node = &nodes_.emplace_back();
        node->kind = kind;
        node->parent = in;
        node->names = 1;
        in->children[name] = node;
        return node;
    }
    // Another name for `node` in `in` (a hard link).
    void link(FakeNode* in, const std::string& name, FakeNode* node) {
        in->children[name] = node;
        ++node->names;
    }
    // Takes the name away (the node stays in memory, as the walk's pointers must).
    void erase(FakeNode* in, const std::string& name) {
        const auto child = in->children.find(name);
        --child->second->names;
        in->children.erase(child);
    }

private:
    std::deque<FakeNode> nodes_;  // a deque: nodes stay where they are as more are added
    FakeNode* root_;
};

}  // namespace keel::path::test
