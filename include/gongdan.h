/*
 * gongdan.h — the one public header of libgongdan.
 *
 * libgongdan checks cloud configuration against the security duties a
 * customer owns under the shared-responsibility model. Everything is reached
 * through opaque handles created from a gd_ctx; no struct layout is public.
 *
 * Conventions
 *  - Fallible functions return gd_status (GD_OK == 0); results come through
 *    out-parameters. Detail (message, file:line:col) is kept on the gd_ctx.
 *  - Constructors are *_new / *_open, destructors *_free / *_close; every
 *    destructor accepts NULL.
 *  - Strings passed in are borrowed for the duration of the call unless a
 *    comment says otherwise; strings returned are owned by the handle they
 *    came from and live until that handle is freed.
 *  - The library never prints, exits, or touches a terminal.
 *  - A gd_ctx is not thread-safe; a compiled gd_ruleset is immutable and may
 *    be shared by threads (the scanner runs its own worker threads).
 */
#ifndef GONGDAN_H
#define GONGDAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GD_VERSION_MAJOR 0
#define GD_VERSION_MINOR 1
#define GD_VERSION_PATCH 0
#define GD_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define GD_API __attribute__((visibility("default")))
#else
#define GD_API
#endif

/* Status codes. One X-macro list: name, value, short description. */
#define GD_STATUS_LIST(X)                                                                          \
    X(GD_OK, 0, "ok")                                                                              \
    X(GD_NOMEM, 1, "out of memory")                                                                \
    X(GD_MISUSE, 2, "library misuse")                                                              \
    X(GD_IO, 3, "input/output error")                                                              \
    X(GD_SYNTAX, 4, "syntax error")                                                                \
    X(GD_INVALID, 5, "invalid document")                                                           \
    X(GD_LIMIT, 6, "limit exceeded")                                                               \
    X(GD_NOTFOUND, 7, "not found")                                                                 \
    X(GD_UNSUPPORTED, 8, "unsupported input")                                                      \
    X(GD_INTERNAL, 9, "internal error")                                                            \
    X(GD_TESTFAIL, 10, "test failed")

typedef enum gd_status {
#define GD_X_ENUM(name, value, desc) name = value,
    GD_STATUS_LIST(GD_X_ENUM)
#undef GD_X_ENUM
} gd_status;

/* Short English description of a status; never NULL. */
GD_API const char *gd_status_str(gd_status st);

/* Library version string, e.g. "0.1.0". */
GD_API const char *gd_version(void);

/* ---------------------------------------------------------------- context */

/* Allocator hook. realloc(ud, NULL, n) must behave as malloc; free(ud, NULL)
 * must be a no-op. A NULL return is treated as out-of-memory (GD_NOMEM). */
typedef struct gd_allocator {
    void *(*realloc)(void *ud, void *ptr, size_t size); /* size 0 is never passed */
    void (*free)(void *ud, void *ptr);
    void *ud; /* passed back to both functions */
} gd_allocator;

/* Limits, with documented defaults (see README "Robustness"). */
#define GD_LIMIT_LIST(X)                                                                           \
    X(GD_LIMIT_FILE_SIZE, "max-file-size", (uint64_t)64 << 30, "bytes in one input file")          \
    X(GD_LIMIT_DEPTH, "max-depth", 512, "nesting depth of a document")                             \
    X(GD_LIMIT_STRING, "max-string", (uint64_t)256 << 20, "bytes in one string")                   \
    X(GD_LIMIT_RESOURCES, "max-resources", 50000000, "resources in one scan")                      \
    X(GD_LIMIT_FINDINGS, "max-findings", 20000000, "findings in one scan")                         \
    X(GD_LIMIT_EVAL_STEPS, "max-eval-steps", 1000000, "rule instructions per resource")            \
    X(GD_LIMIT_YAML_ALIAS, "max-yaml-expansion", 1000000, "nodes produced by YAML aliases")        \
    X(GD_LIMIT_HCL_DEPTH, "max-hcl-depth", 256, "HCL evaluation depth")                            \
    X(GD_LIMIT_HCL_EXPAND, "max-hcl-expansion", 1000000, "count/for_each instances")

typedef enum gd_limit {
#define GD_X_LIMIT(name, flag, def, desc) name,
    GD_LIMIT_LIST(GD_X_LIMIT)
#undef GD_X_LIMIT
        GD_LIMIT__COUNT
} gd_limit;

typedef struct gd_ctx gd_ctx;

/* Create a context. alloc may be NULL (the C library's allocator); it is
 * copied. On GD_NOMEM *out is NULL. */
GD_API gd_status gd_ctx_new(gd_ctx **out, const gd_allocator *alloc);
GD_API void gd_ctx_free(gd_ctx *ctx);

/* Read or set a limit. Setting 0 restores the default. */
GD_API uint64_t gd_ctx_limit(const gd_ctx *ctx, gd_limit which);
GD_API gd_status gd_ctx_set_limit(gd_ctx *ctx, gd_limit which, uint64_t value);
/* Flag name ("max-depth") and description of a limit; NULL if out of range. */
GD_API const char *gd_limit_name(gd_limit which);
GD_API const char *gd_limit_desc(gd_limit which);
GD_API uint64_t gd_limit_default(gd_limit which);

/* Diagnostics: every error and warning the last calls produced, each
 * formatted "file:line:col: message" (location parts omitted when unknown).
 * Strings are owned by ctx and valid until gd_ctx_clear_diags or free. */
typedef enum gd_severity_diag { GD_DIAG_ERROR = 0, GD_DIAG_WARNING = 1 } gd_severity_diag;
GD_API size_t gd_ctx_diag_count(const gd_ctx *ctx);
GD_API const char *gd_ctx_diag(const gd_ctx *ctx, size_t i, gd_severity_diag *kind);
GD_API void gd_ctx_clear_diags(gd_ctx *ctx);

/* ------------------------------------------------------------------ rules */

typedef struct gd_ruleset gd_ruleset;

/* A new, empty rule set. */
GD_API gd_status gd_ruleset_new(gd_ctx *ctx, gd_ruleset **out);
GD_API void gd_ruleset_free(gd_ruleset *rs);
/* Add the rules embedded in the library. */
GD_API gd_status gd_ruleset_add_builtin(gd_ruleset *rs);
/* Add rules from a file (.yaml/.yml) or a directory (searched recursively).
 * Errors (all of them, not only the first) go to the ctx diagnostics. */
GD_API gd_status gd_ruleset_add_path(gd_ruleset *rs, const char *path);
/* Add rules from a buffer; name is used in messages. */
GD_API gd_status gd_ruleset_add_buffer(gd_ruleset *rs, const char *name, const char *data,
                                       size_t len);
/* Number of rules and read-only metadata access by index. */
GD_API size_t gd_ruleset_count(const gd_ruleset *rs);
/* Write the rule list: format "text" or "json". */
GD_API gd_status gd_ruleset_write_list(const gd_ruleset *rs, const char *format, const char *lang,
                                       FILE *out);
/* Run every rule's fixtures. Results (one line per rule and failures) are
 * written to out; *failed counts rules whose fixtures did not give the
 * expected verdicts. Returns GD_TESTFAIL when *failed > 0. */
GD_API gd_status gd_ruleset_test(gd_ruleset *rs, FILE *out, size_t *failed);
/* Print the bytecode of one rule (or all when id is NULL). */
GD_API gd_status gd_ruleset_disasm(const gd_ruleset *rs, const char *id, FILE *out);

/* ------------------------------------------------------------------- scan */

typedef enum gd_input_format {
    GD_INPUT_AUTO = 0,
    GD_INPUT_TFSTATE,
    GD_INPUT_TFPLAN,
    GD_INPUT_JSONL,
    GD_INPUT_HCL
} gd_input_format;

typedef enum gd_sev {
    GD_SEV_INFO = 0,
    GD_SEV_LOW,
    GD_SEV_MEDIUM,
    GD_SEV_HIGH,
    GD_SEV_CRITICAL
} gd_sev;
/* "info", "low", ... ; gd_sev_parse returns GD_INVALID on an unknown name. */
GD_API const char *gd_sev_name(gd_sev s);
GD_API gd_status gd_sev_parse(const char *name, gd_sev *out);

typedef struct gd_scan gd_scan;

typedef struct gd_scan_opts {
    unsigned threads;             /* 0 = all cores */
    gd_input_format format;       /* GD_INPUT_AUTO to detect per file */
    int keep_passes;              /* list passing results, not only count them */
    void (*progress)(void *ud, uint64_t bytes_done, uint64_t bytes_total, uint64_t resources);
    void *progress_ud;            /* passed to progress; called from the scanning thread */
    const char *const *var_files; /* HCL: --var-file paths, NULL-terminated, may be NULL */
    const char *const *vars;      /* HCL: "k=v" pairs, NULL-terminated, may be NULL */
} gd_scan_opts;

/* Scan the given input paths with the rule set. Returns GD_OK when every
 * input was read completely (findings may exist); an input error stops
 * nothing else but makes the result incomplete: the function then returns
 * the first input error's status and gd_scan_complete() is 0. *out is set
 * whenever the status is not GD_NOMEM/GD_MISUSE, so partial results can be
 * reported. */
GD_API gd_status gd_scan_run(const gd_ruleset *rs, const char *const *paths, size_t npaths,
                             const gd_scan_opts *opts, gd_scan **out);
GD_API void gd_scan_free(gd_scan *scan);
GD_API int gd_scan_complete(const gd_scan *scan);
GD_API uint64_t gd_scan_resource_count(const gd_scan *scan);
/* Number of failing findings at or above min severity. */
GD_API uint64_t gd_scan_fail_count(const gd_scan *scan, gd_sev min);

/* Output formats of a scan report. */
#define GD_REPORT_FORMAT_LIST(X)                                                                   \
    X(GD_REPORT_TEXT, "text")                                                                      \
    X(GD_REPORT_JSON, "json")                                                                      \
    X(GD_REPORT_SARIF, "sarif")

typedef enum gd_report_format {
#define GD_X_RF(name, str) name,
    GD_REPORT_FORMAT_LIST(GD_X_RF)
#undef GD_X_RF
} gd_report_format;

typedef struct gd_report_opts {
    gd_report_format format;
    int color;         /* text: ANSI colours */
    int list_passes;   /* include passing results */
    const char *lang;  /* "en" (default) or "zh" */
} gd_report_opts;

GD_API gd_status gd_report_format_parse(const char *name, gd_report_format *out);
GD_API gd_status gd_scan_write(const gd_scan *scan, const gd_report_opts *opts, FILE *out);

/* ------------------------------------------------------------------ files */

/* Write data produced by fn atomically to path: fn writes to a temporary
 * file in the same directory which is renamed over path only when fn returns
 * GD_OK and every byte reached the disk; otherwise the temporary is removed
 * and path is untouched. path "-" or NULL writes to stdout directly. */
GD_API gd_status gd_write_atomic(gd_ctx *ctx, const char *path,
                                 gd_status (*fn)(void *ud, FILE *out), void *ud);

/* === section: responsibility model and matrix (issue 3) === */

/* === section: catalogs and assessment (issue 4) === */

#ifdef __cplusplus
}
#endif
#endif /* GONGDAN_H */
