/*
 * parse.c — Pratt parser for check expressions, building an AST.
 *
 * Binding powers, lowest first (docs/rules.md "Operators"):
 *     ??  10   or  20   and  30   not (prefix)  35   comparisons  40
 *     in / not in  50   + -  60   * / %  70   unary -  75   . [] ()  90
 * Binary operators are left-associative except comparisons, which do not
 * chain (`a < b < c` is an error: it never means what it looks like).
 * `let NAME = EXPR; BODY` and `NAME => BODY` (lambda) extend as far right
 * as possible.
 *
 * Errors: the first syntax error of a region is reported and the parser
 * enters panic mode (further errors are suppressed) until it
 * resynchronises at the next ',' or closing bracket of an argument list
 * or list literal, so one bad argument does not hide errors in the
 * following ones. Nesting depth is bounded by GD_LIMIT_DEPTH so hostile
 * input cannot overflow the C stack. AST nodes live in the compile arena.
 */
#include "lang.h"

enum {
    BP_NONE = 0,
    BP_COALESCE = 10,
    BP_OR = 20,
    BP_AND = 30,
    BP_NOT = 35,
    BP_CMP = 40,
    BP_IN = 50,
    BP_ADD = 60,
    BP_MUL = 70,
    BP_UNARY = 75,
    BP_POSTFIX = 90
};

static gdi_ast *parse_expr(gdi_lang_cc *cc, int minbp);

static gdi_ast *node(gdi_lang_cc *cc, gdi_ast_kind kind, uint32_t pos)
{
    gdi_ast *a = gdi_arena_calloc(cc->arena, sizeof *a);
    if (!a) {
        cc->nomem = true;
        return NULL;
    }
    a->kind = (uint8_t)kind;
    a->pos = pos;
    a->opos = pos;
    a->end = pos;
    a->ival = -1;
    return a;
}

/* Report a syntax error unless already in panic mode. */
static void syntax(gdi_lang_cc *cc, uint32_t off, const char *expected)
{
    if (cc->panic) return;
    const gdi_token *t = &cc->tok;
    if (t->t == GDI_T_ERROR) {
        /* the lexer has reported it already */
    } else if (t->t == GDI_T_IDENT || t->t == GDI_T_NUM) {
        gdi_lang_error(cc, off, "unexpected %s '%.*s', expected %s", gdi_tok_names[t->t],
                       (int)(t->text.n > 40 ? 40 : t->text.n), t->text.p, expected);
    } else {
        gdi_lang_error(cc, off, "unexpected %s, expected %s", gdi_tok_names[t->t], expected);
    }
    cc->panic = true;
}

static gdi_ast *bad(gdi_lang_cc *cc, uint32_t pos)
{
    gdi_ast *a = node(cc, GDI_A_BAD, pos);
    if (a) a->end = cc->tok.pos;
    return a;
}

static bool expect(gdi_lang_cc *cc, gdi_tok t, const char *what)
{
    if (cc->tok.t == t) {
        gdi_lex_next(cc);
        return true;
    }
    syntax(cc, cc->tok.pos, what);
    return false;
}

/* Skip to the next ',' or closer at bracket depth 0 (not consuming it). */
static void resync(gdi_lang_cc *cc, gdi_tok closer)
{
    int depth = 0;
    while (cc->tok.t != GDI_T_EOF) {
        gdi_tok t = cc->tok.t;
        if (depth == 0 && (t == GDI_T_COMMA || t == closer)) break;
        if (t == GDI_T_LPAREN || t == GDI_T_LBRACK || t == GDI_T_LBRACE) depth++;
        if (t == GDI_T_RPAREN || t == GDI_T_RBRACK || t == GDI_T_RBRACE) {
            if (depth == 0) break; /* a closer of an outer construct */
            depth--;
        }
        gdi_lex_next(cc);
    }
    if (cc->tok.t == GDI_T_COMMA || cc->tok.t == closer) cc->panic = false;
}

/* Comma-separated items up to closer (consumed). Trailing comma allowed. */
static bool parse_items(gdi_lang_cc *cc, gdi_tok closer, const char *closer_desc,
                        gdi_ast ***out, uint32_t *nout)
{
    gdi_ast *small[16];
    gdi_ast **items = small;
    uint32_t n = 0, cap = 16;
    *out = NULL;
    *nout = 0;
    while (cc->tok.t != closer) {
        if (cc->tok.t == GDI_T_EOF) {
            syntax(cc, cc->tok.pos, closer_desc);
            break;
        }
        bool was_panic = cc->panic;
        gdi_ast *it = parse_expr(cc, BP_NONE);
        if (!it) return false;
        if (n == cap) {
            gdi_ast **bigger = gdi_arena_alloc(cc->arena, sizeof *bigger * cap * 2);
            if (!bigger) {
                cc->nomem = true;
                return false;
            }
            memcpy(bigger, items, sizeof *items * n);
            items = bigger;
            cap *= 2;
        }
        items[n++] = it;
        if (cc->panic && !was_panic) resync(cc, closer);
        if (cc->tok.t == GDI_T_COMMA) {
            gdi_lex_next(cc);
            continue;
        }
        if (cc->tok.t != closer) {
            char what[64];
            snprintf(what, sizeof what, "',' or %s", closer_desc);
            syntax(cc, cc->tok.pos, what);
            resync(cc, closer);
            if (cc->tok.t == GDI_T_COMMA) {
                gdi_lex_next(cc);
                continue;
            }
            if (cc->tok.t != closer) return true; /* an outer construct takes over */
        }
    }
    if (cc->tok.t == closer) gdi_lex_next(cc);
    if (n) {
        gdi_ast **keep = gdi_arena_alloc(cc->arena, sizeof *keep * n);
        if (!keep) {
            cc->nomem = true;
            return false;
        }
        memcpy(keep, items, sizeof *items * n);
        *out = keep;
    }
    *nout = n;
    return true;
}

static gdi_ast *parse_primary(gdi_lang_cc *cc)
{
    gdi_token t = cc->tok;
    gdi_ast *a = NULL;
    switch (t.t) {
    case GDI_T_NUM:
    case GDI_T_STR:
    case GDI_T_TRUE:
    case GDI_T_FALSE:
    case GDI_T_NULL:
        a = node(cc, GDI_A_LIT, t.pos);
        if (!a) return NULL;
        if (t.t == GDI_T_NUM)
            a->lit = t.num;
        else if (t.t == GDI_T_STR)
            a->lit = gdi_v_str(t.text.p, t.text.n);
        else if (t.t == GDI_T_NULL)
            a->lit = gdi_v_null();
        else
            a->lit = gdi_v_bool(t.t == GDI_T_TRUE);
        gdi_lex_next(cc);
        a->end = cc->prev_end;
        return a;
    case GDI_T_IDENT: {
        const gdi_token *pk = gdi_lex_peek(cc);
        if (pk->t == GDI_T_ARROW) {
            a = node(cc, GDI_A_LAMBDA, t.pos);
            if (!a) return NULL;
            a->name = t.text;
            gdi_lex_next(cc);
            gdi_lex_next(cc);
            a->a = parse_expr(cc, BP_NONE);
            if (!a->a) return NULL;
            a->end = cc->prev_end;
            return a;
        }
        if (pk->t == GDI_T_LPAREN) {
            a = node(cc, GDI_A_CALL, t.pos);
            if (!a) return NULL;
            a->name = t.text;
            gdi_lex_next(cc);
            gdi_lex_next(cc);
            if (!parse_items(cc, GDI_T_RPAREN, "')'", &a->items, &a->nitems)) return NULL;
            a->end = cc->prev_end;
            return a;
        }
        a = node(cc, GDI_A_NAME, t.pos);
        if (!a) return NULL;
        a->name = t.text;
        gdi_lex_next(cc);
        a->end = cc->prev_end;
        return a;
    }
    case GDI_T_LPAREN:
        gdi_lex_next(cc);
        a = parse_expr(cc, BP_NONE);
        if (!a) return NULL;
        if (expect(cc, GDI_T_RPAREN, "')'")) {
            a->pos = t.pos;
            a->end = cc->prev_end;
        }
        return a;
    case GDI_T_LBRACK:
        a = node(cc, GDI_A_LIST, t.pos);
        if (!a) return NULL;
        gdi_lex_next(cc);
        if (!parse_items(cc, GDI_T_RBRACK, "']'", &a->items, &a->nitems)) return NULL;
        a->end = cc->prev_end;
        return a;
    case GDI_T_MINUS:
    case GDI_T_NOT:
        a = node(cc, GDI_A_UNARY, t.pos);
        if (!a) return NULL;
        a->op = t.t == GDI_T_MINUS ? GDI_OP_NEG : GDI_OP_NOT;
        gdi_lex_next(cc);
        a->a = parse_expr(cc, t.t == GDI_T_MINUS ? BP_UNARY : BP_NOT);
        if (!a->a) return NULL;
        a->end = cc->prev_end;
        return a;
    case GDI_T_LET:
        a = node(cc, GDI_A_LET, t.pos);
        if (!a) return NULL;
        gdi_lex_next(cc);
        if (cc->tok.t != GDI_T_IDENT) {
            syntax(cc, cc->tok.pos, "a name after 'let'");
            return bad(cc, t.pos);
        }
        a->name = cc->tok.text;
        a->opos = cc->tok.pos;
        gdi_lex_next(cc);
        if (!expect(cc, GDI_T_ASSIGN, "'=' after the let name")) return bad(cc, t.pos);
        a->a = parse_expr(cc, BP_NONE);
        if (!a->a) return NULL;
        if (!expect(cc, GDI_T_SEMI, "';' after the let value")) return bad(cc, t.pos);
        a->b = parse_expr(cc, BP_NONE);
        if (!a->b) return NULL;
        a->end = cc->prev_end;
        return a;
    case GDI_T_LBRACE:
        if (!cc->panic) {
            gdi_lang_error(cc, t.pos, "object literals are not supported");
            cc->panic = true;
        }
        return bad(cc, t.pos);
    default:
        syntax(cc, t.pos, "an expression");
        return bad(cc, t.pos);
    }
}

/* Infix binding power of the current token (0: not an infix operator). */
static int infix_bp(gdi_lang_cc *cc)
{
    switch (cc->tok.t) {
    case GDI_T_QQ: return BP_COALESCE;
    case GDI_T_OR: return BP_OR;
    case GDI_T_AND: return BP_AND;
    case GDI_T_EQ:
    case GDI_T_NE:
    case GDI_T_LT:
    case GDI_T_LE:
    case GDI_T_GT:
    case GDI_T_GE: return BP_CMP;
    case GDI_T_IN: return BP_IN;
    case GDI_T_NOT: return gdi_lex_peek(cc)->t == GDI_T_IN ? BP_IN : 0;
    case GDI_T_PLUS:
    case GDI_T_MINUS: return BP_ADD;
    case GDI_T_STAR:
    case GDI_T_SLASH:
    case GDI_T_PERCENT: return BP_MUL;
    case GDI_T_DOT:
    case GDI_T_LBRACK:
    case GDI_T_LPAREN: return BP_POSTFIX;
    default: return 0;
    }
}

static gdi_op binop_of(gdi_tok t)
{
    switch (t) {
    case GDI_T_EQ: return GDI_OP_EQ;
    case GDI_T_NE: return GDI_OP_NE;
    case GDI_T_LT: return GDI_OP_LT;
    case GDI_T_LE: return GDI_OP_LE;
    case GDI_T_GT: return GDI_OP_GT;
    case GDI_T_GE: return GDI_OP_GE;
    case GDI_T_IN: return GDI_OP_IN;
    case GDI_T_PLUS: return GDI_OP_ADD;
    case GDI_T_MINUS: return GDI_OP_SUB;
    case GDI_T_STAR: return GDI_OP_MUL;
    case GDI_T_SLASH: return GDI_OP_DIV;
    default: return GDI_OP_MOD;
    }
}

static bool is_name_token(gdi_tok t)
{
    return t == GDI_T_IDENT || t == GDI_T_AND || t == GDI_T_OR || t == GDI_T_NOT ||
           t == GDI_T_IN || t == GDI_T_LET || t == GDI_T_TRUE || t == GDI_T_FALSE ||
           t == GDI_T_NULL;
}

static gdi_ast *parse_expr(gdi_lang_cc *cc, int minbp)
{
    gdi_ast *left = NULL;
    if (++cc->depth > cc->max_depth) {
        if (!cc->panic) gdi_lang_error(cc, cc->tok.pos, "expression nested too deeply");
        cc->panic = true;
        /* give up on the rest of the text: nothing sensible follows */
        while (cc->tok.t != GDI_T_EOF) gdi_lex_next(cc);
        left = bad(cc, cc->tok.pos);
        goto done;
    }
    left = parse_primary(cc);
    if (!left) goto done;
    for (;;) {
        int bp = infix_bp(cc);
        if (bp == 0 || bp <= minbp) break;
        gdi_token op = cc->tok;
        gdi_ast *a = NULL;
        if (op.t == GDI_T_DOT) {
            gdi_lex_next(cc);
            if (!is_name_token(cc->tok.t)) {
                syntax(cc, cc->tok.pos, "a field name after '.'");
                break;
            }
            a = node(cc, GDI_A_FIELD, left->pos);
            if (!a) return NULL;
            a->a = left;
            a->name = cc->tok.text;
            a->opos = cc->tok.pos;
            gdi_lex_next(cc);
        } else if (op.t == GDI_T_LBRACK) {
            gdi_lex_next(cc);
            a = node(cc, GDI_A_INDEX, left->pos);
            if (!a) return NULL;
            a->opos = op.pos;
            a->a = left;
            a->b = parse_expr(cc, BP_NONE);
            if (!a->b) return NULL;
            expect(cc, GDI_T_RBRACK, "']'");
        } else if (op.t == GDI_T_LPAREN) {
            if (!cc->panic)
                gdi_lang_error(cc, op.pos,
                               "only built-in functions can be called (write name(...))");
            cc->panic = true;
            break;
        } else {
            gdi_lex_next(cc);
            gdi_ast_kind kind = GDI_A_BINARY;
            gdi_op bop = GDI_OP_EQ;
            if (op.t == GDI_T_QQ)
                kind = GDI_A_COALESCE;
            else if (op.t == GDI_T_OR)
                kind = GDI_A_OR;
            else if (op.t == GDI_T_AND)
                kind = GDI_A_AND;
            else if (op.t == GDI_T_NOT) {
                gdi_lex_next(cc); /* the 'in' */
                bop = GDI_OP_NOTIN;
            } else
                bop = binop_of(op.t);
            a = node(cc, kind, left->pos);
            if (!a) return NULL;
            a->op = (uint8_t)bop;
            a->opos = op.pos;
            a->a = left;
            a->b = parse_expr(cc, bp);
            if (!a->b) return NULL;
            if (bp == BP_CMP && infix_bp(cc) == BP_CMP && !cc->panic) {
                gdi_lang_error(cc, cc->tok.pos,
                               "comparisons do not chain: combine them with 'and'");
                cc->panic = true;
            }
        }
        a->end = cc->prev_end;
        left = a;
    }
done:
    cc->depth--;
    return left;
}

gdi_ast *gdi_lang_parse(gdi_lang_cc *cc)
{
    gdi_lex_next(cc);
    gdi_ast *a = parse_expr(cc, BP_NONE);
    if (!a) return NULL;
    if (cc->tok.t != GDI_T_EOF) {
        if (cc->tok.t == GDI_T_RPAREN || cc->tok.t == GDI_T_RBRACK) {
            if (!cc->panic)
                gdi_lang_error(cc, cc->tok.pos, "unmatched %s", gdi_tok_names[cc->tok.t]);
        } else {
            syntax(cc, cc->tok.pos, "an operator or the end of the expression");
        }
    }
    return a;
}
