// SPDX-License-Identifier: MIT
// The ISA string read for riscv_hwprobe (lib/riscv_isa.h).
#include <keel/abi/riscv_hwprobe.h>
#include <keel/lib/riscv_isa.h>

namespace keel::riscv_isa {
namespace {

struct Named {
    const char* name;
    uint64_t bit;
};

// The multi-letter extensions riscv_hwprobe names that a program can use under keel as they are.
constexpr Named kExtensions[] = {
    {"zba", RISCV_HWPROBE_EXT_ZBA},
    {"zbb", RISCV_HWPROBE_EXT_ZBB},
    {"zbs", RISCV_HWPROBE_EXT_ZBS},
    {"zbc", RISCV_HWPROBE_EXT_ZBC},
    {"zbkb", RISCV_HWPROBE_EXT_ZBKB},
    {"zbkc", RISCV_HWPROBE_EXT_ZBKC},
    {"zbkx", RISCV_HWPROBE_EXT_ZBKX},
    {"zknd", RISCV_HWPROBE_EXT_ZKND},
    {"zkne", RISCV_HWPROBE_EXT_ZKNE},
    {"zknh", RISCV_HWPROBE_EXT_ZKNH},
    {"zksed", RISCV_HWPROBE_EXT_ZKSED},
    {"zksh", RISCV_HWPROBE_EXT_ZKSH},
    {"zkt", RISCV_HWPROBE_EXT_ZKT},
    {"zfh", RISCV_HWPROBE_EXT_ZFH},
    {"zfhmin", RISCV_HWPROBE_EXT_ZFHMIN},
    {"zihintntl", RISCV_HWPROBE_EXT_ZIHINTNTL},
    {"zfa", RISCV_HWPROBE_EXT_ZFA},
    {"ztso", RISCV_HWPROBE_EXT_ZTSO},
    {"zacas", RISCV_HWPROBE_EXT_ZACAS},
    {"zicond", RISCV_HWPROBE_EXT_ZICOND},
    {"zihintpause", RISCV_HWPROBE_EXT_ZIHINTPAUSE},
    {"zimop", RISCV_HWPROBE_EXT_ZIMOP},
    {"zca", RISCV_HWPROBE_EXT_ZCA},
    {"zcb", RISCV_HWPROBE_EXT_ZCB},
    {"zcd", RISCV_HWPROBE_EXT_ZCD},
    {"zcf", RISCV_HWPROBE_EXT_ZCF},
    {"zcmop", RISCV_HWPROBE_EXT_ZCMOP},
    {"zawrs", RISCV_HWPROBE_EXT_ZAWRS},
    {"zfbfmin", RISCV_HWPROBE_EXT_ZFBFMIN},
    {"zaamo", RISCV_HWPROBE_EXT_ZAAMO},
    {"zalrsc", RISCV_HWPROBE_EXT_ZALRSC},
    {"zabha", RISCV_HWPROBE_EXT_ZABHA},
};

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_letter(char c) {
    return lower(c) >= 'a' && lower(c) <= 'z';
}

// A version after an extension's name: digits, optionally "p" and more digits. Its length.
size_t version_length(StringView text, size_t at) {
    size_t i = at;
    while (i < text.size && is_digit(text.data[i])) ++i;
    if (i == at) return 0;
    if (i + 1 < text.size && lower(text.data[i]) == 'p' && is_digit(text.data[i + 1])) {
        ++i;
        while (i < text.size && is_digit(text.data[i])) ++i;
    }
    return i - at;
}

// The version at the end of a multi-letter name ("zba1p0": "1p0"), its length: digits, and before
// them maybe "p" after more digits.
size_t trailing_version(StringView name) {
    size_t n = name.size;
    while (n > 0 && is_digit(name.data[n - 1])) --n;
    if (n == name.size) return 0;
    if (n >= 2 && lower(name.data[n - 1]) == 'p' && is_digit(name.data[n - 2])) {
        --n;
        while (n > 0 && is_digit(name.data[n - 1])) --n;
    }
    return name.size - n;
}

// A multi-letter name, less its version, against ours.
uint64_t extension_bit(StringView name) {
    for (const Named& known : kExtensions) {
        const StringView ours = StringView::of(known.name);
        if (ours.size != name.size) continue;
        bool same = true;
        for (size_t i = 0; i < name.size && same; ++i) same = lower(name.data[i]) == ours.data[i];
        if (same) return known.bit;
    }
    return 0;
}

}  // namespace

Features parse(StringView isa) {
    Features out;
    if (isa.size < 5 || lower(isa.data[0]) != 'r' || lower(isa.data[1]) != 'v') return {};
    if (isa.data[2] == '6' && isa.data[3] == '4') {
        out.rv64 = true;
    } else if (isa.data[2] != '3' || isa.data[3] != '2') {
        return {};
    }
    bool letter[26] = {};
    size_t i = 4;
    for (; i < isa.size && isa.data[i] != '_'; ++i) {  // the single letters
        if (!is_letter(isa.data[i])) return {};
        letter[lower(isa.data[i]) - 'a'] = true;
        i += version_length(isa, i + 1);
    }
    if (letter['g' - 'a'])
        letter['i' - 'a'] = letter['m' - 'a'] = letter['a' - 'a'] = letter['f' - 'a'] =
            letter['d' - 'a'] = true;
    if (!letter['i' - 'a'] && !letter['e' - 'a']) return {};
    out.ima = letter['i' - 'a'] && letter['m' - 'a'] && letter['a' - 'a'];
    if (letter['f' - 'a'] && letter['d' - 'a']) out.ext0 |= RISCV_HWPROBE_IMA_FD;
    if (letter['c' - 'a']) {
        out.ext0 |= RISCV_HWPROBE_IMA_C | RISCV_HWPROBE_EXT_ZCA;
        if (letter['d' - 'a']) out.ext0 |= RISCV_HWPROBE_EXT_ZCD;
        if (letter['f' - 'a'] && !out.rv64) out.ext0 |= RISCV_HWPROBE_EXT_ZCF;
    }
    while (i < isa.size) {  // "_name", each
        ++i;
        size_t end = i;
        while (end < isa.size && isa.data[end] != '_') ++end;
        const size_t name_end = end - trailing_version(StringView{isa.data + i, end - i});
        if (name_end == i) return {};  // an empty name, or only a version
        out.ext0 |= extension_bit(StringView{isa.data + i, name_end - i});
        i = end;
    }
    out.valid = true;
    return out;
}

}  // namespace keel::riscv_isa
