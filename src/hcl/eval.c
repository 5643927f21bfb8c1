/*
 * eval.c — evaluation of HCL expressions to values.
 *
 * The evaluator is a recursive walk of the expression tree. Names bound by
 * the expression itself (for-expression variables, splat elements) are kept
 * in the scope; every other name (var., local., resources, module., each.,
 * count., path.) is resolved by config.c through gdi_hcl_ref.
 *
 * Unknowns propagate: an operation with an unknown operand is unknown, a
 * conditional whose condition is unknown is unknown, a template with an
 * unknown part is unknown. Errors are reported once at the expression that
 * failed (file:line:col) and the value becomes unknown so evaluation of the
 * rest of the configuration goes on; `try` and `can` mute them.
 *
 * Recursion is bounded by ev->max_depth, counted per nested evaluation
 * (including evaluation reached through references).
 */
#include "hcli.h"

#include <math.h>
#include <stdio.h>

gd_status gdi_hcl_everr(hcl_ev *ev, const hcl_expr *e, const char *fmt, ...)
{
    ev->failed = true;
    if (ev->mute) return GD_INVALID;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    uint32_t line = 0, col = 0;
    const char *name = NULL;
    if (e) {
        const char *text;
        size_t len;
        gdi_hcl_file_text(ev->st, e->file, &text, &len);
        if (text) gdi_line_col(text, len, e->pos, &line, &col);
        name = gdi_hcl_file_name(ev->st, e->file);
    }
    gdi_diag_add(ev->ctx, GD_DIAG_ERROR, name, line, col, "%s", msg);
    return GD_INVALID;
}

#define UNK(ev) ((const hcl_val *)&gdi_hcl_unknown)

static gd_status nomem(void)
{
    return GD_NOMEM;
}

/* ----------------------------------------------------------- templates */

static gd_status tpl_eval(hcl_ev *ev, const hcl_scope *s, const hcl_expr *t, gdi_buf *b,
                          bool *unknown);

static gd_status tpl_part(hcl_ev *ev, const hcl_scope *s, const hcl_expr *p, gdi_buf *b,
                          bool *unknown)
{
    gd_status st;
    const hcl_val *v;
    if (p->kind == HE_STR) {
        gdi_buf_append(b, p->name.p, p->name.n);
        return GD_OK;
    }
    if (p->kind == HE_TPL_IF) {
        if ((st = gdi_hcl_eval(ev, s, p->a, &v))) return st;
        if (v->kind == HV_UNK) {
            *unknown = true;
            return GD_OK;
        }
        bool c;
        if (!gdi_hv_to_bool(v, &c))
            return gdi_hcl_everr(ev, p->a, "template 'if' condition must be a bool, not %s",
                                 gdi_hv_type_name(v));
        const hcl_expr *br = c ? p->b : p->c;
        return br ? tpl_eval(ev, s, br, b, unknown) : GD_OK;
    }
    if (p->kind == HE_TPL_FOR) {
        if ((st = gdi_hcl_eval(ev, s, p->a, &v))) return st;
        if (v->kind == HV_UNK) {
            *unknown = true;
            return GD_OK;
        }
        if (v->kind != HV_LIST && v->kind != HV_OBJ)
            return gdi_hcl_everr(ev, p->a, "template 'for' needs a collection, not %s",
                                 gdi_hv_type_name(v));
        for (uint32_t i = 0; i < v->n; i++) {
            const hcl_val *key;
            if (v->kind == HV_OBJ)
                key = gdi_hv_str(ev->arena, v->u.c.keys[i].p, v->u.c.keys[i].n, p->file, p->pos);
            else if (v->flags & HVF_SET)
                key = v->u.c.items[i];
            else
                key = gdi_hv_num(ev->arena, i, p->file, p->pos);
            if (!key) return nomem();
            hcl_bind kb = {p->name, key, s->binds};
            hcl_bind vb = {p->name2, v->u.c.items[i], p->name.n ? &kb : s->binds};
            hcl_scope in = *s;
            in.binds = &vb;
            if ((st = tpl_eval(ev, &in, p->b, b, unknown))) return st;
        }
        return GD_OK;
    }
    if ((st = gdi_hcl_eval(ev, s, p, &v))) return st;
    if (v->kind == HV_UNK) {
        *unknown = true;
        return GD_OK;
    }
    if (v->kind == HV_NULL)
        return gdi_hcl_everr(ev, p, "invalid template interpolation value: the value is null");
    hcl_val *sv;
    if (!gdi_hv_to_string(ev->arena, v, &sv)) {
        if (v->kind == HV_LIST || v->kind == HV_OBJ)
            return gdi_hcl_everr(ev, p, "cannot include a %s value in a string template",
                                 gdi_hv_type_name(v));
        return nomem();
    }
    gdi_buf_append(b, sv->u.s, sv->n);
    return GD_OK;
}

static gd_status tpl_eval(hcl_ev *ev, const hcl_scope *s, const hcl_expr *t, gdi_buf *b,
                          bool *unknown)
{
    if (t->kind != HE_TEMPLATE) return tpl_part(ev, s, t, b, unknown);
    if (++ev->depth > ev->max_depth) {
        ev->depth--;
        return gdi_hcl_everr(ev, t, "template nesting too deep");
    }
    gd_status st = GD_OK;
    for (uint32_t i = 0; i < t->n && st == GD_OK; i++) st = tpl_part(ev, s, t->kids[i], b, unknown);
    ev->depth--;
    return st;
}

/* ------------------------------------------------------------ helpers */

static gd_status get_attr(hcl_ev *ev, const hcl_expr *e, const hcl_val *v, gd_str name,
                          const hcl_val **out)
{
    *out = UNK(ev);
    if (v->kind == HV_UNK) return GD_OK;
    if (v->kind == HV_NULL)
        return gdi_hcl_everr(ev, e, "attempt to get attribute '%.*s' from a null value",
                             (int)name.n, name.p);
    if (v->kind != HV_OBJ)
        return gdi_hcl_everr(ev, e, "cannot get attribute '%.*s' of a %s value", (int)name.n,
                             name.p, gdi_hv_type_name(v));
    const hcl_val *m = gdi_hv_get(v, name);
    if (m) {
        *out = m;
        return GD_OK;
    }
    if (v->flags & HVF_OPEN) return GD_OK;
    return gdi_hcl_everr(ev, e, "this %s has no attribute named '%.*s'", gdi_hv_type_name(v),
                         (int)name.n, name.p);
}

static gd_status do_index(hcl_ev *ev, const hcl_expr *e, const hcl_val *c, const hcl_val *k,
                          const hcl_val **out)
{
    *out = UNK(ev);
    if (c->kind == HV_UNK || k->kind == HV_UNK) return GD_OK;
    if (c->kind == HV_NULL) return gdi_hcl_everr(ev, e, "cannot index a null value");
    if (c->kind == HV_LIST) {
        if (c->flags & HVF_SET)
            return gdi_hcl_everr(ev, e, "cannot index a set (elements have no order); "
                                        "convert it with tolist() first");
        double d;
        if (!gdi_hv_to_number(k, &d) || d != floor(d))
            return gdi_hcl_everr(ev, e, "a list index must be a whole number, not %s",
                                 gdi_hv_type_name(k));
        if (d < 0 || d >= c->n)
            return gdi_hcl_everr(ev, e, "index %.0f out of range for a list of %u elements", d,
                                 (unsigned)c->n);
        *out = c->u.c.items[(uint32_t)d];
        return GD_OK;
    }
    if (c->kind == HV_OBJ) {
        hcl_val *ks;
        if (k->kind == HV_NULL || !gdi_hv_to_string(ev->arena, k, &ks)) {
            if (k->kind == HV_LIST || k->kind == HV_OBJ || k->kind == HV_NULL)
                return gdi_hcl_everr(ev, e, "a map key must be a string, not %s",
                                     gdi_hv_type_name(k));
            return nomem();
        }
        const hcl_val *m = gdi_hv_get(c, (gd_str){ks->u.s, ks->n});
        if (m) {
            *out = m;
            return GD_OK;
        }
        if (c->flags & HVF_OPEN) return GD_OK;
        return gdi_hcl_everr(ev, e, "the given key \"%.*s\" does not identify an element",
                             (int)ks->n, ks->u.s);
    }
    return gdi_hcl_everr(ev, e, "cannot index a %s value", gdi_hv_type_name(c));
}

/* Iterate a collection for `for`: key and value of element i. */
static gd_status iter_at(hcl_ev *ev, const hcl_expr *e, const hcl_val *c, uint32_t i,
                         const hcl_val **k, const hcl_val **v)
{
    *v = c->u.c.items[i];
    if (c->kind == HV_OBJ)
        *k = gdi_hv_str(ev->arena, c->u.c.keys[i].p, c->u.c.keys[i].n, e->file, e->pos);
    else if (c->flags & HVF_SET)
        *k = *v;
    else
        *k = gdi_hv_num(ev->arena, i, e->file, e->pos);
    return *k ? GD_OK : GD_NOMEM;
}

static gd_status eval_for(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e, const hcl_val **out)
{
    const hcl_val *c;
    gd_status st = gdi_hcl_eval(ev, s, e->a, &c);
    *out = UNK(ev);
    if (st) return st;
    if (c->kind == HV_UNK) return GD_OK;
    if (c->kind == HV_NULL) return gdi_hcl_everr(ev, e->a, "a for expression cannot iterate null");
    if (c->kind != HV_LIST && c->kind != HV_OBJ)
        return gdi_hcl_everr(ev, e->a, "a for expression needs a collection, not %s",
                             gdi_hv_type_name(c));
    bool obj = e->flags & HEF_OBJFOR;
    uint32_t n = c->n, m = 0;
    hcl_val **vals = n ? gdi_arena_alloc(ev->arena, (size_t)n * sizeof *vals) : NULL;
    gd_str *keys = obj && n ? gdi_arena_alloc(ev->arena, (size_t)n * sizeof *keys) : NULL;
    if (n && (!vals || (obj && !keys))) return nomem();
    bool unknown = false;
    for (uint32_t i = 0; i < n; i++) {
        const hcl_val *k, *v;
        if ((st = iter_at(ev, e, c, i, &k, &v))) return st;
        hcl_bind kb = {e->name, k, s->binds};
        hcl_bind vb = {e->name2, v, e->name.n ? &kb : s->binds};
        hcl_scope in = *s;
        in.binds = &vb;
        if (e->d) {
            const hcl_val *cv;
            if ((st = gdi_hcl_eval(ev, &in, e->d, &cv))) return st;
            if (cv->kind == HV_UNK) {
                unknown = true;
                continue;
            }
            bool keep;
            if (!gdi_hv_to_bool(cv, &keep))
                return gdi_hcl_everr(ev, e->d, "a for expression's 'if' must be a bool, not %s",
                                     gdi_hv_type_name(cv));
            if (!keep) continue;
        }
        const hcl_val *rv;
        if ((st = gdi_hcl_eval(ev, &in, e->c, &rv))) return st;
        if (obj) {
            const hcl_val *kv;
            if ((st = gdi_hcl_eval(ev, &in, e->b, &kv))) return st;
            if (kv->kind == HV_UNK) {
                unknown = true;
                continue;
            }
            hcl_val *ks;
            if (kv->kind == HV_NULL || !gdi_hv_to_string(ev->arena, kv, &ks)) {
                if (kv->kind == HV_NULL || kv->kind == HV_LIST || kv->kind == HV_OBJ)
                    return gdi_hcl_everr(ev, e->b, "an object key must be a string, not %s",
                                         gdi_hv_type_name(kv));
                return nomem();
            }
            keys[m] = (gd_str){ks->u.s, ks->n};
        }
        vals[m++] = (hcl_val *)rv;
    }
    if (unknown) return GD_OK;
    if (!obj) {
        *out = gdi_hv_list(ev->arena, vals, m, HVF_TUPLE, e->file, e->pos);
        return *out ? GD_OK : nomem();
    }
    if (e->flags & HEF_GROUP) {
        /* gather the values of each key into a tuple, in iteration order */
        gd_str *uk = m ? gdi_arena_alloc(ev->arena, (size_t)m * sizeof *uk) : NULL;
        hcl_val **uv = m ? gdi_arena_alloc(ev->arena, (size_t)m * sizeof *uv) : NULL;
        uint32_t *cnt = m ? gdi_arena_alloc(ev->arena, (size_t)m * sizeof *cnt) : NULL;
        hcl_val **tmp = m ? gdi_arena_alloc(ev->arena, (size_t)m * sizeof *tmp) : NULL;
        if (m && (!uk || !uv || !cnt || !tmp)) return nomem();
        uint32_t nu = 0;
        for (uint32_t i = 0; i < m; i++) {
            bool seen = false;
            for (uint32_t j = 0; j < nu; j++)
                if (gd_str_eq(uk[j], keys[i])) seen = true;
            if (seen) continue;
            uint32_t t = 0;
            for (uint32_t j = i; j < m; j++)
                if (gd_str_eq(keys[j], keys[i])) tmp[t++] = vals[j];
            uk[nu] = keys[i];
            if (!(uv[nu] = gdi_hv_list(ev->arena, tmp, t, HVF_TUPLE, e->file, e->pos)))
                return nomem();
            nu++;
        }
        *out = gdi_hv_obj(ev->arena, uk, uv, nu, 0, e->file, e->pos, NULL);
        return *out ? GD_OK : nomem();
    }
    bool dup = false;
    hcl_val *o = gdi_hv_obj(ev->arena, keys, vals, m, 0, e->file, e->pos, &dup);
    if (!o) return nomem();
    if (dup)
        return gdi_hcl_everr(ev, e->b, "duplicate key in a for expression's result; use "
                                       "'...' after the value to group them");
    *out = o;
    return GD_OK;
}

static gd_status eval_splat(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e,
                            const hcl_val **out)
{
    const hcl_val *c;
    gd_status st = gdi_hcl_eval(ev, s, e->a, &c);
    *out = UNK(ev);
    if (st) return st;
    if (c->kind == HV_UNK) return GD_OK;
    if (c->kind == HV_NULL) {
        *out = gdi_hv_list(ev->arena, NULL, 0, HVF_TUPLE, e->file, e->pos);
        return *out ? GD_OK : nomem();
    }
    const hcl_val *one[1] = {c};
    const hcl_val *const *items = one;
    uint32_t n = 1;
    if (c->kind == HV_LIST) {
        items = (const hcl_val *const *)c->u.c.items;
        n = c->n;
    }
    hcl_val **vals = n ? gdi_arena_alloc(ev->arena, (size_t)n * sizeof *vals) : NULL;
    if (n && !vals) return nomem();
    for (uint32_t i = 0; i < n; i++) {
        hcl_scope in = *s;
        in.anchor = items[i];
        const hcl_val *v;
        if ((st = gdi_hcl_eval(ev, &in, e->b, &v))) return st;
        vals[i] = (hcl_val *)v;
    }
    *out = gdi_hv_list(ev->arena, vals, n, c->kind == HV_LIST ? (c->flags & HVF_SET) | HVF_TUPLE
                                                                : HVF_TUPLE,
                       e->file, e->pos);
    return *out ? GD_OK : nomem();
}

static gd_status eval_binop(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e,
                            const hcl_val **out)
{
    const hcl_val *x, *y;
    gd_status st;
    *out = UNK(ev);
    if ((st = gdi_hcl_eval(ev, s, e->a, &x))) return st;
    if (e->op == HOP_AND || e->op == HOP_OR) {
        bool bx = false, by;
        if (x->kind != HV_UNK) {
            if (!gdi_hv_to_bool(x, &bx))
                return gdi_hcl_everr(ev, e->a, "a logical operand must be a bool, not %s",
                                     gdi_hv_type_name(x));
            if (e->op == HOP_AND && !bx) {
                *out = &gdi_hcl_false;
                return GD_OK;
            }
            if (e->op == HOP_OR && bx) {
                *out = &gdi_hcl_true;
                return GD_OK;
            }
        }
        if ((st = gdi_hcl_eval(ev, s, e->b, &y))) return st;
        if (y->kind == HV_UNK) {
            if (x->kind == HV_UNK) return GD_OK;
            return GD_OK;
        }
        if (!gdi_hv_to_bool(y, &by))
            return gdi_hcl_everr(ev, e->b, "a logical operand must be a bool, not %s",
                                 gdi_hv_type_name(y));
        if (x->kind == HV_UNK) {
            if (e->op == HOP_AND && !by) *out = &gdi_hcl_false;
            if (e->op == HOP_OR && by) *out = &gdi_hcl_true;
            return GD_OK;
        }
        *out = by ? &gdi_hcl_true : &gdi_hcl_false;
        return GD_OK;
    }
    if ((st = gdi_hcl_eval(ev, s, e->b, &y))) return st;
    if (e->op == HOP_EQ || e->op == HOP_NE) {
        bool unknown = false;
        bool eq = gdi_hv_equal(x, y, &unknown);
        if (unknown) return GD_OK;
        *out = (eq == (e->op == HOP_EQ)) ? &gdi_hcl_true : &gdi_hcl_false;
        return GD_OK;
    }
    if (x->kind == HV_UNK || y->kind == HV_UNK) return GD_OK;
    double a, b;
    if (!gdi_hv_to_number(x, &a))
        return gdi_hcl_everr(ev, e->a, "an arithmetic operand must be a number, not %s",
                             gdi_hv_type_name(x));
    if (!gdi_hv_to_number(y, &b))
        return gdi_hcl_everr(ev, e->b, "an arithmetic operand must be a number, not %s",
                             gdi_hv_type_name(y));
    double r;
    switch (e->op) {
    case HOP_ADD: r = a + b; break;
    case HOP_SUB: r = a - b; break;
    case HOP_MUL: r = a * b; break;
    case HOP_DIV:
        if (b == 0) return gdi_hcl_everr(ev, e, "division by zero");
        r = a / b;
        break;
    case HOP_MOD:
        if (b == 0) return gdi_hcl_everr(ev, e, "modulo by zero");
        r = fmod(a, b);
        break;
    case HOP_LT: *out = a < b ? &gdi_hcl_true : &gdi_hcl_false; return GD_OK;
    case HOP_LE: *out = a <= b ? &gdi_hcl_true : &gdi_hcl_false; return GD_OK;
    case HOP_GT: *out = a > b ? &gdi_hcl_true : &gdi_hcl_false; return GD_OK;
    case HOP_GE: *out = a >= b ? &gdi_hcl_true : &gdi_hcl_false; return GD_OK;
    default: return gdi_hcl_everr(ev, e, "unknown operator");
    }
    *out = gdi_hv_num(ev->arena, r, e->file, e->pos);
    return *out ? GD_OK : nomem();
}

static gd_status eval_call(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e, const hcl_val **out)
{
    gd_status st;
    *out = UNK(ev);
    bool is_try = gd_str_eqc(e->name, "try"), is_can = gd_str_eqc(e->name, "can");
    if (is_try || is_can) {
        if (is_can && e->n != 1) return gdi_hcl_everr(ev, e, "can() takes exactly one argument");
        if (is_try && e->n == 0) return gdi_hcl_everr(ev, e, "try() needs at least one argument");
        for (uint32_t i = 0; i < e->n; i++) {
            const hcl_val *v;
            bool failed = ev->failed;
            ev->mute++;
            st = gdi_hcl_eval(ev, s, e->kids[i], &v);
            ev->mute--;
            if (st == GD_INVALID) {
                ev->failed = failed;
                continue;
            }
            if (st) return st;
            if (v->kind == HV_UNK) return GD_OK;
            *out = is_can ? &gdi_hcl_true : v;
            return GD_OK;
        }
        if (is_can) {
            *out = &gdi_hcl_false;
            return GD_OK;
        }
        return gdi_hcl_everr(ev, e, "no expression given to try() could be evaluated");
    }
    uint32_t n = e->n;
    const hcl_val **args = n ? gdi_arena_alloc(ev->arena, (size_t)n * sizeof *args) : NULL;
    if (n && !args) return nomem();
    for (uint32_t i = 0; i < n; i++)
        if ((st = gdi_hcl_eval(ev, s, e->kids[i], &args[i]))) return st;
    if ((e->flags & HEF_EXPAND) && n) {
        const hcl_val *last = args[n - 1];
        if (last->kind == HV_UNK) return GD_OK;
        if (last->kind != HV_LIST)
            return gdi_hcl_everr(ev, e->kids[n - 1], "'...' needs a list or tuple, not %s",
                                 gdi_hv_type_name(last));
        uint32_t total = n - 1 + last->n;
        const hcl_val **all = gdi_arena_alloc(ev->arena, (size_t)(total ? total : 1) * sizeof *all);
        if (!all) return nomem();
        for (uint32_t i = 0; i + 1 < n; i++) all[i] = args[i];
        for (uint32_t i = 0; i < last->n; i++) all[n - 1 + i] = last->u.c.items[i];
        args = all;
        n = total;
    }
    return gdi_hcl_call(ev, e, args, n, out);
}

static gd_status eval_object(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e,
                             const hcl_val **out)
{
    gd_status st;
    uint32_t n = e->n;
    *out = UNK(ev);
    gd_str *keys = n ? gdi_arena_alloc(ev->arena, (size_t)n * sizeof *keys) : NULL;
    hcl_val **vals = n ? gdi_arena_alloc(ev->arena, (size_t)n * sizeof *vals) : NULL;
    if (n && (!keys || !vals)) return nomem();
    bool unknown = false;
    for (uint32_t i = 0; i < n; i++) {
        const hcl_expr *ke = e->kids[2 * i], *ve = e->kids[2 * i + 1];
        if (ke->kind == HE_STR) {
            keys[i] = ke->name;
        } else {
            const hcl_val *kv;
            if ((st = gdi_hcl_eval(ev, s, ke, &kv))) return st;
            if (kv->kind == HV_UNK) {
                unknown = true;
                continue;
            }
            hcl_val *ks;
            if (kv->kind == HV_NULL || !gdi_hv_to_string(ev->arena, kv, &ks)) {
                if (kv->kind == HV_NULL || kv->kind == HV_LIST || kv->kind == HV_OBJ)
                    return gdi_hcl_everr(ev, ke, "an object key must be a string, not %s",
                                         gdi_hv_type_name(kv));
                return nomem();
            }
            keys[i] = (gd_str){ks->u.s, ks->n};
        }
        const hcl_val *v;
        if ((st = gdi_hcl_eval(ev, s, ve, &v))) return st;
        vals[i] = (hcl_val *)v;
    }
    if (unknown) return GD_OK;
    bool dup;
    hcl_val *o = gdi_hv_obj(ev->arena, keys, vals, n, 0, e->file, e->pos, &dup);
    if (!o) return nomem();
    if (dup) return gdi_hcl_everr(ev, e, "duplicate key in an object constructor");
    *out = o;
    return GD_OK;
}

static const hcl_bind *find_bind(const hcl_bind *b, gd_str name)
{
    for (; b; b = b->next)
        if (gd_str_eq(b->name, name)) return b;
    return NULL;
}

/* Root variable name of a traversal of attributes, or NULL. */
static const hcl_expr *trav_root(const hcl_expr *e)
{
    for (int i = 0; i < 3 && e; i++) {
        if (e->kind == HE_VAR) return e;
        if (e->kind != HE_ATTR) return NULL;
        e = e->a;
    }
    return NULL;
}

static gd_status eval_inner(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e,
                            const hcl_val **out)
{
    gd_status st;
    const hcl_val *v;
    *out = UNK(ev);
    switch ((hcl_ek)e->kind) {
    case HE_NULL: *out = &gdi_hcl_null; return GD_OK;
    case HE_TRUE: *out = &gdi_hcl_true; return GD_OK;
    case HE_FALSE: *out = &gdi_hcl_false; return GD_OK;
    case HE_NUM:
        *out = gdi_hv_num(ev->arena, e->num, e->file, e->pos);
        return *out ? GD_OK : nomem();
    case HE_STR:
        *out = gdi_hv_str(ev->arena, e->name.p, e->name.n, e->file, e->pos);
        return *out ? GD_OK : nomem();
    case HE_TEMPLATE:
    case HE_TPL_IF:
    case HE_TPL_FOR: {
        gdi_buf b;
        gdi_buf_init(&b, ev->ctx);
        bool unknown = false;
        st = tpl_eval(ev, s, e, &b, &unknown);
        if (b.oom) st = GD_NOMEM; /* even when an error came after the lost append */
        if (st == GD_OK && !unknown) {
            *out = gdi_hv_strdup(ev->arena, b.n ? b.p : "", b.n, e->file, e->pos);
            if (!*out) st = GD_NOMEM;
        }
        gdi_buf_free(&b);
        return st;
    }
    case HE_WRAP:
    case HE_PAREN: return gdi_hcl_eval(ev, s, e->a, out);
    case HE_TUPLE: {
        hcl_val **items = e->n ? gdi_arena_alloc(ev->arena, (size_t)e->n * sizeof *items) : NULL;
        if (e->n && !items) return nomem();
        for (uint32_t i = 0; i < e->n; i++) {
            if ((st = gdi_hcl_eval(ev, s, e->kids[i], &v))) return st;
            items[i] = (hcl_val *)v;
        }
        *out = gdi_hv_list(ev->arena, items, e->n, HVF_TUPLE, e->file, e->pos);
        return *out ? GD_OK : nomem();
    }
    case HE_OBJECT: return eval_object(ev, s, e, out);
    case HE_VAR: {
        const hcl_bind *b = find_bind(s->binds, e->name);
        if (b) {
            *out = b->val;
            return GD_OK;
        }
        bool handled = false;
        if ((st = gdi_hcl_ref(ev, s, e, out, &handled)) || handled) return st;
        return gdi_hcl_everr(ev, e, "unknown variable '%.*s'", (int)e->name.n, e->name.p);
    }
    case HE_ATTR: {
        const hcl_expr *r = trav_root(e);
        if (r && !find_bind(s->binds, r->name)) {
            bool handled = false;
            if ((st = gdi_hcl_ref(ev, s, e, out, &handled)) || handled) return st;
        }
        if ((st = gdi_hcl_eval(ev, s, e->a, &v))) return st;
        return get_attr(ev, e, v, e->name, out);
    }
    case HE_INDEX: {
        const hcl_val *k;
        if ((st = gdi_hcl_eval(ev, s, e->a, &v))) return st;
        if ((st = gdi_hcl_eval(ev, s, e->b, &k))) return st;
        return do_index(ev, e, v, k, out);
    }
    case HE_SPLAT: return eval_splat(ev, s, e, out);
    case HE_ANCHOR:
        *out = s->anchor ? s->anchor : UNK(ev);
        return GD_OK;
    case HE_CALL: return eval_call(ev, s, e, out);
    case HE_UNOP:
        if ((st = gdi_hcl_eval(ev, s, e->a, &v))) return st;
        if (v->kind == HV_UNK) return GD_OK;
        if (e->op == HOP_NOT) {
            bool b;
            if (!gdi_hv_to_bool(v, &b))
                return gdi_hcl_everr(ev, e->a, "'!' needs a bool, not %s", gdi_hv_type_name(v));
            *out = b ? &gdi_hcl_false : &gdi_hcl_true;
            return GD_OK;
        } else {
            double d;
            if (!gdi_hv_to_number(v, &d))
                return gdi_hcl_everr(ev, e->a, "'-' needs a number, not %s", gdi_hv_type_name(v));
            *out = gdi_hv_num(ev->arena, -d, e->file, e->pos);
            return *out ? GD_OK : nomem();
        }
    case HE_BINOP: return eval_binop(ev, s, e, out);
    case HE_COND: {
        if ((st = gdi_hcl_eval(ev, s, e->a, &v))) return st;
        if (v->kind == HV_UNK) return GD_OK;
        bool b;
        if (!gdi_hv_to_bool(v, &b))
            return gdi_hcl_everr(ev, e->a, "a condition must be a bool, not %s",
                                 gdi_hv_type_name(v));
        return gdi_hcl_eval(ev, s, b ? e->b : e->c, out);
    }
    case HE_FOR: return eval_for(ev, s, e, out);
    }
    return gdi_hcl_everr(ev, e, "unsupported expression");
}

gd_status gdi_hcl_eval(hcl_ev *ev, const hcl_scope *s, const hcl_expr *e, const hcl_val **out)
{
    if (++ev->depth > ev->max_depth) {
        ev->depth--;
        *out = UNK(ev);
        if (!ev->mute) {
            const char *text;
            size_t len;
            uint32_t line = 0, col = 0;
            gdi_hcl_file_text(ev->st, e->file, &text, &len);
            if (text) gdi_line_col(text, len, e->pos, &line, &col);
            gdi_err(ev->ctx, GD_LIMIT, gdi_hcl_file_name(ev->st, e->file), line, col,
                    "evaluation nested deeper than %u levels (--max-hcl-depth)",
                    (unsigned)ev->max_depth);
        }
        ev->failed = true;
        return GD_LIMIT;
    }
    gd_status st = eval_inner(ev, s, e, out);
    ev->depth--;
    if (st != GD_OK && st != GD_NOMEM && st != GD_LIMIT) *out = UNK(ev);
    return st;
}
