// SPDX-License-Identifier: MIT
// Vector and String, the heap's first users in kmain, tested on the host heap.
#include <gtest/gtest.h>
#include <keel/lib/string.h>
#include <keel/lib/vector.h>

namespace keel {
namespace {

TEST(Vector, GrowsByDoublingAndKeepsElements) {
    Vector<int> v;
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(v.push_back(i));
    EXPECT_EQ(v.size(), 100u);
    EXPECT_EQ(v.capacity(), 128u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(v[i], i);
}

TEST(Vector, RefusesImpossibleReservations) {
    Vector<uint64_t> v;
    EXPECT_FALSE(v.reserve(SIZE_MAX / 4));
    EXPECT_EQ(v.capacity(), 0u);
}

TEST(String, AppendsTextCharsAndFormattedText) {
    String s;
    ASSERT_TRUE(s.append("keel"));
    ASSERT_TRUE(s.append(' '));
    ASSERT_TRUE(s.append_format("{}+{:#x}", "kmain", 0x34));
    EXPECT_STREQ(s.c_str(), "keel kmain+0x34");
    EXPECT_EQ(s.size(), 15u);
}

TEST(String, EmptyStringIsEmptyText) {
    String s;
    EXPECT_STREQ(s.c_str(), "");
    EXPECT_EQ(s.size(), 0u);
}

TEST(String, LongAppendsStayTerminated) {
    String s;
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(s.append("0123456789"));
    EXPECT_EQ(s.size(), 10000u);
    EXPECT_EQ(s.c_str()[10000], '\0');
}

}  // namespace
}  // namespace keel
