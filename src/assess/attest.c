/*
 * attest.c — attestations: what an organisation states about controls and
 * duties a scanner cannot see (training, drills, background checks, key
 * ceremonies), with evidence files pinned by SHA-256.
 *
 * File format (docs/assess.md): a mapping with an optional default
 * `framework` and an `attestations` list; each entry names one target
 * (`control` [+ `framework`] or `duty`), a `status` (implemented, partial,
 * planned, not_applicable), a `statement`, `evidence` [{path, sha256}],
 * `attested_by`, `date` and optional `expires` (YYYY-MM-DD), and for tiered
 * frameworks an optional `tier` (the highest tier it covers).
 *
 * Rules: every evidence file is read and hashed; a missing file or a digest
 * mismatch is an error (the attestation is then not counted). An expired
 * attestation is not an error: it is kept, marked expired, counts as
 * missing and is reported. Entries for another framework are loaded and
 * ignored. All problems of all files are reported, not only the first.
 */
#include "assess/assess.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *gdi_att_status_id(int s)
{
    static const char *const ids[] = {
#define GDI_X_ATT(name, id) id,
        GDI_ATT_LIST(GDI_X_ATT)
#undef GDI_X_ATT
    };
    return s >= 0 && s < (int)(sizeof ids / sizeof ids[0]) ? ids[s] : "?";
}

bool gdi_parse_date(const char *s, int64_t *days)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return false;
    /* days from civil (Howard Hinnant's algorithm, proleptic Gregorian) */
    int yy = y - (m <= 2);
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *days = (int64_t)era * 146097 + doe - 719468;
    return true;
}

gd_status gdi_sha256_file(gd_ctx *ctx, const char *path, char hex[65])
{
    char *data = NULL;
    size_t len = 0;
    gd_status st = gdi_read_file(ctx, path, &data, &len);
    if (st) return st;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        gdi_free(ctx, data);
        return gdi_err(ctx, GD_INTERNAL, path, 0, 0, "cannot compute sha-256");
    }
    gdi_free(ctx, data);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = 0;
    return GD_OK;
}

typedef struct aload {
    gd_ctx *ctx;
    gdi_arena *arena;
    const gdi_doc *doc;
    const gdi_catalog *cat;
    bool (*valid_duty)(void *ud, const char *id);
    void *ud;
    int64_t today;
    gdi_attest *v;
    size_t n, cap;
    size_t errors;
} aload;

static void aerr(aload *l, const gdi_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void aerr(aload *l, const gdi_node *n, const char *fmt, ...)
{
    uint32_t line = 0, col = 0;
    if (n) gdi_doc_line_col(l->doc, n, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(l->ctx, GD_DIAG_ERROR, l->doc->name, line, col, fmt, ap);
    va_end(ap);
    l->errors++;
}

static const char *astr(aload *l, const gdi_node *obj, const char *key, bool *nomem)
{
    const gdi_node *v = gdi_obj_getc(obj, key);
    if (!v || v->type == GDI_NULL) return NULL;
    if (v->type != GDI_STRING && v->type != GDI_NUMBER) {
        aerr(l, v, "%s must be a string", key);
        return NULL;
    }
    char *s = gdi_arena_strndup(l->arena, v->str, v->len);
    if (!s) *nomem = true;
    return s;
}

/* Directory part of path ("." when none), in the arena. */
static const char *dir_of(gdi_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return ".";
    return gdi_arena_strndup(a, path, (size_t)(slash - path));
}

static gd_status load_evidence(aload *l, gdi_attest *at, const gdi_node *arr)
{
    if (!arr || arr->type == GDI_NULL) return GD_OK;
    if (arr->type != GDI_ARRAY) {
        aerr(l, arr, "evidence must be a list of {path, sha256}");
        return GD_OK;
    }
    at->ev = gdi_arena_calloc(l->arena, sizeof *at->ev * (arr->len ? arr->len : 1));
    if (!at->ev) return GD_NOMEM;
    const char *base = dir_of(l->arena, l->doc->name);
    if (!base) return GD_NOMEM;
    bool nomem = false;
    const gdi_node *e = gdi_first(arr);
    for (uint32_t i = 0; i < arr->len; i++, e = gdi_next(e)) {
        if (e->type != GDI_OBJECT) {
            aerr(l, e, "an evidence entry must be a mapping {path, sha256}");
            continue;
        }
        gdi_evidence *ev = &at->ev[at->nev];
        ev->path = astr(l, e, "path", &nomem);
        const gdi_node *hn = gdi_obj_getc(e, "sha256");
        if (hn && hn->type == GDI_NUMBER) {
            /* an all-digit digest reads as a YAML number and loses its text */
            aerr(l, hn, "sha256 must be a quoted string (this one reads as a number)");
            continue;
        }
        ev->sha256 = astr(l, e, "sha256", &nomem);
        if (nomem) return GD_NOMEM;
        if (!ev->path || !ev->sha256) {
            aerr(l, e, "an evidence entry needs 'path' and 'sha256'");
            continue;
        }
        bool hexok = strlen(ev->sha256) == 64;
        for (const char *p = ev->sha256; hexok && *p; p++)
            hexok = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F');
        if (!hexok) {
            aerr(l, gdi_obj_getc(e, "sha256"), "sha256 must be 64 hexadecimal digits");
            continue;
        }
        char *low = (char *)ev->sha256;
        for (char *p = low; *p; p++)
            if (*p >= 'A' && *p <= 'F') *p = (char)(*p - 'A' + 'a');
        size_t need = strlen(base) + strlen(ev->path) + 2;
        char *full = gdi_arena_alloc(l->arena, need);
        if (!full) return GD_NOMEM;
        if (ev->path[0] == '/')
            snprintf(full, need, "%s", ev->path);
        else
            snprintf(full, need, "%s/%s", base, ev->path);
        ev->resolved = full;
        char hex[65];
        size_t before = gd_ctx_diag_count(l->ctx);
        gd_status st = gdi_sha256_file(l->ctx, full, hex);
        if (st == GD_NOMEM) return st;
        at->nev++;
        if (st) {
            /* the reader's own message names the file; point at the entry too */
            (void)before;
            aerr(l, gdi_obj_getc(e, "path"), "attestation '%s': evidence file '%s' cannot be read",
                 at->id, ev->path);
            at->invalid = true;
            continue;
        }
        ev->actual = gdi_arena_strndup(l->arena, hex, 64);
        if (!ev->actual) return GD_NOMEM;
        ev->ok = !strcmp(hex, ev->sha256);
        if (!ev->ok) {
            aerr(l, gdi_obj_getc(e, "sha256"),
                 "attestation '%s': evidence '%s' does not match its sha256 (file has %s)", at->id,
                 ev->path, hex);
            at->invalid = true;
        }
    }
    return GD_OK;
}

static gd_status load_entry(aload *l, const gdi_node *e, const char *deffw, size_t index)
{
    bool nomem = false;
    if (e->type != GDI_OBJECT) {
        aerr(l, e, "an attestation must be a mapping");
        return GD_OK;
    }
    gd_status st = gdi_grow(l->ctx, (void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    if (st) return st;
    gdi_attest *at = &l->v[l->n];
    memset(at, 0, sizeof *at);
    at->file = l->doc->name;
    gdi_doc_line_col(l->doc, e, &at->line, &at->col);
    at->id = astr(l, e, "id", &nomem);
    if (!at->id && !nomem) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s#%zu", l->doc->name, index + 1);
        at->id = gdi_arena_strndup(l->arena, buf, strlen(buf));
        if (!at->id) nomem = true;
    }
    at->framework = astr(l, e, "framework", &nomem);
    at->control = astr(l, e, "control", &nomem);
    at->duty = astr(l, e, "duty", &nomem);
    at->statement = astr(l, e, "statement", &nomem);
    at->by = astr(l, e, "attested_by", &nomem);
    at->date = astr(l, e, "date", &nomem);
    at->expires = astr(l, e, "expires", &nomem);
    at->tier_name = astr(l, e, "tier", &nomem);
    const char *status = astr(l, e, "status", &nomem);
    if (nomem) return GD_NOMEM;
    if (!at->framework) at->framework = deffw;
    at->tier = -1;
    size_t before = l->errors;
    if (!at->control == !at->duty)
        aerr(l, e, "attestation '%s' must name exactly one target: 'control' or 'duty'", at->id);
    at->status = -1;
    if (!status) {
        aerr(l, e, "attestation '%s' has no 'status'", at->id);
    } else {
        for (int s = 0; s <= GDI_ATT_NA; s++)
            if (!strcmp(status, gdi_att_status_id(s))) at->status = s;
        if (at->status < 0)
            aerr(l, gdi_obj_getc(e, "status"),
                 "attestation '%s': status must be implemented, partial, planned or "
                 "not_applicable, not '%s'",
                 at->id, status);
    }
    if (!at->statement) aerr(l, e, "attestation '%s' has no 'statement'", at->id);
    if (!at->by) aerr(l, e, "attestation '%s' has no 'attested_by'", at->id);
    int64_t dd, de;
    if (!at->date || !gdi_parse_date(at->date, &dd))
        aerr(l, at->date ? gdi_obj_getc(e, "date") : e,
             "attestation '%s': 'date' must be a date YYYY-MM-DD", at->id);
    if (at->expires && !gdi_parse_date(at->expires, &de))
        aerr(l, gdi_obj_getc(e, "expires"), "attestation '%s': 'expires' must be a date YYYY-MM-DD",
             at->id);
    else if (at->expires && de < l->today)
        at->expired = true;
    if (at->control && !at->framework)
        aerr(l, gdi_obj_getc(e, "control"),
             "attestation '%s': a control target needs a 'framework' (here or at the top)", at->id);
    /* targets */
    if (at->control && at->framework && l->cat && !strcmp(at->framework, l->cat->id)) {
        at->applies = true;
        if (!gdi_catalog_control(l->cat, at->control))
            aerr(l, gdi_obj_getc(e, "control"), "attestation '%s': %s has no control '%s'", at->id,
                 l->cat->id, at->control);
    }
    if (at->duty) {
        at->applies = true;
        if (l->valid_duty && !l->valid_duty(l->ud, at->duty))
            aerr(l, gdi_obj_getc(e, "duty"), "attestation '%s': unknown duty '%s'", at->id,
                 at->duty);
    }
    if (at->tier_name && at->applies && l->cat) {
        at->tier = gdi_catalog_tier(l->cat, at->tier_name);
        if (at->tier < 0)
            aerr(l, gdi_obj_getc(e, "tier"), "attestation '%s': %s has no tier '%s'", at->id,
                 l->cat->id, at->tier_name);
    }
    if ((st = load_evidence(l, at, gdi_obj_getc(e, "evidence")))) return st;
    if (l->errors > before) at->invalid = true;
    l->n++;
    return GD_OK;
}

static gd_status load_one(aload *l, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    gdi_doc d;
    gd_status st = gdi_read_file(l->ctx, path, &text, &len);
    if (st) {
        l->errors++;
        return st == GD_NOMEM ? st : GD_OK;
    }
    if ((st = gdi_doc_init(&d, l->ctx, path))) {
        gdi_free(l->ctx, text);
        return st;
    }
    l->doc = &d;
    st = gdi_yaml_parse(&d, text, len);
    if (st) {
        l->errors++;
        st = st == GD_NOMEM ? st : GD_OK;
        goto done;
    }
    const gdi_node *root = gdi_doc_root(&d);
    const gdi_node *list = root && root->type == GDI_OBJECT ? gdi_obj_getc(root, "attestations") : NULL;
    if (!list || list->type != GDI_ARRAY) {
        aerr(l, root, "an attestation file is a mapping with an 'attestations' list");
        goto done;
    }
    bool nomem = false;
    const char *deffw = astr(l, root, "framework", &nomem);
    if (nomem) {
        st = GD_NOMEM;
        goto done;
    }
    const gdi_node *e = gdi_first(list);
    for (uint32_t i = 0; i < list->len && !st; i++, e = gdi_next(e)) st = load_entry(l, e, deffw, i);
done:
    /* doc->name is referenced by attestations: keep a copy in the arena */
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].file == d.name) {
            const char *keep = gdi_arena_strndup(l->arena, d.name, strlen(d.name));
            if (!keep) {
                st = GD_NOMEM;
                break;
            }
            for (size_t k = i; k < l->n; k++)
                if (l->v[k].file == d.name) l->v[k].file = keep;
            break;
        }
    gdi_doc_free(&d);
    gdi_free(l->ctx, text);
    return st;
}

static bool yaml_name(const char *n)
{
    size_t k = strlen(n);
    return (k > 5 && !strcmp(n + k - 5, ".yaml")) || (k > 4 && !strcmp(n + k - 4, ".yml"));
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

gd_status gdi_attest_load(gd_ctx *ctx, gdi_arena *arena, const char *path, const gdi_catalog *cat,
                          bool (*valid_duty)(void *ud, const char *id), void *ud, int64_t now_days,
                          gdi_attest **out, size_t *n, size_t *nerrors)
{
    aload l = {ctx, arena, NULL, cat, valid_duty, ud, now_days, NULL, 0, 0, 0};
    gd_status st = GD_OK;
    *out = NULL;
    *n = 0;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        *nerrors = 1;
        return gdi_err(ctx, GD_IO, path, 0, 0, "cannot open attestations: no such file or directory");
    }
    if (!S_ISDIR(sb.st_mode)) {
        st = load_one(&l, path);
    } else {
        DIR *dir = opendir(path);
        if (!dir) {
            *nerrors = 1;
            return gdi_err(ctx, GD_IO, path, 0, 0, "cannot read directory");
        }
        char **names = NULL;
        size_t nn = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(dir)) && !st) {
            if (e->d_name[0] == '.' || !yaml_name(e->d_name)) continue;
            if ((st = gdi_grow(ctx, (void **)&names, &cap, nn + 1, sizeof *names))) break;
            size_t need = strlen(path) + strlen(e->d_name) + 2;
            names[nn] = gdi_arena_alloc(arena, need);
            if (!names[nn]) {
                st = GD_NOMEM;
                break;
            }
            snprintf(names[nn], need, "%s/%s", path, e->d_name);
            nn++;
        }
        closedir(dir);
        if (!st) qsort(names, nn, sizeof *names, cmp_names);
        for (size_t i = 0; i < nn && !st; i++) st = load_one(&l, names[i]);
        gdi_free(ctx, names);
    }
    if (st) {
        gdi_free(ctx, l.v);
        return st;
    }
    /* move the list into the arena so the assessment owns one lifetime */
    if (l.n) {
        *out = gdi_arena_alloc(arena, sizeof *l.v * l.n);
        if (!*out) {
            gdi_free(ctx, l.v);
            return GD_NOMEM;
        }
        memcpy(*out, l.v, sizeof *l.v * l.n);
    }
    gdi_free(ctx, l.v);
    *n = l.n;
    *nerrors = l.errors;
    return GD_OK;
}
