/* tap.c — see tap.h. */
#include "tap.h"

#include <stdarg.h>
#include <stdlib.h>

int tap_checks, tap_failures;

void tap_fail(const char *file, int line, const char *expr, const char *fmt, ...)
{
    tap_failures++;
    fprintf(stderr, "%s:%d: check failed: %s", file, line, expr);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputs(": ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
}

int tap_done(void)
{
    printf("%d passed, %d failed\n", tap_checks - tap_failures, tap_failures);
    if (tap_checks == 0) {
        fprintf(stderr, "no check ran\n");
        return 1;
    }
    return tap_failures ? 1 : 0;
}

char *tap_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) free(b);
            b = nb;
        }
    }
    fclose(f);
    if (!b) return NULL;
    b[n] = 0;
    if (len) *len = n;
    return b;
}

int tap_have(const char *path, const char *what)
{
    FILE *f = fopen(path, "rb");
    if (f) {
        fclose(f);
        return 1;
    }
    printf("# skip: %s (%s not present)\n", what, path);
    return 0;
}
