/*
 * model.h — responsibility models, provider profiles, deployment profiles
 * and ownership resolution (issue 3). Internal to libgongdan; the assess
 * subsystem (src/assess/) uses it to learn who owns a duty.
 *
 * Pieces
 *  - gdi_model: a tree of security duties flattened to categories and
 *    leaves (gdi_duty). Each leaf has, per service model (iaas, paas, saas),
 *    a division: provider and customer roles, the table/row it comes from,
 *    and for negotiable duties the reference options.
 *  - gdi_provider: a provider profile: the service models it offers, the
 *    option it takes by default on negotiable duties, the positions where it
 *    claims a split different from the model, and its stated controls.
 *  - gd_modelset: every model and provider known (built in + user files).
 *  - gdi_profile: a deployment profile (services with provider, service
 *    model, contract options, resources and the supply chain `runs_on`).
 *  - gdi_own_row: the ownership of one (service, duty): responsible parties,
 *    the accountable party, status and basis. Produced by gdi_resolve
 *    (resolve.c), rendered by render.c.
 *
 * Ownership and lifetime: everything a gd_modelset holds (models, providers,
 * their strings) lives in the set's arena until gd_modelset_free. A profile
 * and its rows live in the gd_matrix's arena and borrow from the modelset,
 * which must outlive the matrix. All of it is immutable after loading and
 * can be read from several threads.
 */
#ifndef GDI_MODEL_H
#define GDI_MODEL_H

#include "doc.h"
#include "gdi.h"

/* Service models. A model may define divisions for any subset. */
#define GDI_SM_LIST(X)                                                                             \
    X(GDI_SM_IAAS, "iaas")                                                                         \
    X(GDI_SM_PAAS, "paas")                                                                         \
    X(GDI_SM_SAAS, "saas")
typedef enum gdi_sm {
#define GDI_X_SM(name, str) name,
    GDI_SM_LIST(GDI_X_SM)
#undef GDI_X_SM
        GDI_SM__COUNT
} gdi_sm;
const char *gdi_sm_name(int sm);            /* "iaas", ...; "?" when out of range */
int gdi_sm_parse(const char *s, size_t n);  /* index or -1 */

/* Provider role in a division cell or option. */
typedef enum gdi_prole { GDI_PR_NO = 0, GDI_PR_REQUIRED, GDI_PR_CAPABILITY, GDI_PR_NEGOTIABLE } gdi_prole;
/* Customer role. */
typedef enum gdi_crole { GDI_CR_NO = 0, GDI_CR_REQUIRED, GDI_CR_NEGOTIABLE } gdi_crole;
const char *gdi_prole_name(int r); /* "required", "no", "provides_capability", "negotiable" */
const char *gdi_crole_name(int r); /* "required", "no", "negotiable" */

/* A string in both languages; zh may be NULL (renderers fall back to en). */
typedef struct gdi_text {
    const char *en; /* never NULL once loaded ("" when absent) */
    const char *zh; /* NULL when the data has no Chinese text */
} gdi_text;
/* The text for lang ("zh" picks zh when present); never NULL. */
const char *gdi_text_get(const gdi_text *t, const char *lang);

/* A reference option of a negotiable duty (tables 2 and 5). */
typedef struct gdi_option {
    const char *id;            /* "a", "b", "c" */
    uint8_t prole, crole;      /* machine reading: who does what under this option */
    gdi_text provider_text;    /* what the provider does ("" = nothing) */
    gdi_text customer_text;    /* what the customer does ("" = nothing) */
    int inferred;              /* reference ambiguity number of a damaged cell, 0 if none */
} gdi_option;

/* The division of one duty under one service model. */
typedef struct gdi_division {
    bool present;              /* false: the duty does not exist under this service model */
    uint8_t prole, crole;      /* gdi_prole / gdi_crole */
    int table, row;            /* cited division table and row (e.g. 1, 31) */
    int via_table, via_row;    /* "same as IaaS" target, 0 when the row is explicit */
    int options_table, options_row; /* negotiation table and row, 0 when not negotiable */
    int inferred;              /* ambiguity number when the cell was reconstructed, else 0 */
    int readings[4];           /* other documented readings (ambiguity numbers), 0-terminated */
    const char *note;          /* English paraphrase of the table note, or NULL */
    gdi_option *options;       /* negotiable: the reference options */
    size_t noptions;
} gdi_division;

typedef struct gdi_category {
    const char *id;            /* "physical" */
    gdi_text title;
} gdi_category;

typedef struct gdi_duty {
    const char *id;            /* public leaf id, e.g. "data.customer_data.storage" */
    size_t category;           /* index into model->categories */
    const char *group;         /* id of the sub-group (e.g. "data.customer_data") or NULL */
    gdi_text title;
    const char *definition;    /* English, or NULL */
    const char *const *oscar;  /* mlps-2.0: linked OSCAR leaves (NULL-terminated) or NULL */
    gdi_division div[GDI_SM__COUNT];
} gdi_duty;

typedef struct gdi_model {
    const char *id;            /* "oscar-2020" */
    gdi_text title;
    const char *source;        /* citation of the source document */
    unsigned sm_mask;          /* service models the model defines (1 << gdi_sm) */
    gdi_category *categories;
    size_t ncategories;
    gdi_category *groups;      /* sub-groups of leaves (titles only) */
    size_t ngroups;
    gdi_duty *duties;          /* in source order, grouped by category */
    size_t nduties;
    const char *file;          /* where it was loaded from ("<builtin>/models/...") */
} gdi_model;

/* Lookup of a duty by id; NULL when absent. Linear: models have ~100 duties. */
const gdi_duty *gdi_model_duty(const gdi_model *m, const char *id, size_t n);
/* Option by id within a division; NULL when absent. */
const gdi_option *gdi_division_option(const gdi_division *d, const char *id, size_t n);

/* A provider's default option on a negotiable duty. */
typedef struct gdi_pdefault {
    const char *duty;          /* leaf id */
    int sm;                    /* service model */
    const char *option;        /* option letter, NULL when the provider states nothing */
    const char *confidence;    /* "explicit" | "inferred" | "not_stated" */
    gdi_text basis;            /* why (paraphrase of the source) */
    int readings[4];           /* ambiguity numbers, 0-terminated */
    uint32_t line;             /* line in the provider file, for messages */
} gdi_pdefault;

/* A provider's stated split that may differ from the model's division. */
typedef struct gdi_pposition {
    const char *duty;
    unsigned sm_mask;
    uint8_t prole, crole;
    gdi_text basis;
    int readings[4];
} gdi_pposition;

/* A stated control (one line, paraphrase). */
typedef struct gdi_pcontrol {
    const char *category;      /* category id of the model (or "outside_model") */
    const char *duty;          /* leaf or group id, or NULL */
    const char *model;         /* model id the duty belongs to, NULL = oscar-2020 */
    const char *ref;           /* source reference (section or control id), or NULL */
    unsigned sm_mask;
    const char *text;
} gdi_pcontrol;

typedef struct gdi_provider {
    const char *id;            /* "alibaba_cloud" */
    gdi_text name;
    const char *kind;          /* "public_cloud", "saas_vendor", ... */
    const char *source;        /* citation */
    const char *hosting;       /* what it runs on, as stated, or NULL */
    const char *runs_on_hint;  /* guidance for runs_on, or NULL */
    unsigned sm_mask;          /* service models offered */
    gdi_pdefault *defaults;
    size_t ndefaults;
    gdi_pposition *positions;
    size_t npositions;
    const char **statements;   /* stated positions, paraphrase */
    size_t nstatements;
    gdi_pcontrol *controls;
    size_t ncontrols;
    const char *file;          /* where it was loaded from */
    bool builtin;
} gdi_provider;

/* The stated default of p for duty under sm (only entries with an option);
 * NULL when none. */
const gdi_pdefault *gdi_provider_default(const gdi_provider *p, const char *duty, int sm);
/* p's stated position on duty under sm, or NULL. */
const gdi_pposition *gdi_provider_position(const gdi_provider *p, const char *duty, int sm);

struct gd_modelset {
    gd_ctx *ctx;               /* borrowed */
    gdi_arena arena;           /* everything below */
    gdi_model **models;
    size_t nmodels, capmodels;
    gdi_provider **providers;
    size_t nproviders, capproviders;
};

/* Load a model / provider profile from a parsed document into ms. name is
 * used in messages. Errors (all found) go to ms->ctx as "file:line:col:
 * message"; GD_INVALID when any error was found. A provider whose id is
 * already known replaces the earlier one (user files override built-ins)
 * with a warning. */
gd_status gdi_model_load(gd_modelset *ms, const gdi_doc *doc, gdi_model **out);
gd_status gdi_provider_load(gd_modelset *ms, const gdi_doc *doc, bool builtin,
                            gdi_provider **out);
const gdi_model *gdi_modelset_model(const gd_modelset *ms, const char *id, size_t n);
const gdi_provider *gdi_modelset_provider(const gd_modelset *ms, const char *id, size_t n);

/* Title of a group id of m, or NULL. */
const gdi_text *gdi_model_group(const gdi_model *m, const char *id);

/* ------------------------------------------------------------ loading helpers */

/* State shared by the YAML loaders of models, providers and profiles: where
 * to report, where to allocate, how many errors so far. */
typedef struct gdi_ld {
    gd_ctx *ctx;               /* diagnostics and allocation */
    gdi_arena *arena;          /* destination of copied strings */
    const gdi_doc *doc;        /* document being read (for file:line:col) */
    size_t nerr;               /* errors reported */
    bool nomem;                /* an allocation failed: the loader returns GD_NOMEM */
} gdi_ld;

/* Report an error at node n (or at the document when n is NULL). */
void gdi_ld_err(gdi_ld *l, const gdi_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* String member key of obj copied to the arena. Missing: NULL, and an
 * error when required. Wrong type: error, NULL. Scalars that YAML typed as
 * numbers or booleans are accepted as their source text. */
const char *gdi_ld_str(gdi_ld *l, const gdi_node *obj, const char *key, bool required);
/* Integer member; *out unchanged when missing; error when not an integer. */
void gdi_ld_int(gdi_ld *l, const gdi_node *obj, const char *key, int *out);
/* Node text of a scalar (string, number or bool) copied to the arena, or
 * NULL with an error naming what when n is not a scalar. */
const char *gdi_ld_scalar(gdi_ld *l, const gdi_node *n, const char *what);
/* Member that must be an array (or absent): NULL when absent, error when
 * of another type. */
const gdi_node *gdi_ld_array(gdi_ld *l, const gdi_node *obj, const char *key);
/* Service-model mask from a list of names; errors on unknown names. */
unsigned gdi_ld_sm_list(gdi_ld *l, const gdi_node *arr);

/* ------------------------------------------------------------ profiles */

typedef struct gdi_choice {
    const char *duty;          /* leaf id */
    const char *option;        /* option letter */
    uint32_t line, col;        /* where it was written */
} gdi_choice;

/* One tier of a supply chain: a provider under a service model, the options
 * agreed with it, and what it itself runs on. */
typedef struct gdi_tier {
    const gdi_provider *provider;
    int sm;
    gdi_choice *choices;
    size_t nchoices;
    struct gdi_tier *runs_on;  /* lower tiers (the provider is their customer) */
    size_t nruns_on;
    int image_source;          /* how provider-host images map onto an IaaS lower tier */
    uint32_t line;             /* where the tier was written */
} gdi_tier;

/* Image sources for the provider-host image reading (see resolve.c). */
enum { GDI_IMG_OTHER = 0, GDI_IMG_PUBLIC, GDI_IMG_MARKETPLACE };

typedef struct gdi_service {
    const char *id;
    gdi_tier tier;             /* the service's own provider and what it runs on */
    const char **resources;    /* resource address patterns ("alicloud_*") */
    size_t nresources;
    uint32_t line;
} gdi_service;

typedef struct gdi_profile {
    const char *customer;      /* the customer's party id */
    const gdi_model *model;
    gdi_service *services;
    size_t nservices;
    const char *file;
} gdi_profile;

/* Parse and validate a deployment profile. Every mistake is reported (not
 * only the first) as "file:line:col: message" on ms->ctx: unknown model,
 * unknown provider, unknown duty, an option the duty does not have, an
 * option on a non-negotiable duty, a service model the provider does not
 * offer, duplicate service ids, missing or mistyped fields. The profile is
 * allocated in arena (owned by the caller's matrix). GD_INVALID on errors. */
gd_status gdi_profile_load(const gd_modelset *ms, gdi_arena *arena, const gdi_doc *doc,
                           gdi_profile **out);

/* ------------------------------------------------------------ ownership */

#define GDI_STATUS_LIST(X)                                                                         \
    X(GDI_OWN_OWNED, "owned")                                                                      \
    X(GDI_OWN_UNOWNED, "unowned")                                                                  \
    X(GDI_OWN_AMBIGUOUS, "ambiguous")                                                              \
    X(GDI_OWN_CONFLICT, "conflict")
typedef enum gdi_own_status {
#define GDI_X_OS(name, str) name,
    GDI_STATUS_LIST(GDI_X_OS)
#undef GDI_X_OS
} gdi_own_status;
const char *gdi_own_status_name(int st);

/* Kinds of basis entries. */
#define GDI_BASIS_LIST(X)                                                                          \
    X(GDI_BASIS_TABLE, "table")                                                                    \
    X(GDI_BASIS_CONTRACT, "contract")                                                              \
    X(GDI_BASIS_DEFAULT, "provider_default")                                                       \
    X(GDI_BASIS_POSITION, "provider_position")                                                     \
    X(GDI_BASIS_CHAIN, "runs_on")                                                                  \
    X(GDI_BASIS_READING, "reading")                                                                \
    X(GDI_BASIS_GAP, "gap")
typedef enum gdi_basis_kind {
#define GDI_X_BK(name, str) name,
    GDI_BASIS_LIST(GDI_X_BK)
#undef GDI_X_BK
} gdi_basis_kind;
const char *gdi_basis_kind_name(int k);

typedef struct gdi_basis {
    uint8_t kind;              /* gdi_basis_kind */
    gdi_text text;             /* human sentence in both languages */
} gdi_basis;

/* CSA CCM SSRM ownership of a row. */
#define GDI_CCM_LIST(X)                                                                            \
    X(GDI_CCM_CSP, "CSP-owned")                                                                    \
    X(GDI_CCM_CSC, "CSC-owned")                                                                    \
    X(GDI_CCM_SHARED, "Shared")                                                                    \
    X(GDI_CCM_THIRD, "3rd-party")                                                                  \
    X(GDI_CCM_UNDETERMINED, "Undetermined")
typedef enum gdi_ccm {
#define GDI_X_CCM(name, str) name,
    GDI_CCM_LIST(GDI_X_CCM)
#undef GDI_X_CCM
} gdi_ccm;
const char *gdi_ccm_name(int c);

typedef struct gdi_own_row {
    const gdi_service *service;
    const gdi_duty *duty;
    int sm;                    /* the service's service model */
    const char **responsible;  /* party ids, NULL-free, nresponsible entries */
    size_t nresponsible;
    const char *accountable;   /* one party id, or NULL (unowned / ambiguous) */
    const char **capability;   /* parties that must supply the means (provides_capability) */
    size_t ncapability;
    uint8_t status;            /* gdi_own_status */
    uint8_t ccm;               /* gdi_ccm */
    const char *option;        /* option letter in effect, or NULL */
    gdi_basis *basis;
    size_t nbasis;
    const char **chain;        /* "provider/sm" hops the row was resolved through */
    size_t nchain;
} gdi_own_row;

/* Resolve ownership of every (service, duty) of profile p: one row per
 * service per duty present under the service's service model, services in
 * profile order, duties in model order. Rows and their strings are
 * allocated in arena. The rules are described at the top of resolve.c. */
gd_status gdi_resolve(const gdi_profile *p, gdi_arena *arena, gdi_own_row **rows, size_t *nrows);

/* Ownership of one duty for one tier, as seen by party `customer` (the
 * assess subsystem calls this for single lookups). Same rules as
 * gdi_resolve; row->service is NULL. */
gd_status gdi_resolve_duty(const gdi_tier *tier, const gdi_model *m, const gdi_duty *d,
                           const char *customer, gdi_arena *arena, gdi_own_row *row);

struct gd_matrix {
    gd_ctx *ctx;               /* borrowed */
    const gd_modelset *ms;     /* borrowed; must outlive the matrix */
    gdi_arena arena;           /* profile, rows, strings */
    gdi_profile *profile;
    gdi_own_row *rows;
    size_t nrows;
};

/* Renderers (render.c, render_html.c, render_oscal.c). Write m to b in
 * lang ("en" or "zh"). */
void gdi_matrix_text(const gd_matrix *m, const char *lang, gdi_buf *b);
void gdi_matrix_csv(const gd_matrix *m, const char *lang, gdi_buf *b);
void gdi_matrix_json(const gd_matrix *m, const char *lang, gdi_buf *b);
void gdi_matrix_html(const gd_matrix *m, const char *lang, gdi_buf *b);
void gdi_matrix_oscal(const gd_matrix *m, const char *lang, int64_t timestamp, gdi_buf *b);

/* Grid cell of a row: who performs the duty, seen from the service. */
typedef enum gdi_cell {
    GDI_CELL_PROVIDER = 0, /* the service's provider only */
    GDI_CELL_CUSTOMER,     /* the customer only (possibly with the provider's means) */
    GDI_CELL_BOTH,         /* provider and customer */
    GDI_CELL_UPSTREAM,     /* a lower tier of runs_on (a third party) */
    GDI_CELL_AMBIGUOUS,    /* "?" */
    GDI_CELL_CONFLICT,     /* "!" */
    GDI_CELL_NONE,         /* unowned */
    GDI_CELL__COUNT
} gdi_cell;
int gdi_row_cell(const gdi_own_row *r, const char *customer);
/* Short word for a cell ("provider", "?", ...) and its one-line meaning. */
const char *gdi_cell_word(int cell, const char *lang);
const char *gdi_cell_meaning(int cell, const char *lang);
/* Localised status name and a localised label by key (see render.c). */
const char *gdi_status_label(int st, const char *lang);
const char *gdi_label(const char *key, const char *lang);
/* Append party list joined by sep. */
void gdi_buf_join(gdi_buf *b, const char *const *list, size_t n, const char *sep);

/* Display width of UTF-8 text in terminal columns (CJK wide = 2). */
size_t gdi_utf8_width(const char *s);

#endif /* GDI_MODEL_H */
