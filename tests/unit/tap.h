/*
 * tap.h — a tiny test harness for the unit tests: CHECK records a failure
 * with file:line and goes on; tap_done prints a summary and gives the exit
 * status (non-zero when any check failed or no check ran).
 */
#ifndef GD_TAP_H
#define GD_TAP_H

#include <stdio.h>
#include <string.h>

extern int tap_checks, tap_failures;
void tap_fail(const char *file, int line, const char *expr, const char *fmt, ...);
int tap_done(void);
/* Read a whole file (test data); returns malloc'd NUL-terminated bytes or NULL. */
char *tap_slurp(const char *path, size_t *len);
/* True when the data file at path exists. Otherwise prints "# skip: ..."
 * naming it and what is skipped: checks against the project's shared/
 * folder (beside the checkout) run only where it is. */
int tap_have(const char *path, const char *what);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        tap_checks++;                                                                              \
        if (!(cond)) tap_fail(__FILE__, __LINE__, #cond, NULL);                                   \
    } while (0)
#define CHECK_MSG(cond, ...)                                                                       \
    do {                                                                                           \
        tap_checks++;                                                                              \
        if (!(cond)) tap_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                            \
    } while (0)
#define CHECK_STREQ(a, b)                                                                          \
    do {                                                                                           \
        const char *tap_a_ = (a), *tap_b_ = (b);                                                   \
        tap_checks++;                                                                              \
        if (!tap_a_ || !tap_b_ || strcmp(tap_a_, tap_b_) != 0)                                     \
            tap_fail(__FILE__, __LINE__, #a " == " #b, "got \"%s\", want \"%s\"",                \
                     tap_a_ ? tap_a_ : "(null)", tap_b_ ? tap_b_ : "(null)");                      \
    } while (0)
#define CHECK_INTEQ(a, b)                                                                          \
    do {                                                                                           \
        long long tap_a_ = (long long)(a), tap_b_ = (long long)(b);                                \
        tap_checks++;                                                                              \
        if (tap_a_ != tap_b_)                                                                      \
            tap_fail(__FILE__, __LINE__, #a " == " #b, "got %lld, want %lld", tap_a_, tap_b_);   \
    } while (0)

#endif
