// SPDX-License-Identifier: MIT
// primes [N]: counts the primes below N (default 300000) by trial division: CPU-bound, no
// syscall until the end. Two at once on two harts take about as long as one.
#include "keel.h"

int main(int argc, char** argv) {
    const long limit = argc > 1 ? parse_number(argv[1]) : 300000;
    long count = 0;
    for (long n = 2; n < limit; ++n) {
        int prime = 1;
        for (long d = 2; d * d <= n; ++d) {
            if (n % d == 0) {
                prime = 0;
                break;
            }
        }
        count += prime;
    }
    print("primes: ");
    print_number(count);
    print(" below ");
    print_number(limit);
    print("\n");
    return 0;
}
