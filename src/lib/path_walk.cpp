// SPDX-License-Identifier: MIT
// The path walk (include/keel/lib/path_walk.h). The text left to walk lies in one half of the
// Scratch; following a symlink writes its target and then the rest of that text into the other
// half, and the walk goes on there. So nested links need no stack (Linux keeps one of link bodies,
// nd->stack), at the price of one limit Linux does not have: a target and the rest of the path
// after the link together stay below kPathMax.
#include <keel/lib/memory.h>
#include <keel/lib/path_walk.h>

namespace keel::path {
namespace {

StringView skip_slashes(StringView text) {
    size_t at = 0;
    while (at < text.size && text.data[at] == '/') ++at;
    return text.after(at);
}

// The name at the front of a text (which starts with one, not with '/') and what follows it.
struct Component {
    StringView name;
    StringView rest;      // everything after the name, its slashes included
    bool last;            // nothing but slashes follows
    bool trailing_slash;  // and there is at least one
};

Component split(StringView text) {
    size_t end = 0;
    while (end < text.size && text.data[end] != '/') ++end;
    const StringView rest{text.data + end, text.size - end};
    return {StringView{text.data, end}, rest, skip_slashes(rest).empty(), !rest.empty()};
}

class Walker {
public:
    Walker(FileSystem& fs, Node root, Flags flags, Scratch& scratch, Node from, StringView text)
        : fs_(fs), root_(root), flags_(flags), scratch_(scratch), dir_(from), text_(text) {}

    Result<Walked, Errno> run();

private:
    bool is_symlink(Node node) { return node != nullptr && fs_.kind(node) == Kind::kSymlink; }
    // A trailing slash follows a last symlink (Linux's lookup_last sets LOOKUP_FOLLOW), except in
    // a parent walk, which never looks past the last name's entry.
    bool wants_followed(const Component& component) const {
        if (!component.last) return true;
        return !flags_.parent_walk && (flags_.follow_last || component.trailing_slash);
    }
    Result<Node, Errno> look_up(StringView name);
    Result<void, Errno> follow(Node link, StringView rest);
    Result<Walked, Errno> finish(const Component& last, Node node);

    FileSystem& fs_;
    const Node root_;
    const Flags flags_;
    Scratch& scratch_;
    Node dir_;         // the directory the next name is looked up in
    StringView text_;  // what is left to walk, in scratch_.halves[half_]
    unsigned half_ = 0;
    unsigned followed_ = 0;  // symlinks followed so far in this walk (Linux's total_link_count)
};

Result<Walked, Errno> Walker::run() {
    for (;;) {
        text_ = skip_slashes(text_);
        // Only slashes left ("/", or a symlink to "/"): the directory itself, with no last name.
        if (text_.empty()) return Walked{dir_, dir_, text_, false};
        const Component component = split(text_);
        const auto found = look_up(component.name);
        if (!found.ok()) return found.error();
        const Node node = found.value();
        if (is_symlink(node) && wants_followed(component)) {
            if (const auto followed = follow(node, component.rest); !followed.ok())
                return followed.error();
            continue;
        }
        if (component.last) return finish(component, node);
        if (node == nullptr) return Errno::kEnoent;
        if (fs_.kind(node) != Kind::kDirectory) return Errno::kEnotdir;
        dir_ = node;
        text_ = component.rest;
    }
}

// "." and ".." are the walk's own (never above the root, as Linux's follow_dotdot); other names
// are the file system's, which in Linux also refuses one over NAME_MAX (ext4_lookup, ...).
Result<Node, Errno> Walker::look_up(StringView name) {
    if (const auto allowed = fs_.may_search(dir_); !allowed.ok()) return allowed.error();
    if (equals(name, ".")) return dir_;
    if (equals(name, "..")) return dir_ == root_ ? root_ : fs_.parent(dir_);
    if (name.size > kNameMax) return Errno::kEnametoolong;
    return fs_.lookup(dir_, name);
}

// Replaces the text with the link's target followed by `rest`, the text after the link's name. A
// relative target goes on from the link's directory, which dir_ still is.
Result<void, Errno> Walker::follow(Node link, StringView rest) {
    if (++followed_ > kMaxSymlinks) return Errno::kEloop;
    char* const into = scratch_.halves[half_ ^ 1];
    // The text is below kPathMax (walk and this function keep it so), and so is `rest`.
    const size_t room = kPathMax - 1 - rest.size;
    const auto read = fs_.read_link(link, into, room);
    if (!read.ok()) return read.error();
    const size_t length = read.value();
    // Linux's symlink() cannot make an empty link (its target is an empty path): ENOENT, as for
    // an empty path, rather than Linux's "jump to nowhere" (pick_link) for one found on disk.
    if (length == 0) return Errno::kEnoent;
    if (length > room) return Errno::kEnametoolong;
    memcpy(into + length, rest.data, rest.size);
    half_ ^= 1;
    text_ = StringView{into, length + rest.size};
    if (into[0] == '/') dir_ = root_;
    return {};
}

// A trailing slash asks for a directory (Linux's LOOKUP_DIRECTORY), checked once symlinks are
// followed, but not in a parent walk; a missing last name is left to the caller (creation, or
// its own ENOENT).
Result<Walked, Errno> Walker::finish(const Component& last, Node node) {
    const bool directory_wanted = last.trailing_slash && !flags_.parent_walk;
    if (node != nullptr && directory_wanted && fs_.kind(node) != Kind::kDirectory)
        return Errno::kEnotdir;
    return Walked{dir_, node, last.name, last.trailing_slash};
}

}  // namespace

Result<Walked, Errno> walk(FileSystem& fs, Node root, Node start, StringView path, Flags flags,
                           Scratch& scratch) {
    if (path.empty()) return Errno::kEnoent;
    // getname()'s limit: the path and its NUL fit in PATH_MAX.
    if (path.size >= kPathMax) return Errno::kEnametoolong;
    const bool absolute = path.data[0] == '/';
    // A dirfd that is not a directory (path_init in fs/namei.c).
    if (!absolute && fs.kind(start) != Kind::kDirectory) return Errno::kEnotdir;
    memcpy(scratch.halves[0], path.data, path.size);
    Walker walker(fs, root, flags, scratch, absolute ? root : start,
                  StringView{scratch.halves[0], path.size});
    return walker.run();
}

}  // namespace keel::path
