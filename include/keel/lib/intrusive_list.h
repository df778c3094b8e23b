// SPDX-License-Identifier: MIT
// IntrusiveList: a doubly linked FIFO of objects that carry their own ListLink, so that putting a
// task on a run queue or a wait queue allocates nothing and taking it off anywhere is O(1). It
// does no locking: the queue's owner holds whatever lock guards it. An object is on at most one
// list per link at a time (linked() says whether it is on one now).
#pragma once
#include <stddef.h>

namespace keel {

struct ListLink {
    ListLink* next = nullptr;
    ListLink* prev = nullptr;
    void* owner = nullptr;  // the object holding this link, set when it goes on a list
    bool linked() const { return next != nullptr; }
};

// T holds a ListLink member, named by `Member`.
template <typename T, ListLink T::*Member>
class IntrusiveList {
public:
    constexpr IntrusiveList() = default;
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return head_.next == nullptr || head_.next == &head_; }
    size_t size() const { return size_; }

    // Appends `item`, which must not be on a list already.
    void push_back(T& item) {
        init();
        ListLink& link = item.*Member;
        link.owner = &item;
        link.prev = head_.prev;
        link.next = &head_;
        head_.prev->next = &link;
        head_.prev = &link;
        ++size_;
    }

    // The first item, or nullptr.
    T* front() const { return empty() ? nullptr : owner(head_.next); }

    // Takes the first item off, or returns nullptr.
    T* pop_front() {
        T* item = front();
        if (item != nullptr) remove(*item);
        return item;
    }

    // Takes `item` off this list, wherever it is in it. It must be on this list.
    void remove(T& item) {
        ListLink& link = item.*Member;
        link.prev->next = link.next;
        link.next->prev = link.prev;
        link.next = nullptr;
        link.prev = nullptr;
        --size_;
    }

    // Calls f(item) for each item, front to back; f must not change the list.
    template <typename F>
    void for_each(F f) const {
        if (empty()) return;
        for (const ListLink* at = head_.next; at != &head_; at = at->next) f(*owner(at));
    }

private:
    static T* owner(const ListLink* link) { return static_cast<T*>(link->owner); }
    void init() {
        if (head_.next == nullptr) head_.next = head_.prev = &head_;
    }

    ListLink head_;  // a ring through the head: head_.next is the front, head_.prev the back
    size_t size_ = 0;
};

}  // namespace keel
