// SPDX-License-Identifier: MIT
// Kernel command-line options.
#include <gtest/gtest.h>
#include <keel/lib/cmdline.h>

#include <string>

namespace keel {
namespace {

StringView view(const char* s) {
    return StringView{s, strlen(s)};
}
std::string text(StringView v) {
    return std::string(v.data, v.size);
}

TEST(BootOption, FindsKeyEqualsValue) {
    const BootOption o = boot_option(view("quiet selftest=fault:load console=ttyS0"), "selftest");
    EXPECT_TRUE(o.found);
    EXPECT_EQ(text(o.value), "fault:load");
}

TEST(BootOption, BareKeyIsFoundWithAnEmptyValue) {
    const BootOption o = boot_option(view("quiet  debug"), "debug");
    EXPECT_TRUE(o.found);
    EXPECT_EQ(o.value.size, 0u);
}

TEST(BootOption, MissingKeyIsNotFound) {
    EXPECT_FALSE(boot_option(view("selftests=x self=y"), "selftest").found);
    EXPECT_FALSE(boot_option(view(""), "selftest").found);
    EXPECT_FALSE(boot_option(StringView{nullptr, 0}, "selftest").found);
}

TEST(BootOption, LastOccurrenceWins) {
    EXPECT_EQ(text(boot_option(view("a=1 a=2\ta=3"), "a").value), "3");
}

TEST(BootOption, ValueMayContainEqualsSigns) {
    EXPECT_EQ(text(boot_option(view("x=a=b"), "x").value), "a=b");
}

TEST(BootOption, StopsAtTheGivenLengthNotAtNul) {
    const char buffer[] = "a=12345";
    EXPECT_EQ(text(boot_option(StringView{buffer, 4}, "a").value), "12");
}

TEST(Equals, ComparesWholeWords) {
    EXPECT_TRUE(equals(view("load"), "load"));
    EXPECT_FALSE(equals(view("loa"), "load"));
    EXPECT_FALSE(equals(view("loads"), "load"));
    EXPECT_TRUE(equals(StringView{nullptr, 0}, ""));
}

}  // namespace
}  // namespace keel
