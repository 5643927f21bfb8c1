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
/* Run every rule's fixtures. Every failing case gets a line and a summary
 * line ends the output (written to out); *failed counts rules whose fixtures did not give the
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
    int release_in_background;    /* free the inputs' mappings and the working memory on a
                                   * thread of their own once the result is ready (it overlaps
                                   * writing the report); gd_scan_free waits for it. The
                                   * allocator is then called from that thread too */
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

struct gd_matrix;

typedef struct gd_report_opts {
    gd_report_format format;
    int color;         /* text: ANSI colours */
    int list_passes;   /* include passing results */
    const char *lang;  /* "en" (default) or "zh" */
    const struct gd_matrix *matrix; /* deployment ownership: attribute findings to services and
                                       parties (NULL: no attribution); borrowed */
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

/* Built-in responsibility models (oscar-2020, mlps-2.0) and provider
 * profiles, plus provider profiles users add from files. Immutable once
 * loaded; strings it returns live until gd_modelset_free. */
typedef struct gd_modelset gd_modelset;

/* Load every built-in model and provider profile. */
GD_API gd_status gd_modelset_new(gd_ctx *ctx, gd_modelset **out);
GD_API void gd_modelset_free(gd_modelset *ms);
/* Add provider profiles from a YAML file or a directory (every .yaml/.yml
 * in it, not recursive). A profile with the id of a built-in one replaces
 * it (a warning says so). All errors go to the ctx diagnostics. */
GD_API gd_status gd_modelset_add_providers(gd_modelset *ms, const char *path);

/* Browse the data. format "text" or "json"; lang "en" or "zh" (NULL = en).
 * gd_model_show: model_id NULL = "oscar-2020", "*" lists the models; duty
 * NULL lists the whole model, else shows one duty (or every duty under a
 * category/group id);
 * GD_NOTFOUND (with a diagnostic) for an unknown model or duty.
 * gd_providers_write: id NULL lists all providers, else shows one. */
GD_API gd_status gd_model_show(const gd_modelset *ms, const char *model_id, const char *duty,
                               const char *format, const char *lang, FILE *out);
GD_API gd_status gd_providers_write(const gd_modelset *ms, const char *id, const char *format,
                                    const char *lang, FILE *out);

/* Ownership matrix of a deployment profile (docs/profile.md): for every
 * service and duty, the responsible parties, the accountable party, the
 * status (owned | unowned | ambiguous | conflict) and the basis. */
typedef struct gd_matrix gd_matrix;

/* Load and validate the profile at path (or the buffer, name used in
 * messages) and resolve ownership. Every profile mistake is reported as
 * "file:line:col: message"; GD_INVALID when there was any. ms must outlive
 * the matrix. */
GD_API gd_status gd_matrix_new(gd_modelset *ms, const char *path, gd_matrix **out);
GD_API gd_status gd_matrix_new_buffer(gd_modelset *ms, const char *name, const char *data,
                                      size_t len, gd_matrix **out);
GD_API void gd_matrix_free(gd_matrix *m);
/* Number of rows, and of rows whose status is not "owned" (the --strict test). */
GD_API size_t gd_matrix_row_count(const gd_matrix *m);
GD_API size_t gd_matrix_gap_count(const gd_matrix *m);

#define GD_MATRIX_FORMAT_LIST(X)                                                                   \
    X(GD_MATRIX_TEXT, "text")                                                                      \
    X(GD_MATRIX_CSV, "csv")                                                                        \
    X(GD_MATRIX_JSON, "json")                                                                      \
    X(GD_MATRIX_HTML, "html")                                                                      \
    X(GD_MATRIX_OSCAL, "oscal")

typedef enum gd_matrix_format {
#define GD_X_MF(name, str) name,
    GD_MATRIX_FORMAT_LIST(GD_X_MF)
#undef GD_X_MF
} gd_matrix_format;

typedef struct gd_matrix_opts {
    gd_matrix_format format;
    const char *lang;  /* "en" (default when NULL) or "zh" */
    int64_t timestamp; /* oscal: last-modified, seconds since 1970; 0 = now */
} gd_matrix_opts;

GD_API gd_status gd_matrix_format_parse(const char *name, gd_matrix_format *out);
GD_API gd_status gd_matrix_write(const gd_matrix *m, const gd_matrix_opts *opts, FILE *out);

/* === section: catalogs and assessment (issue 4) === */

/* Framework catalogs: the built-in ones (craf-2.0, soc2, iso27001, mlps-2.0,
 * soc3-alibaba) with their duty mappings, plus catalogs users add from
 * files (gongdan catalog YAML, or OSCAL catalog / resolved-profile JSON).
 * Immutable once loaded; strings it returns live until gd_catalogset_free.
 * docs/catalogs.md describes the data. */
typedef struct gd_catalogset gd_catalogset;

/* Load every built-in catalog and mapping. */
GD_API gd_status gd_catalogset_new(gd_ctx *ctx, gd_catalogset **out);
GD_API void gd_catalogset_free(gd_catalogset *cs);
/* Add catalogs from a file (.yaml/.yml gongdan catalog, .json OSCAL
 * catalog or profile) or a directory (its .yaml/.yml/.json files, not
 * recursive). A catalog whose id is already known replaces it with a
 * warning. All errors go to the ctx diagnostics; GD_INVALID when any. */
GD_API gd_status gd_catalogset_add_path(gd_catalogset *cs, const char *path);
/* Import one OSCAL catalog or profile JSON as catalog `id` (NULL: derived
 * from the document's title) and write it in gongdan catalog YAML to out,
 * so it can be saved and loaded later with gd_catalogset_add_path. A
 * profile is resolved against the catalogs already in cs (an imported
 * catalog with the profile's import href name, or the NIST catalog id). The
 * catalog is also added to cs. *out_id (may be NULL) receives its id, owned
 * by cs. */
GD_API gd_status gd_catalog_import(gd_catalogset *cs, const char *path, const char *id,
                                   FILE *out, const char **out_id);
/* Number of catalogs; id of catalog i (in load order); NULL past the end. */
GD_API size_t gd_catalogset_count(const gd_catalogset *cs);
GD_API const char *gd_catalogset_id(const gd_catalogset *cs, size_t i);
/* 1 when framework is known and has a control with this id, else 0 (rule
 * packs use it to validate the control ids their rules cite). */
GD_API int gd_catalog_has_control(const gd_catalogset *cs, const char *framework,
                                  const char *control);
/* Browse: id NULL lists the catalogs; control NULL shows a whole catalog,
 * else one control (or every control of a group id). format "text" or
 * "json"; lang "en" or "zh" (NULL = en). GD_NOTFOUND with a diagnostic for
 * an unknown catalog or control. */
GD_API gd_status gd_catalog_write(const gd_catalogset *cs, const char *id, const char *control,
                                  const char *format, const char *lang, FILE *out);

/* Assessment of a deployment against one framework: per control a status
 * (met, partial, not_met, not_applicable, inherited, unknown) with its
 * reasons, from the ownership matrix of a deployment profile, scan
 * findings and attestations; C-RAF tiers per domain, MLPS level rule, and
 * what to do next. docs/assess.md. */
typedef struct gd_assess gd_assess;

typedef struct gd_assess_opts {
    const char *framework;            /* catalog id (required) */
    const char *profile;              /* deployment profile path, or NULL */
    const char *inherent_risk;        /* craf: "low" | "medium" | "high"; NULL = no target */
    const char *attestations;         /* attestation file or directory, or NULL */
    const char *const *inputs;        /* scan inputs or saved JSON scan results */
    size_t ninputs;
    const gd_scan_opts *scan;         /* options for scanning inputs; NULL = defaults */
    int level;                        /* mlps: the system's protection level; 0 = 3 */
    int platform_level;               /* mlps: the cloud platform's level; 0 = not stated */
    int64_t now;                      /* expiry reference, seconds since 1970; 0 = now */
} gd_assess_opts;

/* Run an assessment. cs, ms and rs are borrowed and must outlive the
 * result (rs: the rules used to scan inputs and to read saved results; may
 * be NULL when there are no inputs). Input problems (profile, attestation,
 * scan errors, an evidence digest mismatch) are diagnostics; the function
 * then still produces *out when it can and returns GD_INVALID so the caller
 * can report and fail. GD_NOTFOUND for an unknown framework. */
GD_API gd_status gd_assess_run(const gd_catalogset *cs, gd_modelset *ms, const gd_ruleset *rs,
                               const gd_assess_opts *opts, gd_assess **out);
GD_API void gd_assess_free(gd_assess *a);

#define GD_ASSESS_FORMAT_LIST(X)                                                                   \
    X(GD_ASSESS_TEXT, "text")                                                                      \
    X(GD_ASSESS_JSON, "json")                                                                      \
    X(GD_ASSESS_CSV, "csv")                                                                        \
    X(GD_ASSESS_HTML, "html")                                                                      \
    X(GD_ASSESS_OSCAL, "oscal")

typedef enum gd_assess_format {
#define GD_X_AF(name, str) name,
    GD_ASSESS_FORMAT_LIST(GD_X_AF)
#undef GD_X_AF
} gd_assess_format;

GD_API gd_status gd_assess_format_parse(const char *name, gd_assess_format *out);
/* Write the assessment. lang "en" or "zh" (NULL = en). */
GD_API gd_status gd_assess_write(const gd_assess *a, gd_assess_format format, const char *lang,
                                 FILE *out);
/* Tiered frameworks (C-RAF): index of the overall tier achieved (0 =
 * baseline ...), -1 when not even the first tier is achieved; and the index
 * of a tier name, -1 when unknown. Non-tiered frameworks: -1 / -1. */
GD_API int gd_assess_tier_achieved(const gd_assess *a);
GD_API int gd_assess_tier_index(const gd_assess *a, const char *tier);
/* Controls counted per status: index by the status order above (met,
 * partial, not_met, not_applicable, inherited, unknown). */
GD_API size_t gd_assess_count(const gd_assess *a, int status);
/* mlps: 1 when the level rule holds, 0 when broken, -1 when undecided. */
GD_API int gd_assess_level_rule(const gd_assess *a);


/* === section: rule pack and coverage (issue 5) === */

/* Write the coverage report of the rule set as Markdown (docs/rules-coverage.md
 * is this output for the built-in rules): rules per provider and severity,
 * framework controls cited, rules per OSCAR duty and provider, the duties no
 * rule checks (they need attestations), the Alibaba Cloud SOC 3 customer
 * duties checked, and the equivalence table with Checkov and KICS. It is also
 * the pack's consistency check: a duty id missing from the embedded OSCAR
 * model, a control id missing from its embedded catalog, or an equivalence
 * topic naming a rule id that does not exist makes it report every such
 * problem to the ctx diagnostics, write nothing and return GD_INVALID.
 * Output is deterministic. GD_IO when writing to out fails. */
GD_API gd_status gd_ruleset_write_coverage(const gd_ruleset *rs, FILE *out);
#define GD_HAVE_COVERAGE 1

/* === section: HCL source (issue 6) === */

#ifdef __cplusplus
}
#endif
#endif /* GONGDAN_H */
