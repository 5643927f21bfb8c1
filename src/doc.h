/*
 * doc.h — the document model shared by every reader (JSON, YAML, HCL).
 *
 * A document is a flat tape of fixed-size nodes in pre-order. A container
 * node is followed by its children; object children alternate key (always a
 * string node) and value. Every node records `skip`, the number of nodes in
 * its subtree including itself, so the next sibling of node n is n + n->skip
 * and a subtree can be copied elsewhere without fixing up indices.
 *
 * Strings and number texts are borrowed byte ranges (gd_str style): they
 * point into the source buffer when the source bytes are the value (the
 * common case for JSON), or into the document's arena when the value had to
 * be decoded (escapes, YAML scalars). They are NOT NUL-terminated.
 *
 * Numbers keep their exact source text; gdi_num_* convert on demand, so big
 * integers are never silently rounded by the reader.
 *
 * `pos` is the byte offset of the node in the document's source text, used
 * to compute line:col only when a message or finding needs it.
 *
 * Ownership: a gdi_doc owns its node array and arena. The source buffer is
 * borrowed (the caller keeps it alive as long as the doc) unless
 * gdi_doc_own_source() handed it over.
 */
#ifndef GDI_DOC_H
#define GDI_DOC_H

#include "gdi.h"

typedef enum gdi_type {
    GDI_NULL = 0,
    GDI_FALSE,
    GDI_TRUE,
    GDI_NUMBER,
    GDI_STRING,
    GDI_ARRAY,
    GDI_OBJECT,
    GDI_UNKNOWN /* a value not known yet (plan after_unknown, HCL computed) */
} gdi_type;

/* Node flags. */
enum {
    GDI_NF_INTEGER = 1 << 0, /* number text has no fraction or exponent */
    GDI_NF_NEGATIVE = 1 << 1, /* number text starts with '-' */
    GDI_NF_DECODED = 1 << 2, /* string bytes live in the arena, not the source */
    GDI_NF_DUPKEY = 1 << 3,  /* object: had a duplicate key (last one kept, see json.c) */
    GDI_NF_SENSITIVE = 1 << 4, /* value marked sensitive (plan/state), never printed */
};

typedef struct gdi_node {
    uint8_t type;   /* gdi_type */
    uint8_t flags;  /* GDI_NF_* */
    uint16_t aux;   /* reader-specific (YAML: scalar style); 0 otherwise */
    uint32_t len;   /* string/number: byte length; array: elements; object: members */
    uint32_t skip;  /* nodes in this subtree, including this node (>= 1) */
    uint32_t pos;   /* byte offset in the source text (saturates at UINT32_MAX) */
    const char *str; /* string/number bytes; NULL for other types */
} gdi_node;

typedef struct gdi_doc {
    gd_ctx *ctx;         /* allocator owner, borrowed */
    gdi_node *nodes;     /* the tape; nodes[0] is the root when n > 0 */
    uint32_t n, cap;     /* used / capacity */
    gdi_arena arena;     /* decoded strings and anything else the reader keeps */
    const char *src;     /* source text (borrowed unless own_src) */
    size_t src_len;      /* its length */
    const char *name;    /* file name for messages (owned copy), never NULL */
    uint32_t line_base;  /* line number of src[0] (1 unless src is a slice) */
    bool own_src;        /* free src with the doc */
    bool own_name;       /* name was allocated by gdi_doc_init */
} gdi_doc;

/* Initialise an empty document named name (copied). */
gd_status gdi_doc_init(gdi_doc *d, gd_ctx *ctx, const char *name);
/* Drop all nodes and arena contents but keep the memory for reuse. */
void gdi_doc_reset(gdi_doc *d);
void gdi_doc_free(gdi_doc *d);
/* Hand the source buffer to the doc (freed with gdi_free at gdi_doc_free). */
void gdi_doc_own_source(gdi_doc *d, char *src, size_t len);

/* Root node, or NULL for an empty document. */
static inline const gdi_node *gdi_doc_root(const gdi_doc *d)
{
    return d->n ? &d->nodes[0] : NULL;
}

/* Line and column of a node (1-based), computed from the source text. */
void gdi_doc_line_col(const gdi_doc *d, const gdi_node *n, uint32_t *line, uint32_t *col);

/* ---- building (used by readers) ---- */

/* Append a node; returns its index, or UINT32_MAX on out of memory or when
 * the tape would exceed UINT32_MAX - 1 nodes. skip is set to 1. */
uint32_t gdi_doc_push(gdi_doc *d, gdi_type type, uint32_t pos, const char *str, uint32_t len);
/* Close a container opened at index i: sets its skip from the tape length
 * and its len to count. */
static inline void gdi_doc_close(gdi_doc *d, uint32_t i, uint32_t count)
{
    d->nodes[i].skip = d->n - i;
    d->nodes[i].len = count;
}
/* Append a copy of subtree n (from any doc) to d; strings are not copied
 * (they stay borrowed from n's document). Returns index or UINT32_MAX. */
uint32_t gdi_doc_copy_subtree(gdi_doc *d, const gdi_node *n);

/* ---- reading ---- */

static inline const gdi_node *gdi_next(const gdi_node *n)
{
    return n + n->skip;
}
/* First child of a container (undefined when len == 0). For objects it is
 * the first key; its value is key + 1. */
static inline const gdi_node *gdi_first(const gdi_node *n)
{
    return n + 1;
}
static inline gd_str gdi_node_str(const gdi_node *n)
{
    return (gd_str){n->str, n->len};
}
/* Member value of an object by key, or NULL (also NULL when obj is not an
 * object). With duplicate keys the last one wins. */
const gdi_node *gdi_obj_get(const gdi_node *obj, const char *key, size_t keylen);
static inline const gdi_node *gdi_obj_getc(const gdi_node *obj, const char *key)
{
    return gdi_obj_get(obj, key, strlen(key));
}
/* Element i of an array, or NULL. O(i). */
const gdi_node *gdi_arr_at(const gdi_node *arr, uint32_t i);

/* Numbers: exact parse of the node's text. */
/* true and *out set when the number is an integer that fits int64. */
bool gdi_num_i64(const gdi_node *n, int64_t *out);
/* Nearest double (strtod semantics on the exact text). */
double gdi_num_f64(const gdi_node *n);
/* Same two helpers on raw number text. */
bool gdi_numtext_i64(const char *p, size_t n, int64_t *out);
double gdi_numtext_f64(const char *p, size_t n);

/* Name of a node type ("string", "object", ...). */
const char *gdi_type_name(gdi_type t);

/* Write subtree n as compact JSON to b (strings escaped; unknown -> null). */
void gdi_node_to_json(gdi_buf *b, const gdi_node *n);

/* ---- readers (json.c, yaml.c) ---- */

/* Parse text as strict RFC 8259 JSON into d (which must be empty/reset).
 * text need not be NUL-terminated. A leading UTF-8 BOM is skipped. Honours
 * GD_LIMIT_DEPTH and GD_LIMIT_STRING. On error a diagnostic
 * "name:line:col: message" is added to d->ctx and GD_SYNTAX (or GD_LIMIT,
 * GD_NOMEM) is returned; d is then left empty. Duplicate keys: the object
 * keeps every member on the tape, flags GDI_NF_DUPKEY, and lookups see the
 * last value (as JavaScript's JSON.parse does). */
gd_status gdi_json_parse(gdi_doc *d, const char *text, size_t len);

/* Find the extent of the JSON value that starts at or after text[0]
 * (leading whitespace skipped): sets *start and *end (one past the value)
 * as offsets. Validates only structure (brackets and strings), not
 * contents; used to cut streams into pieces before a full parse. Returns
 * GD_OK, GD_SYNTAX at an unbalanced/unterminated value, or GD_NOTFOUND when
 * only whitespace remains; *end at text+len means "need more input" only
 * when the value is incomplete (GD_SYNTAX with *end == len). */
gd_status gdi_json_extent(const char *text, size_t len, size_t *start, size_t *end);

/* Step through an array without parsing it. text starts just after the '['
 * (first = true) or just after the previous element (first = false).
 * Skips whitespace and, when !first, the ',' separator; then GD_OK: the next
 * element spans [*start, *end) (as gdi_json_extent); GD_NOTFOUND: the array
 * ends, *start is the ']' and *end one past it; GD_SYNTAX: malformed, *end is
 * the offending offset (len when the input ran out). */
gd_status gdi_json_array_next(const char *text, size_t len, bool first, size_t *start,
                              size_t *end);
/* Same for an object: on GD_OK the key (quotes included, not decoded) spans
 * [*key_start, *key_end) and its value [*val_start, *val_end); GD_NOTFOUND at
 * '}' (*val_start = '}', *val_end one past); GD_SYNTAX with *val_end at the
 * offending offset (len when the input ran out). */
gd_status gdi_json_object_next(const char *text, size_t len, bool first, size_t *key_start,
                               size_t *key_end, size_t *val_start, size_t *val_end);

/* Parse YAML (libyaml) into d. One document only (a stream with several is
 * an error). Aliases are expanded, counted against GD_LIMIT_YAML_ALIAS.
 * Scalars: plain scalars that YAML 1.2 core schema resolves to null, bool,
 * int or float become those types; everything else (and any quoted scalar)
 * is a string. Mapping keys must be scalars. pos is the byte offset of each
 * node's start mark. Errors as for gdi_json_parse. */
gd_status gdi_yaml_parse(gdi_doc *d, const char *text, size_t len);

#endif /* GDI_DOC_H */
