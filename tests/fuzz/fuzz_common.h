/*
 * fuzz_common.h — helpers shared by the libFuzzer harnesses in tests/fuzz/.
 *
 * Every harness builds a fresh gd_ctx per input with limits lowered so one
 * input cannot make the fuzzer spend seconds or gigabytes (the limits
 * themselves are under test: a lowered limit must give a clean GD_LIMIT).
 * Everything created for an input is freed before the harness returns, so
 * LeakSanitizer (on in libFuzzer by default) reports any leak on any path.
 *
 * Inputs that must reach the library as files (scan adapters, attestation
 * and HCL loaders) are written to a per-process directory under /dev/shm
 * (or $TMPDIR when /dev/shm is absent); it is removed at exit.
 */
#ifndef GD_FUZZ_COMMON_H
#define GD_FUZZ_COMMON_H

#include "gdi.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A context with limits small enough for fuzzing speed. */
static inline gd_ctx *fz_ctx(void)
{
    gd_ctx *ctx = NULL;
    if (gd_ctx_new(&ctx, NULL) != GD_OK) abort(); /* libc malloc failing: nothing to fuzz */
    gd_ctx_set_limit(ctx, GD_LIMIT_DEPTH, 200);
    gd_ctx_set_limit(ctx, GD_LIMIT_STRING, 1 << 20);
    gd_ctx_set_limit(ctx, GD_LIMIT_EVAL_STEPS, 20000);
    gd_ctx_set_limit(ctx, GD_LIMIT_YAML_ALIAS, 20000);
    gd_ctx_set_limit(ctx, GD_LIMIT_HCL_DEPTH, 64);
    gd_ctx_set_limit(ctx, GD_LIMIT_HCL_EXPAND, 2000);
    gd_ctx_set_limit(ctx, GD_LIMIT_RESOURCES, 20000);
    gd_ctx_set_limit(ctx, GD_LIMIT_FINDINGS, 20000);
    return ctx;
}

/* Every diagnostic must be "something: message" with no trailing newline;
 * a broken message is a bug worth a crash report. */
static inline void fz_check_diags(const gd_ctx *ctx)
{
    size_t n = gd_ctx_diag_count(ctx);
    for (size_t i = 0; i < n; i++) {
        const char *m = gd_ctx_diag(ctx, i, NULL);
        size_t len = m ? strlen(m) : 0;
        if (!m || len == 0 || m[len - 1] == '\n') abort();
    }
}

static char fz_dir[256];

static void fz_cleanup(void)
{
    char p[300];
    static const char *const names[] = {"in.tfstate", "in.tfplan.json", "in.jsonl", "in.json", "in.yaml",
                                        "att.yaml", "main.tf", "main.tf.json", "vars.tfvars"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(p, sizeof p, "%s/%s", fz_dir, names[i]);
        unlink(p);
    }
    rmdir(fz_dir);
}

/* The per-process scratch directory (created on first use). */
static inline const char *fz_scratch(void)
{
    if (!fz_dir[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
        snprintf(fz_dir, sizeof fz_dir, "%s/gd-fuzz-%ld", base ? base : "/tmp", (long)getpid());
        if (mkdir(fz_dir, 0700) != 0 && access(fz_dir, W_OK) != 0) abort();
        atexit(fz_cleanup);
    }
    return fz_dir;
}

/* Write data to scratch/name, replacing it; the full path goes to path. */
static inline void fz_write(const char *name, const uint8_t *data, size_t size, char *path,
                            size_t cap)
{
    snprintf(path, cap, "%s/%s", fz_scratch(), name);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();
}

/* A sink for report output. */
static inline FILE *fz_null(void)
{
    static FILE *f;
    if (!f) f = fopen("/dev/null", "w");
    if (!f) abort();
    return f;
}

#endif /* GD_FUZZ_COMMON_H */
