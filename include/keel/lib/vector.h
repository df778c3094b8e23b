// SPDX-License-Identifier: MIT
// Vector<T>: a small growable array on the global operator new/delete (the kernel heap).
// Growth doubles the capacity; a failed growth leaves the vector as it was and reports false,
// so callers decide what running out of heap means.
#pragma once
#include <keel/lib/new.h>
#include <keel/lib/utility.h>
#include <stddef.h>

namespace keel {

template <typename T>
class Vector {
public:
    Vector() = default;
    Vector(const Vector&) = delete;
    Vector& operator=(const Vector&) = delete;
    ~Vector() { release(); }

    [[nodiscard]] bool push_back(const T& value) {
        if (size_ == capacity_ && !reserve(capacity_ == 0 ? 4 : capacity_ * 2)) return false;
        new (&data_[size_]) T(value);
        ++size_;
        return true;
    }

    void pop_back() { data_[--size_].~T(); }

    [[nodiscard]] bool reserve(size_t wanted) {
        if (wanted <= capacity_) return true;
        if (wanted > static_cast<size_t>(-1) / sizeof(T)) return false;
        void* raw = allocate(wanted * sizeof(T));
        if (raw == nullptr) return false;
        T* grown = static_cast<T*>(raw);
        for (size_t i = 0; i < size_; ++i) {
            new (&grown[i]) T(keel::move(data_[i]));
            data_[i].~T();
        }
        free_storage();
        data_ = grown;
        capacity_ = wanted;
        return true;
    }

    void clear() {
        while (size_ > 0) pop_back();
    }

    size_t size() const { return size_; }
    size_t capacity() const { return capacity_; }
    bool empty() const { return size_ == 0; }
    T& operator[](size_t i) { return data_[i]; }
    const T& operator[](size_t i) const { return data_[i]; }
    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    T* data() { return data_; }
    const T* data() const { return data_; }

private:
    // The plain forms where new's default alignment serves T (most types): the aligned ones are
    // for the rest.
    static void* allocate(size_t bytes) {
        if constexpr (alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
            return ::operator new(bytes, std::nothrow);
        } else {
            return ::operator new(bytes, std::align_val_t(alignof(T)), std::nothrow);
        }
    }
    static void deallocate(void* block, size_t bytes) {
        if constexpr (alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
            ::operator delete(block, bytes);
        } else {
            ::operator delete(block, bytes, std::align_val_t(alignof(T)));
        }
    }

    void free_storage() {
        if (data_ != nullptr) deallocate(data_, capacity_ * sizeof(T));
    }
    void release() {
        clear();
        free_storage();
        data_ = nullptr;
        capacity_ = 0;
    }

    T* data_ = nullptr;
    size_t size_ = 0;
    size_t capacity_ = 0;
};

}  // namespace keel
