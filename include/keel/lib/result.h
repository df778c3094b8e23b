// SPDX-License-Identifier: MIT
// Result<T, E>: a value or a typed error, for code that has no exceptions. `return value;` and
// `return Error::kSomething;` both convert implicitly; the caller checks ok() before value().
#pragma once

namespace keel {

// T must be default-constructible: a failed Result holds a default T, so value() on an error is a
// wrong answer rather than undefined behaviour. E is normally an enum class. T and E must differ.
template <typename T, typename E>
class [[nodiscard]] Result {
public:
    constexpr Result(const T& value) : value_(value), error_(), ok_(true) {}
    constexpr Result(E error) : value_(), error_(error), ok_(false) {}

    constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }

    // Meaningful only when ok(); otherwise a default-constructed T.
    constexpr const T& value() const { return value_; }
    constexpr T value_or(const T& fallback) const { return ok_ ? value_ : fallback; }

    // Meaningful only when !ok(); otherwise a value-initialized E.
    constexpr E error() const { return error_; }

private:
    T value_;
    E error_;
    bool ok_;
};

// Success with nothing to return, or which failure it was: `return {};` or `return E::kX;`.
template <typename E>
class [[nodiscard]] Result<void, E> {
public:
    constexpr Result() : error_(), ok_(true) {}
    constexpr Result(E error) : error_(error), ok_(false) {}

    constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }
    constexpr E error() const { return error_; }

private:
    E error_;
    bool ok_;
};

}  // namespace keel
