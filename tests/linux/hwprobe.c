// SPDX-License-Identifier: MIT
// riscv_hwprobe (syscall 258) as Linux answers it on the same QEMU machine: every key for all the
// harts, a key it does not know (-1 back), the same pairs for one hart, RISCV_HWPROBE_WHICH_CPUS
// narrowing a set, and the errors (unknown flags, a cpu set of the wrong size, bad pointers).
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "report.h"

struct pair {
    int64_t key;
    uint64_t value;
};

static long probe(struct pair* pairs, long count, long setsize, cpu_set_t* set, unsigned flags) {
    return syscall(258, pairs, count, setsize, set, flags);
}

static void all_keys(void) {
    header("every key, all harts");
    struct pair pairs[16];
    for (int i = 0; i < 16; ++i) pairs[i] = (struct pair){i, 0xdead};
    ok("probe", probe(pairs, 16, 0, NULL, 0));
    for (int i = 0; i < 16; ++i)
        printf("key %d -> key %lld, value %#llx\n", i, (long long)pairs[i].key,
               (unsigned long long)pairs[i].value);
    struct pair unknown = {1000, 7};
    ok("an unknown key", probe(&unknown, 1, 0, NULL, 0));
    printf("unknown key -> key %lld, value %llu\n", (long long)unknown.key,
           (unsigned long long)unknown.value);
    struct pair negative = {-5, 7};
    ok("a negative key", probe(&negative, 1, 0, NULL, 0));
    printf("negative key -> key %lld, value %llu\n", (long long)negative.key,
           (unsigned long long)negative.value);
}

static void one_hart(void) {
    header("hart 0 alone");
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    struct pair base = {3, 0}, ext = {4, 0};
    ok("base behaviour for hart 0", probe(&base, 1, sizeof set, &set, 0));
    ok("IMA_EXT_0 for hart 0", probe(&ext, 1, sizeof set, &set, 0));
    printf("hart 0: base %#llx, ext %#llx\n", (unsigned long long)base.value,
           (unsigned long long)ext.value);
    CPU_ZERO(&set);
    ok("an empty cpu set (no harts: nothing to say, as Linux)",
       probe(&base, 1, sizeof set, &set, 0));
}

static void which_cpus(void) {
    header("WHICH_CPUS");
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    struct pair base = {3, 1};  // RISCV_HWPROBE_BASE_BEHAVIOR_IMA: hart 0 has it
    ok("hart 0 has IMA", probe(&base, 1, sizeof set, &set, 1));
    printf("set holds hart 0: %s, count %d\n", CPU_ISSET(0, &set) ? "yes" : "no", CPU_COUNT(&set));
    CPU_SET(0, &set);
    struct pair none = {3, 2};  // a behaviour bit nobody has
    ok("a behaviour nobody has", probe(&none, 1, sizeof set, &set, 1));
    printf("set count after: %d\n", CPU_COUNT(&set));
    CPU_SET(0, &set);
    struct pair unknown = {1000, 0};
    ok("an unknown key", probe(&unknown, 1, sizeof set, &set, 1));
    printf("set count after an unknown key: %d, key %lld\n", CPU_COUNT(&set),
           (long long)unknown.key);
    fails("WHICH_CPUS without a set", probe(&base, 1, 0, NULL, 1));
}

static void errors(void) {
    header("errors");
    struct pair p = {0, 0};
    fails("unknown flags", probe(&p, 1, 0, NULL, 2));
    fails("a cpu set size without a set", probe(&p, 1, 8, NULL, 0));
    fails("a set without a size", probe(&p, 1, 0, (cpu_set_t*)&p, 0));
    fails("pairs at a bad address", probe((struct pair*)8, 1, 0, NULL, 0));
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    fails("a set at a bad address", probe(&p, 1, sizeof set, (cpu_set_t*)8, 0));
    val("no pairs", probe(NULL, 0, 0, NULL, 0));
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    all_keys();
    one_hart();
    which_cpus();
    errors();
    return 0;
}
