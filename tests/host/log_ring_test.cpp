// SPDX-License-Identifier: MIT
// LogRing: text kept in order, whole old lines dropped for new ones, the newest lines that fit a
// reader's buffer, positions that survive overwriting, and a model check with random lines.
#include <gtest/gtest.h>
#include <keel/lib/log_ring.h>

#include <random>
#include <string>

namespace keel {
namespace {

template <size_t N>
std::string contents(const LogRing<N>& ring, uint64_t from) {
    std::string out(ring.size() + 1, '\0');
    const size_t n = ring.copy(from, out.data(), out.size());
    out.resize(n);
    return out;
}

template <size_t N>
void put(LogRing<N>& ring, const std::string& text) {
    ring.append(text.data(), text.size());
}

TEST(LogRing, KeepsTextInOrder) {
    LogRing<64> ring;
    put(ring, "one\n");
    put(ring, "two\n");
    EXPECT_EQ(contents(ring, ring.start()), "one\ntwo\n");
    EXPECT_EQ(ring.end(), 8u);
}

TEST(LogRing, DropsWholeOldLinesForNewOnes) {
    LogRing<16> ring;
    put(ring, "aaaa\n");     // 5
    put(ring, "bbbbbbb\n");  // 13
    put(ring, "cccc\n");     // 18 > 16: "aaaa\n" goes
    EXPECT_EQ(contents(ring, ring.start()), "bbbbbbb\ncccc\n");
    EXPECT_EQ(ring.start(), 5u);
}

TEST(LogRing, ALineLongerThanTheRingKeepsItsEnd) {
    LogRing<8> ring;
    put(ring, "x\n");
    put(ring, "0123456789ab\n");
    EXPECT_EQ(contents(ring, ring.start()), "56789ab\n");
    EXPECT_LE(ring.size(), 8u);
}

TEST(LogRing, NewestGivesWholeLinesThatFit) {
    LogRing<64> ring;
    put(ring, "first line\nsecond\nthird\n");
    EXPECT_EQ(contents(ring, ring.newest(6)), "third\n");
    EXPECT_EQ(contents(ring, ring.newest(9)), "third\n");  // "second\n" would not fit
    EXPECT_EQ(contents(ring, ring.newest(13)), "second\nthird\n");
    EXPECT_EQ(contents(ring, ring.newest(1000)), "first line\nsecond\nthird\n");
    EXPECT_EQ(contents(ring, ring.newest(3)), "");  // not even the last line fits
}

TEST(LogRing, AStalePositionResumesAtTheOldestHeld) {
    LogRing<16> ring;
    uint64_t reader = ring.end();
    put(ring, "aaaaaaa\n");
    put(ring, "bbbbbbb\n");
    put(ring, "ccc\n");  // "aaaaaaa\n" is gone
    char out[32];
    const size_t n = ring.copy(reader, out, sizeof out);
    EXPECT_EQ(std::string(out, n), "bbbbbbb\nccc\n");
    EXPECT_EQ(reader, ring.end());
    EXPECT_EQ(ring.copy(reader, out, sizeof out), 0u);
}

// Against a model: a string of everything appended; the ring holds a suffix of it, within the
// capacity, that starts a line.
TEST(LogRing, MatchesAModel) {
    LogRing<256> ring;
    std::string all;
    std::mt19937 random(7);
    for (int round = 0; round < 20000; ++round) {
        std::string line(random() % 40, 'a' + static_cast<char>(round % 26));
        if (random() % 4 != 0) line += '\n';
        const uint64_t before = ring.end();
        put(ring, line);
        all += line;
        ASSERT_LE(ring.size(), 256u);
        ASSERT_EQ(ring.end(), all.size());
        const std::string held = contents(ring, ring.start());
        ASSERT_EQ(held, all.substr(ring.start()));
        // What it holds starts a line, unless it had to drop everything before this text.
        if (ring.start() > 0 && ring.start() != before) {
            ASSERT_EQ(all[ring.start() - 1], '\n');
        }
    }
}

}  // namespace
}  // namespace keel
