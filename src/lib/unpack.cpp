// SPDX-License-Identifier: MIT
// Unpacking an initramfs (include/keel/lib/unpack.h): Linux's init/initramfs.c, entry by entry.
#include <keel/lib/unpack.h>

namespace keel::unpack {
namespace {

constexpr uint32_t kTypeMask = cpio::kTypeMask;
constexpr int kEexist = 17;
constexpr int kEnospc = 28;

struct Unpacker {
    Tree& tree;
    path::Node root;
    Linked* linked;
    size_t capacity;
    size_t count = 0;
    Counts counts;

    uint32_t type_of(path::Node node) { return tree.type(node) & kTypeMask; }

    // What is at the walked name goes when its type is not `type` (0: whatever it is), as
    // Linux's clean_path: rmdir for a directory (which fails when it holds names), else unlink.
    void clear(path::Walked& at, uint32_t type) {
        if (at.node == nullptr || (type != 0 && type_of(at.node) == type)) return;
        if (tree.remove(at.parent, at.last, at.node) == 0) at.node = nullptr;
    }

    // For a name of a file with other names (nlink >= 2): the file its first name made, or
    // nullptr when this is the first (then `first` is where to record it; nullptr: no room).
    path::Node earlier_name(const cpio::Entry& entry, Linked*& first) {
        first = nullptr;
        const uint32_t type = entry.mode & kTypeMask;
        for (size_t i = 0; i < count; ++i) {
            const Linked& l = linked[i];
            if (l.ino == entry.ino && l.dev_major == entry.dev_major &&
                l.dev_minor == entry.dev_minor && l.type == type)
                return l.node;
        }
        if (count < capacity) first = &linked[count];
        return nullptr;
    }

    void remember(Linked* first, const cpio::Entry& entry, path::Node node) {
        if (first == nullptr) return;
        *first = Linked{entry.dev_major, entry.dev_minor, entry.ino, entry.mode & kTypeMask, node};
        ++count;
    }

    // A new name for an earlier-named file, in place of whatever is at `at`.
    int link(path::Walked& at, path::Node file) {
        clear(at, 0);
        return at.node != nullptr ? -kEexist : tree.link(at.parent, at.last, file);
    }

    // A regular file or a node (device, fifo, socket): made, linked, or the one there kept.
    Result<path::Node, int> place(path::Walked& at, const cpio::Entry& entry, bool& is_link) {
        const uint32_t type = entry.mode & kTypeMask;
        is_link = false;
        clear(at, type);
        // A directory that holds names stays (Linux: the open is EISDIR, mknod EEXIST).
        if (at.node != nullptr && type_of(at.node) != type) return -kEexist;
        Linked* first = nullptr;
        if (entry.nlink >= 2) {
            if (path::Node file = earlier_name(entry, first); file != nullptr) {
                is_link = true;
                const int error = link(at, file);
                if (error != 0) return error;
                return file;
            }
            if (first == nullptr) return -kEnospc;  // no room to remember it: refused
        }
        if (at.node != nullptr) {
            if (type != cpio::kRegular) return at.node;  // mknod's EEXIST: the node there stays
        } else {
            const auto made = tree.make(at.parent, at.last, entry);
            if (!made.ok()) return made.error();
            at.node = made.value();
        }
        remember(first, entry, at.node);
        return at.node;
    }

    bool regular_or_node(path::Walked& at, const cpio::Entry& entry) {
        bool is_link = false;
        const auto placed = place(at, entry, is_link);
        if (!placed.ok()) return false;
        if (entry.is_regular()) {
            // A first name is emptied; a later one writes the data its entry carries.
            if ((!is_link || entry.size != 0) && tree.write(placed.value(), entry, true) != 0)
                return false;
        } else if (is_link) {
            return true;  // a node's later name: Linux sets nothing on it
        }
        tree.set_attributes(placed.value(), entry);
        return true;
    }

    bool directory(path::Walked& at, const cpio::Entry& entry) {
        clear(at, cpio::kDirectory);
        if (at.node == nullptr) {
            const auto made = tree.make(at.parent, at.last, entry);
            if (!made.ok()) return false;
            at.node = made.value();
        }
        tree.set_attributes(at.node, entry);
        return true;
    }

    bool symlink(path::Walked& at, const cpio::Entry& entry) {
        clear(at, 0);
        if (at.node != nullptr) return false;  // a directory that holds names stays
        const auto made = tree.make(at.parent, at.last, entry);
        if (!made.ok()) return false;
        tree.set_attributes(made.value(), entry);
        return true;
    }

    bool add(const cpio::Entry& entry, path::Scratch& scratch) {
        const uint32_t type = entry.mode & kTypeMask;
        if (entry.name.empty()) {  // ".": the root itself, which only a directory entry describes
            if (type != cpio::kDirectory) return false;
            tree.set_attributes(root, entry);
            return true;
        }
        const auto walked =
            path::walk(tree.names(), root, root, entry.name, path::Flags{false, true}, scratch);
        if (!walked.ok()) return false;
        path::Walked at = walked.value();
        const StringView last = at.last;
        const bool special =
            last.empty() || last.equals(StringView{".", 1}) || last.equals(StringView{"..", 2});
        if (special || (at.trailing_slash && type != cpio::kDirectory)) return false;
        switch (type) {
        case cpio::kDirectory: return directory(at, entry);
        case cpio::kSymlink: return symlink(at, entry);
        case cpio::kRegular:
        case cpio::kCharDevice:
        case cpio::kBlockDevice:
        case cpio::kFifo:
        case 0140000:  // a socket
            return regular_or_node(at, entry);
        default: return false;
        }
    }

    void count_entry(uint32_t type) {
        if (type == cpio::kRegular)
            ++counts.files;
        else if (type == cpio::kDirectory)
            ++counts.directories;
        else if (type == cpio::kSymlink)
            ++counts.symlinks;
        else
            ++counts.others;
    }
};

}  // namespace

Counts unpack(const cpio::Archive& archive, Tree& tree, path::Node root, Linked* linked,
              size_t capacity, path::Scratch& scratch) {
    Unpacker u{tree, root, linked, capacity, 0, {}};
    archive.for_each([&](const cpio::Entry& entry) {
        if (u.add(entry, scratch))
            u.count_entry(entry.mode & kTypeMask);
        else
            ++u.counts.refused;
    });
    // Directories take their times last, as Linux's dir_utime: each name made in one moved it.
    archive.for_each([&](const cpio::Entry& entry) {
        if (!entry.is_directory()) return;
        path::Node dir = root;
        if (!entry.name.empty()) {
            const auto walked = path::walk(tree.names(), root, root, entry.name,
                                           path::Flags{false, false}, scratch);
            if (!walked.ok() || walked.value().node == nullptr) return;
            dir = walked.value().node;
        }
        if (u.type_of(dir) == cpio::kDirectory) tree.set_attributes(dir, entry);
    });
    return u.counts;
}

}  // namespace keel::unpack
