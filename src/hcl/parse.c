/*
 * parse.c — HCL2 native syntax: lexer, templates and a recursive-descent
 * parser with operator precedence, producing the body tree of hcli.h.
 *
 * The lexer runs on demand with one token of lookahead, because templates
 * switch between two modes: literal text (scanned here character by
 * character, with escapes, `$${`/`%%{`, heredoc indentation and `~` strip
 * markers) and expressions inside `${ }` / `%{ }` (scanned as tokens).
 * Newlines end attributes in a body but are insignificant inside brackets,
 * parentheses, braces of expressions and interpolations: `nlskip` counts
 * those nestings and the lexer drops newline tokens while it is positive.
 *
 * Invariants
 *  - Every node records the file index and the byte offset where it starts.
 *  - Recursion (expressions, blocks, templates) is bounded by
 *    GD_LIMIT_DEPTH; passing it is a GD_LIMIT error, never a stack overflow.
 *  - On a syntax error the parser reports it, skips to the end of the
 *    offending line (balancing brackets and quotes) and goes on, so one
 *    file can yield several errors; the file's result is then discarded.
 */
#include "hcli.h"

#include <stdio.h>
#include <stdlib.h>

enum {
    T_EOF, T_NL, T_IDENT, T_NUM, T_QUOTE, T_HEREDOC, T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK,
    T_LPAREN, T_RPAREN, T_COMMA, T_DOT, T_ELLIPSIS, T_ASSIGN, T_COLON, T_QUESTION, T_ARROW,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_AND, T_OR,
    T_BANG, T_BAD
};

static const char *const tok_names[] = {
    "end of file", "newline", "identifier", "number", "'\"'", "heredoc", "'{'", "'}'", "'['",
    "']'", "'('", "')'", "','", "'.'", "'...'", "'='", "':'", "'?'", "'=>'", "'+'", "'-'", "'*'",
    "'/'", "'%'", "'=='", "'!='", "'<'", "'<='", "'>'", "'>='", "'&&'", "'||'", "'!'",
    "invalid character"};

typedef struct tok {
    uint8_t kind;  /* T_* */
    bool strip;    /* '}' written as '~}' */
    uint32_t pos;  /* offset of the first byte */
    uint32_t len;  /* bytes */
} tok;

typedef struct parser {
    gd_ctx *ctx;
    gdi_arena *ar;      /* tree memory */
    const char *name;   /* file name for messages */
    uint32_t file;      /* file index recorded in nodes */
    const char *src;    /* text */
    size_t len;         /* its length */
    size_t off;         /* lexer position */
    tok cur;            /* lookahead token when have */
    bool have;
    int nlskip;         /* > 0: newlines are not tokens */
    uint32_t depth, max_depth;
    unsigned nerr;      /* errors reported */
    size_t err_off;     /* offset of the last error (recovery restarts there) */
    gd_status st;       /* GD_OK, or the first fatal status */
    hcl_expr *last_lit; /* literal part a following `~` may trim */
    bool strip_next;    /* trim leading whitespace of the next literal */
} parser;

#define MAX_ERRORS 20

static uint32_t clamp32(size_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void perr(parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(parser *p, size_t off, const char *fmt, ...)
{
    if (p->nerr && off == p->err_off) return; /* one message per place */
    p->err_off = off;
    if (p->st == GD_OK) p->st = GD_SYNTAX;
    if (++p->nerr > MAX_ERRORS) return;
    uint32_t line, col;
    gdi_line_col(p->src, p->len, off, &line, &col);
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->nerr == MAX_ERRORS)
        gdi_diag_add(p->ctx, GD_DIAG_ERROR, p->name, line, col, "%s (further errors not shown)",
                     msg);
    else
        gdi_diag_add(p->ctx, GD_DIAG_ERROR, p->name, line, col, "%s", msg);
}

static void *palloc(parser *p, size_t n)
{
    void *r = gdi_arena_calloc(p->ar, n);
    if (!r && p->st != GD_NOMEM) p->st = GD_NOMEM;
    return r;
}

static bool fatal(const parser *p)
{
    return p->st == GD_NOMEM || p->st == GD_LIMIT;
}

static hcl_expr *mk(parser *p, hcl_ek kind, size_t pos)
{
    hcl_expr *e = palloc(p, sizeof *e);
    if (!e) return NULL;
    e->kind = (uint8_t)kind;
    e->file = p->file;
    e->pos = clamp32(pos);
    return e;
}

/* Growable list of pointers during parsing, copied into the arena at the end. */
typedef struct pvec {
    void **v;
    size_t n, cap;
} pvec;

static bool pv_push(parser *p, pvec *v, void *x)
{
    if (gdi_grow(p->ctx, (void **)&v->v, &v->cap, v->n + 1, sizeof(void *)) != GD_OK) {
        p->st = GD_NOMEM;
        return false;
    }
    v->v[v->n++] = x;
    return true;
}

static void **pv_finish(parser *p, pvec *v, uint32_t *n)
{
    void **out = NULL;
    *n = clamp32(v->n);
    if (v->n) {
        out = palloc(p, v->n * sizeof(void *));
        if (out) memcpy(out, v->v, v->n * sizeof(void *));
        else *n = 0; /* p->st is GD_NOMEM: the tree is dropped */
    }
    gdi_free(p->ctx, v->v);
    v->v = NULL;
    v->n = v->cap = 0;
    return out;
}

static bool enter(parser *p, size_t off)
{
    if (++p->depth > p->max_depth) {
        if (p->st != GD_LIMIT) {
            uint32_t line, col;
            gdi_line_col(p->src, p->len, off, &line, &col);
            gdi_err(p->ctx, GD_LIMIT, p->name, line, col,
                    "nesting deeper than %u levels (--max-depth)", (unsigned)p->max_depth);
        }
        p->st = GD_LIMIT;
        return false;
    }
    return true;
}

/* ------------------------------------------------------------- lexer */

static bool is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Skip spaces and comments (and newlines when nlskip); stops at a newline
 * otherwise. Line comments end before their newline. */
static void skip_space(parser *p)
{
    const char *s = p->src;
    while (p->off < p->len) {
        char c = s[p->off];
        if (c == ' ' || c == '\t' || c == '\r') {
            p->off++;
        } else if (c == '\n' && p->nlskip > 0) {
            p->off++;
        } else if (c == '#' || (c == '/' && p->off + 1 < p->len && s[p->off + 1] == '/')) {
            while (p->off < p->len && s[p->off] != '\n') p->off++;
        } else if (c == '/' && p->off + 1 < p->len && s[p->off + 1] == '*') {
            size_t start = p->off;
            p->off += 2;
            while (p->off + 1 < p->len && !(s[p->off] == '*' && s[p->off + 1] == '/')) p->off++;
            if (p->off + 1 >= p->len) {
                perr(p, start, "unterminated comment");
                p->off = p->len;
                return;
            }
            p->off += 2;
        } else {
            return;
        }
    }
}

static void lex(parser *p, tok *t)
{
    skip_space(p);
    const char *s = p->src;
    size_t i = p->off;
    t->pos = clamp32(i);
    t->strip = false;
    t->len = 1;
    if (i >= p->len) {
        t->kind = T_EOF;
        t->len = 0;
        return;
    }
    unsigned char c = (unsigned char)s[i];
    unsigned char d = i + 1 < p->len ? (unsigned char)s[i + 1] : 0;
    if (is_ident_start(c)) {
        size_t j = i + 1;
        while (j < p->len && is_ident_char((unsigned char)s[j])) j++;
        t->kind = T_IDENT;
        t->len = clamp32(j - i);
        p->off = j;
        return;
    }
    if (is_digit(c)) {
        size_t j = i;
        while (j < p->len && is_digit((unsigned char)s[j])) j++;
        if (j + 1 < p->len && s[j] == '.' && is_digit((unsigned char)s[j + 1])) {
            j++;
            while (j < p->len && is_digit((unsigned char)s[j])) j++;
        }
        if (j < p->len && (s[j] == 'e' || s[j] == 'E')) {
            size_t k = j + 1;
            if (k < p->len && (s[k] == '+' || s[k] == '-')) k++;
            if (k < p->len && is_digit((unsigned char)s[k])) {
                while (k < p->len && is_digit((unsigned char)s[k])) k++;
                j = k;
            }
        }
        t->kind = T_NUM;
        t->len = clamp32(j - i);
        p->off = j;
        return;
    }
    p->off = i + 1;
    switch (c) {
    case '\n': t->kind = T_NL; return;
    case '"': t->kind = T_QUOTE; return;
    case '{': t->kind = T_LBRACE; return;
    case '}': t->kind = T_RBRACE; return;
    case '[': t->kind = T_LBRACK; return;
    case ']': t->kind = T_RBRACK; return;
    case '(': t->kind = T_LPAREN; return;
    case ')': t->kind = T_RPAREN; return;
    case ',': t->kind = T_COMMA; return;
    case ':': t->kind = T_COLON; return;
    case '?': t->kind = T_QUESTION; return;
    case '+': t->kind = T_PLUS; return;
    case '-': t->kind = T_MINUS; return;
    case '*': t->kind = T_STAR; return;
    case '/': t->kind = T_SLASH; return;
    case '%': t->kind = T_PERCENT; return;
    case '~':
        if (d == '}') {
            t->kind = T_RBRACE;
            t->strip = true;
            t->len = 2;
            p->off = i + 2;
            return;
        }
        break;
    case '.':
        if (d == '.' && i + 2 < p->len && s[i + 2] == '.') {
            t->kind = T_ELLIPSIS;
            t->len = 3;
            p->off = i + 3;
        } else {
            t->kind = T_DOT;
        }
        return;
    case '=':
        if (d == '=') {
            t->kind = T_EQ;
        } else if (d == '>') {
            t->kind = T_ARROW;
        } else {
            t->kind = T_ASSIGN;
            return;
        }
        t->len = 2;
        p->off = i + 2;
        return;
    case '!':
        if (d == '=') {
            t->kind = T_NE;
            t->len = 2;
            p->off = i + 2;
        } else {
            t->kind = T_BANG;
        }
        return;
    case '<':
        if (d == '<') {
            t->kind = T_HEREDOC;
            t->len = 2;
            p->off = i + 2;
        } else if (d == '=') {
            t->kind = T_LE;
            t->len = 2;
            p->off = i + 2;
        } else {
            t->kind = T_LT;
        }
        return;
    case '>':
        if (d == '=') {
            t->kind = T_GE;
            t->len = 2;
            p->off = i + 2;
        } else {
            t->kind = T_GT;
        }
        return;
    case '&':
        if (d == '&') {
            t->kind = T_AND;
            t->len = 2;
            p->off = i + 2;
            return;
        }
        break;
    case '|':
        if (d == '|') {
            t->kind = T_OR;
            t->len = 2;
            p->off = i + 2;
            return;
        }
        break;
    default: break;
    }
    t->kind = T_BAD;
}

static const tok *peek(parser *p)
{
    if (!p->have) {
        lex(p, &p->cur);
        p->have = true;
    }
    return &p->cur;
}

static tok next(parser *p)
{
    peek(p);
    p->have = false;
    return p->cur;
}

static bool accept(parser *p, int kind)
{
    if (peek(p)->kind == kind) {
        p->have = false;
        return true;
    }
    return false;
}

static void skip_nl(parser *p)
{
    while (peek(p)->kind == T_NL) p->have = false;
}

static bool tok_is(const parser *p, const tok *t, const char *word)
{
    size_t n = strlen(word);
    return t->kind == T_IDENT && t->len == n && memcmp(p->src + t->pos, word, n) == 0;
}

static gd_str tok_str(const parser *p, const tok *t)
{
    return (gd_str){p->src + t->pos, t->len};
}

static void unexpected(parser *p, const tok *t, const char *want)
{
    if (t->kind == T_IDENT)
        perr(p, t->pos, "unexpected identifier '%.*s', expected %s", (int)t->len, p->src + t->pos,
             want);
    else if (t->kind == T_BAD)
        perr(p, t->pos, "invalid character '%c', expected %s",
             (p->src[t->pos] >= 32 && p->src[t->pos] < 127) ? p->src[t->pos] : '?', want);
    else
        perr(p, t->pos, "unexpected %s, expected %s", tok_names[t->kind], want);
}

static bool expect(parser *p, int kind, const char *want)
{
    const tok *t = peek(p);
    if (t->kind == kind) {
        p->have = false;
        return true;
    }
    unexpected(p, t, want);
    return false;
}

/* -------------------------------------------------------- templates */

typedef struct tplmode {
    bool quoted;     /* ends at '"', escapes decoded */
    bool raw;        /* no escapes except $${ and %%{ (heredoc, JSON strings) */
    size_t end;      /* offset where the template ends (heredoc / raw) */
    size_t lstart;   /* heredoc: offset of the first content byte */
    size_t indent;   /* heredoc <<-: spaces removed at each line start */
} tplmode;

static void put_utf8(gdi_buf *b, uint32_t cp)
{
    char u[4];
    if (cp < 0x80) {
        gdi_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        gdi_buf_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        gdi_buf_append(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        gdi_buf_append(b, u, 4);
    }
}

/* What ended a literal chunk. */
enum { TE_END, TE_INTERP, TE_DIRECTIVE, TE_ERROR };

/* Scan literal text from p->off into b; stops at ${, %{ (p->off after the
 * opener and an optional '~', *strip set), or at the end of the template
 * (p->off after the closing quote for quoted templates). */
static int scan_literal(parser *p, const tplmode *m, gdi_buf *b, bool *strip)
{
    const char *s = p->src;
    size_t lim = m->quoted ? p->len : m->end;
    *strip = false;
    while (p->off < lim) {
        size_t i = p->off;
        char c = s[i];
        if (m->indent && !m->quoted && (i == m->lstart || s[i - 1] == '\n')) {
            size_t k = 0;
            while (k < m->indent && i + k < lim && (s[i + k] == ' ' || s[i + k] == '\t')) k++;
            if (k) {
                p->off = i + k;
                continue;
            }
        }
        if ((c == '$' || c == '%') && i + 1 < lim && s[i + 1] == '{') {
            p->off = i + 2;
            if (p->off < lim && s[p->off] == '~') {
                *strip = true;
                p->off++;
            }
            return c == '$' ? TE_INTERP : TE_DIRECTIVE;
        }
        if ((c == '$' || c == '%') && i + 2 < lim && s[i + 1] == c && s[i + 2] == '{') {
            gdi_buf_putc(b, c);
            gdi_buf_putc(b, '{');
            p->off = i + 3;
            continue;
        }
        if (m->quoted) {
            if (c == '"') {
                p->off = i + 1;
                return TE_END;
            }
            if (c == '\n') {
                perr(p, i, "unterminated string (a quoted string cannot contain a newline)");
                p->off = i;
                return TE_ERROR;
            }
            if (c == '\\') {
                char e = i + 1 < lim ? s[i + 1] : 0;
                p->off = i + 2;
                switch (e) {
                case 'n': gdi_buf_putc(b, '\n'); continue;
                case 't': gdi_buf_putc(b, '\t'); continue;
                case 'r': gdi_buf_putc(b, '\r'); continue;
                case '"': gdi_buf_putc(b, '"'); continue;
                case '\\': gdi_buf_putc(b, '\\'); continue;
                case 'u':
                case 'U': {
                    size_t nd = e == 'u' ? 4 : 8;
                    uint32_t cp = 0;
                    size_t k;
                    for (k = 0; k < nd && i + 2 + k < lim; k++) {
                        char h = s[i + 2 + k];
                        uint32_t v;
                        if (h >= '0' && h <= '9') v = (uint32_t)(h - '0');
                        else if (h >= 'a' && h <= 'f') v = (uint32_t)(h - 'a' + 10);
                        else if (h >= 'A' && h <= 'F') v = (uint32_t)(h - 'A' + 10);
                        else break;
                        cp = cp * 16 + v;
                    }
                    if (k != nd || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                        perr(p, i, "invalid unicode escape");
                        p->off = i + 2 + k;
                        continue;
                    }
                    put_utf8(b, cp);
                    p->off = i + 2 + nd;
                    continue;
                }
                default:
                    perr(p, i, "invalid escape sequence '\\%c'",
                         (e >= 32 && e < 127) ? e : '?');
                    continue;
                }
            }
        }
        if (c == '\n') {
            gdi_buf_putc(b, '\n');
            p->off = i + 1;
            continue;
        }
        size_t j = i + 1;
        while (j < lim && s[j] != '$' && s[j] != '%' && s[j] != '\n' && s[j] != '"' &&
               s[j] != '\\')
            j++;
        gdi_buf_append(b, s + i, j - i);
        p->off = j;
    }
    if (m->quoted) {
        perr(p, p->off, "unterminated string");
        return TE_ERROR;
    }
    return TE_END;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static hcl_expr *parse_expr(parser *p);

/* Directive keywords a template sequence can stop at. */
enum { DK_NONE, DK_ELSE, DK_ENDIF, DK_ENDFOR, DK_END };

typedef struct tplpart {
    pvec parts;
} tplpart;

static hcl_expr *finish_template(parser *p, pvec *parts, size_t pos)
{
    hcl_expr *t = mk(p, HE_TEMPLATE, pos);
    if (!t) {
        gdi_free(p->ctx, parts->v);
        *parts = (pvec){0}; /* the caller may reuse it */
        return NULL;
    }
    t->kids = (hcl_expr **)pv_finish(p, parts, &t->n);
    return t;
}

static bool add_literal(parser *p, pvec *parts, gdi_buf *b, size_t pos)
{
    const char *s = b->n ? b->p : "";
    size_t n = b->n;
    if (p->strip_next) {
        while (n && is_ws(*s)) {
            s++;
            n--;
        }
        p->strip_next = false;
    }
    if (b->oom) {
        p->st = GD_NOMEM;
        return false;
    }
    hcl_expr *e = mk(p, HE_STR, pos);
    if (!e) return false;
    char *c = gdi_arena_strndup(p->ar, s, n);
    if (!c) {
        p->st = GD_NOMEM;
        return false;
    }
    e->name = (gd_str){c, n};
    p->last_lit = e;
    b->n = 0;
    return pv_push(p, parts, e);
}

static void strip_prev(parser *p)
{
    if (p->last_lit) {
        gd_str *s = &p->last_lit->name;
        while (s->n && is_ws(s->p[s->n - 1])) s->n--;
    }
}

/* End of a directive: '}' or '~}'. */
static bool directive_close(parser *p)
{
    const tok *t = peek(p);
    if (t->kind != T_RBRACE) {
        unexpected(p, t, "'}' to close the template directive");
        return false;
    }
    p->strip_next = t->strip;
    p->have = false;
    return true;
}

static int parse_tpl_seq(parser *p, const tplmode *m, pvec *parts, int *stopped, size_t *stoppos);

/* Parse `%{ ... }` after the opener; *kw receives which stop keyword it
 * was (for else/endif/endfor), or adds an if/for node to parts. */
/* The variables of a `for` (expression or template directive): after the
 * keyword, `V in` or `K, V in`. Sets node->name (key, or empty) and
 * node->name2 (value); false after reporting an error. */
static bool parse_for_vars(parser *p, hcl_expr *node)
{
    tok a = next(p);
    if (a.kind != T_IDENT) {
        unexpected(p, &a, "a variable name after 'for'");
        return false;
    }
    node->name2 = tok_str(p, &a);
    if (accept(p, T_COMMA)) {
        tok b = next(p);
        if (b.kind != T_IDENT) {
            unexpected(p, &b, "a variable name");
            return false;
        }
        node->name = node->name2;
        node->name2 = tok_str(p, &b);
    }
    tok in = next(p);
    if (!tok_is(p, &in, "in")) {
        unexpected(p, &in, "'in'");
        return false;
    }
    return true;
}

static bool parse_directive(parser *p, const tplmode *m, pvec *parts, size_t dpos, int *kw)
{
    *kw = DK_NONE;
    p->nlskip++;
    tok t = next(p);
    bool ok = false;
    if (tok_is(p, &t, "else") || tok_is(p, &t, "endif") || tok_is(p, &t, "endfor")) {
        *kw = tok_is(p, &t, "else") ? DK_ELSE : tok_is(p, &t, "endif") ? DK_ENDIF : DK_ENDFOR;
        p->nlskip--;
        return directive_close(p);
    }
    if (!enter(p, dpos)) {
        p->nlskip--;
        return false;
    }
    if (tok_is(p, &t, "if")) {
        hcl_expr *node = mk(p, HE_TPL_IF, dpos);
        hcl_expr *cond = parse_expr(p);
        p->nlskip--;
        if (!node || !cond || !directive_close(p)) goto done;
        node->a = cond;
        pvec sub = {0};
        int stop = DK_NONE;
        size_t spos = 0;
        p->last_lit = NULL;
        if (!parse_tpl_seq(p, m, &sub, &stop, &spos)) {
            gdi_free(p->ctx, sub.v);
            goto done;
        }
        node->b = finish_template(p, &sub, dpos);
        if (!node->b) goto done;
        if (stop == DK_ELSE) {
            p->last_lit = NULL;
            if (!parse_tpl_seq(p, m, &sub, &stop, &spos)) {
                gdi_free(p->ctx, sub.v);
                goto done;
            }
            node->c = finish_template(p, &sub, spos);
            if (!node->c) goto done;
        }
        if (stop != DK_ENDIF) {
            perr(p, stop == DK_END ? dpos : spos, "%s",
                 stop == DK_END ? "template 'if' directive has no matching 'endif'"
                                : "unexpected template directive, expected 'endif'");
            goto done;
        }
        p->last_lit = NULL;
        ok = pv_push(p, parts, node);
    } else if (tok_is(p, &t, "for")) {
        hcl_expr *node = mk(p, HE_TPL_FOR, dpos);
        if (!node) goto nlpop;
        if (!parse_for_vars(p, node)) goto nlpop;
        node->a = parse_expr(p);
        p->nlskip--;
        if (!node->a || !directive_close(p)) goto done;
        pvec sub = {0};
        int stop = DK_NONE;
        size_t spos = 0;
        p->last_lit = NULL;
        if (!parse_tpl_seq(p, m, &sub, &stop, &spos)) {
            gdi_free(p->ctx, sub.v);
            goto done;
        }
        node->b = finish_template(p, &sub, dpos);
        if (!node->b) goto done;
        if (stop != DK_ENDFOR) {
            perr(p, stop == DK_END ? dpos : spos, "%s",
                 stop == DK_END ? "template 'for' directive has no matching 'endfor'"
                                : "unexpected template directive, expected 'endfor'");
            goto done;
        }
        p->last_lit = NULL;
        ok = pv_push(p, parts, node);
    } else {
        unexpected(p, &t, "'if', 'for', 'else', 'endif' or 'endfor' in a template directive");
        goto nlpop;
    }
    goto done;
nlpop:
    p->nlskip--;
done:
    p->depth--;
    return ok;
}

/* Parse template parts until the template's end or a stop directive. */
static int parse_tpl_seq(parser *p, const tplmode *m, pvec *parts, int *stopped, size_t *stoppos)
{
    gdi_buf b;
    gdi_buf_init(&b, p->ctx);
    int ok = 0;
    *stopped = DK_END;
    for (;;) {
        size_t lpos = p->off;
        bool strip = false;
        int r = scan_literal(p, m, &b, &strip);
        if (b.oom) {
            /* a failed append leaves the literal short (or empty) */
            p->st = GD_NOMEM;
            goto done;
        }
        if (r == TE_ERROR) goto done;
        if (b.n || p->strip_next) {
            if (b.n && !add_literal(p, parts, &b, lpos)) goto done;
            p->strip_next = false;
        }
        if (r == TE_END) break;
        if (strip) strip_prev(p);
        size_t opener = p->off - 2 - (strip ? 1 : 0);
        p->have = false;
        if (r == TE_INTERP) {
            p->nlskip++;
            hcl_expr *e = parse_expr(p);
            p->nlskip--;
            if (!e) goto done;
            const tok *t = peek(p);
            if (t->kind != T_RBRACE) {
                unexpected(p, t, "'}' to close the interpolation");
                goto done;
            }
            p->strip_next = t->strip;
            p->have = false;
            p->last_lit = NULL;
            if (!pv_push(p, parts, e)) goto done;
        } else {
            int kw;
            if (!parse_directive(p, m, parts, opener, &kw)) goto done;
            if (kw != DK_NONE) {
                *stopped = kw;
                *stoppos = opener;
                break;
            }
        }
    }
    ok = 1;
done:
    gdi_buf_free(&b);
    return ok;
}

/* A template's result: a lone interpolation keeps its value's type. */
static hcl_expr *template_result(parser *p, hcl_expr *t, size_t pos)
{
    if (!t) return NULL;
    if (t->n == 1 && t->kids[0]->kind != HE_STR && t->kids[0]->kind != HE_TPL_IF &&
        t->kids[0]->kind != HE_TPL_FOR) {
        hcl_expr *w = mk(p, HE_WRAP, pos);
        if (w) w->a = t->kids[0];
        return w;
    }
    if (t->n == 0) {
        hcl_expr *s = mk(p, HE_STR, pos);
        if (s) s->name = (gd_str){"", 0};
        return s;
    }
    if (t->n == 1 && t->kids[0]->kind == HE_STR) {
        t->kids[0]->pos = clamp32(pos);
        return t->kids[0];
    }
    return t;
}

static hcl_expr *parse_template_body(parser *p, const tplmode *m, size_t pos)
{
    pvec parts = {0};
    int stop;
    size_t spos = 0;
    int saved_nl = p->nlskip;
    p->nlskip = 0;
    p->last_lit = NULL;
    p->strip_next = false;
    p->have = false;
    int ok = parse_tpl_seq(p, m, &parts, &stop, &spos);
    p->nlskip = saved_nl;
    p->have = false;
    if (!ok) {
        gdi_free(p->ctx, parts.v);
        return NULL;
    }
    if (stop != DK_END) {
        perr(p, spos, "template directive without a matching 'if' or 'for'");
        gdi_free(p->ctx, parts.v);
        return NULL;
    }
    return template_result(p, finish_template(p, &parts, pos), pos);
}

/* After the opening quote was consumed (p->off just past it). */
static hcl_expr *parse_quoted(parser *p, size_t qpos)
{
    tplmode m = {.quoted = true};
    return parse_template_body(p, &m, qpos);
}

/* After '<<' was consumed. */
static hcl_expr *parse_heredoc(parser *p, size_t hpos)
{
    const char *s = p->src;
    size_t i = p->off;
    bool flush = false;
    if (i < p->len && s[i] == '-') {
        flush = true;
        i++;
    }
    size_t ms = i;
    while (i < p->len && is_ident_char((unsigned char)s[i])) i++;
    if (i == ms || !is_ident_start((unsigned char)s[ms])) {
        perr(p, ms, "heredoc needs an identifier after '<<'");
        return NULL;
    }
    gd_str marker = {s + ms, i - ms};
    while (i < p->len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
    if (i >= p->len || s[i] != '\n') {
        perr(p, i, "heredoc marker must be followed by a newline");
        return NULL;
    }
    size_t cstart = i + 1, line = cstart, cend = 0, after = 0;
    size_t minind = SIZE_MAX;
    while (line < p->len) {
        size_t e = line;
        while (e < p->len && s[e] != '\n') e++;
        size_t a = line;
        while (a < e && (s[a] == ' ' || s[a] == '\t')) a++;
        size_t z = e;
        while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t' || s[z - 1] == '\r')) z--;
        if (z - a == marker.n && memcmp(s + a, marker.p, marker.n) == 0) {
            cend = line;
            after = a + marker.n;
            break;
        }
        if (z > a && a - line < minind) minind = a - line;
        line = e + 1;
    }
    if (!after) {
        perr(p, hpos, "heredoc '%.*s' has no closing marker", (int)marker.n, marker.p);
        p->off = p->len;
        p->have = false;
        return NULL;
    }
    tplmode m = {.raw = true, .end = cend, .lstart = cstart};
    if (flush && minind != SIZE_MAX) m.indent = minind;
    p->off = cstart;
    hcl_expr *r = parse_template_body(p, &m, hpos);
    p->off = after;
    p->have = false;
    return r;
}

/* ------------------------------------------------------ expressions */

static hcl_expr *parse_unary(parser *p);

static int binop_prec(int kind, uint8_t *op)
{
    switch (kind) {
    case T_OR: *op = HOP_OR; return 1;
    case T_AND: *op = HOP_AND; return 2;
    case T_EQ: *op = HOP_EQ; return 3;
    case T_NE: *op = HOP_NE; return 3;
    case T_LT: *op = HOP_LT; return 4;
    case T_LE: *op = HOP_LE; return 4;
    case T_GT: *op = HOP_GT; return 4;
    case T_GE: *op = HOP_GE; return 4;
    case T_PLUS: *op = HOP_ADD; return 5;
    case T_MINUS: *op = HOP_SUB; return 5;
    case T_STAR: *op = HOP_MUL; return 6;
    case T_SLASH: *op = HOP_DIV; return 6;
    case T_PERCENT: *op = HOP_MOD; return 6;
    default: return 0;
    }
}

static hcl_expr *parse_binary(parser *p, int minprec)
{
    hcl_expr *lhs = parse_unary(p);
    while (lhs) {
        uint8_t op = 0;
        const tok *t = peek(p);
        int prec = binop_prec(t->kind, &op);
        if (!prec || prec < minprec) break;
        uint32_t pos = lhs->pos;
        p->have = false;
        skip_nl(p);
        hcl_expr *rhs = parse_binary(p, prec + 1);
        if (!rhs) return NULL;
        hcl_expr *b = mk(p, HE_BINOP, pos);
        if (!b) return NULL;
        b->op = op;
        b->a = lhs;
        b->b = rhs;
        lhs = b;
    }
    return lhs;
}

static hcl_expr *parse_expr(parser *p)
{
    const tok *t0 = peek(p);
    size_t pos = t0->pos;
    if (!enter(p, pos)) return NULL;
    hcl_expr *r = NULL;
    hcl_expr *c = parse_binary(p, 1);
    if (!c) goto done;
    if (peek(p)->kind == T_QUESTION) {
        p->have = false;
        skip_nl(p);
        hcl_expr *a = parse_expr(p);
        if (!a) goto done;
        skip_nl(p);
        if (!expect(p, T_COLON, "':' in a conditional expression")) goto done;
        skip_nl(p);
        hcl_expr *b = parse_expr(p);
        if (!b) goto done;
        r = mk(p, HE_COND, c->pos);
        if (r) {
            r->a = c;
            r->b = a;
            r->c = b;
        }
        goto done;
    }
    r = c;
done:
    p->depth--;
    return r;
}

static hcl_expr *parse_postfix(parser *p, hcl_expr *e);
static hcl_expr *parse_primary(parser *p);

static hcl_expr *parse_unary(parser *p)
{
    const tok *t = peek(p);
    if (t->kind == T_BANG || t->kind == T_MINUS) {
        size_t pos = t->pos;
        uint8_t op = t->kind == T_BANG ? HOP_NOT : HOP_NEG;
        p->have = false;
        if (!enter(p, pos)) return NULL;
        hcl_expr *a = parse_unary(p);
        p->depth--;
        if (!a) return NULL;
        if (op == HOP_NEG && a->kind == HE_NUM) {
            a->num = -a->num;
            a->pos = clamp32(pos);
            return a;
        }
        hcl_expr *u = mk(p, HE_UNOP, pos);
        if (!u) return NULL;
        u->op = op;
        u->a = a;
        return u;
    }
    hcl_expr *e = parse_primary(p);
    return e ? parse_postfix(p, e) : NULL;
}

static hcl_expr *parse_postfix(parser *p, hcl_expr *e)
{
    hcl_expr *root = e;
    hcl_expr **tail = &root;  /* where the next traversal step applies */
    bool in_attr_splat = false;
    for (;;) {
        const tok *t = peek(p);
        if (t->kind == T_DOT) {
            p->have = false;
            tok n = next(p);
            if (n.kind == T_IDENT) {
                hcl_expr *a = mk(p, HE_ATTR, (*tail)->pos);
                if (!a) return NULL;
                a->a = *tail;
                a->name = tok_str(p, &n);
                *tail = a;
            } else if (n.kind == T_NUM) {
                hcl_expr *k = mk(p, HE_NUM, n.pos);
                hcl_expr *x = mk(p, HE_INDEX, (*tail)->pos);
                if (!k || !x) return NULL;
                k->num = gdi_numtext_f64(p->src + n.pos, n.len);
                x->a = *tail;
                x->b = k;
                *tail = x;
            } else if (n.kind == T_STAR) {
                hcl_expr *s = mk(p, HE_SPLAT, (*tail)->pos);
                hcl_expr *an = mk(p, HE_ANCHOR, n.pos);
                if (!s || !an) return NULL;
                s->flags = HEF_ATTRSPLAT;
                s->a = *tail;
                s->b = an;
                *tail = s;
                tail = &s->b;
                in_attr_splat = true;
            } else {
                unexpected(p, &n, "an attribute name after '.'");
                return NULL;
            }
        } else if (t->kind == T_LBRACK) {
            size_t bpos = t->pos;
            p->have = false;
            p->nlskip++;
            if (accept(p, T_STAR)) {
                p->nlskip--;
                if (!expect(p, T_RBRACK, "']' after '[*'")) return NULL;
                if (in_attr_splat) {
                    tail = &root;
                    in_attr_splat = false;
                }
                hcl_expr *s = mk(p, HE_SPLAT, (*tail)->pos);
                hcl_expr *an = mk(p, HE_ANCHOR, bpos);
                if (!s || !an) return NULL;
                s->a = *tail;
                s->b = an;
                *tail = s;
                tail = &s->b;
                continue;
            }
            hcl_expr *k = parse_expr(p);
            p->nlskip--;
            if (!k) return NULL;
            if (!expect(p, T_RBRACK, "']' to close the index")) return NULL;
            if (in_attr_splat) {
                tail = &root;
                in_attr_splat = false;
            }
            hcl_expr *x = mk(p, HE_INDEX, (*tail)->pos);
            if (!x) return NULL;
            x->a = *tail;
            x->b = k;
            *tail = x;
        } else {
            break;
        }
    }
    return root;
}

static hcl_expr *parse_for(parser *p, size_t pos, bool obj)
{
    hcl_expr *f = mk(p, HE_FOR, pos);
    if (!f) return NULL;
    if (obj) f->flags |= HEF_OBJFOR;
    if (!parse_for_vars(p, f)) return NULL;
    if (!(f->a = parse_expr(p))) return NULL;
    if (!expect(p, T_COLON, "':' after the for collection")) return NULL;
    hcl_expr *v = parse_expr(p);
    if (!v) return NULL;
    if (obj) {
        if (!expect(p, T_ARROW, "'=>' in an object for expression")) return NULL;
        f->b = v;
        if (!(v = parse_expr(p))) return NULL;
        if (accept(p, T_ELLIPSIS)) f->flags |= HEF_GROUP;
    }
    f->c = v;
    const tok *t = peek(p);
    if (tok_is(p, t, "if")) {
        p->have = false;
        if (!(f->d = parse_expr(p))) return NULL;
    }
    if (!expect(p, obj ? T_RBRACE : T_RBRACK, obj ? "'}' to close the for expression"
                                                  : "']' to close the for expression"))
        return NULL;
    return f;
}

static hcl_expr *parse_tuple(parser *p, size_t pos)
{
    if (tok_is(p, peek(p), "for")) {
        p->have = false;
        hcl_expr *f = parse_for(p, pos, false);
        p->nlskip--;
        return f;
    }
    pvec items = {0};
    hcl_expr *r = NULL;
    while (peek(p)->kind != T_RBRACK) {
        hcl_expr *e = parse_expr(p);
        if (!e || !pv_push(p, &items, e)) goto done;
        if (!accept(p, T_COMMA)) break;
    }
    if (!expect(p, T_RBRACK, "',' or ']' in a tuple")) goto done;
    r = mk(p, HE_TUPLE, pos);
    if (r) r->kids = (hcl_expr **)pv_finish(p, &items, &r->n);
done:
    gdi_free(p->ctx, items.v);
    p->nlskip--;
    return r;
}

static hcl_expr *parse_object(parser *p, size_t pos)
{
    const tok *t = peek(p);
    if (tok_is(p, t, "for")) {
        p->have = false;
        hcl_expr *f = parse_for(p, pos, true);
        p->nlskip--;
        return f;
    }
    pvec items = {0};
    hcl_expr *r = NULL;
    while (peek(p)->kind != T_RBRACE) {
        hcl_expr *k = parse_expr(p);
        if (!k) goto done;
        if (k->kind == HE_VAR || k->kind == HE_TRUE || k->kind == HE_FALSE ||
            k->kind == HE_NULL) {
            if (k->kind != HE_VAR)
                k->name = k->kind == HE_TRUE ? GD_STR_LIT("true")
                          : k->kind == HE_FALSE ? GD_STR_LIT("false")
                                                : GD_STR_LIT("null");
            k->kind = HE_STR;
            k->flags |= HEF_BAREKEY;
        }
        if (!accept(p, T_ASSIGN) && !accept(p, T_COLON)) {
            unexpected(p, peek(p), "'=' or ':' after an object key");
            goto done;
        }
        hcl_expr *v = parse_expr(p);
        if (!v || !pv_push(p, &items, k) || !pv_push(p, &items, v)) goto done;
        accept(p, T_COMMA);
    }
    p->have = false; /* the '}' */
    r = mk(p, HE_OBJECT, pos);
    if (r) {
        uint32_t n;
        r->kids = (hcl_expr **)pv_finish(p, &items, &n);
        r->n = n / 2;
    }
done:
    gdi_free(p->ctx, items.v);
    p->nlskip--;
    return r;
}

static hcl_expr *parse_call(parser *p, const tok *name)
{
    hcl_expr *c = mk(p, HE_CALL, name->pos);
    if (!c) return NULL;
    c->name = tok_str(p, name);
    p->nlskip++;
    pvec args = {0};
    hcl_expr *r = NULL;
    while (peek(p)->kind != T_RPAREN) {
        hcl_expr *e = parse_expr(p);
        if (!e || !pv_push(p, &args, e)) goto done;
        if (accept(p, T_ELLIPSIS)) {
            c->flags |= HEF_EXPAND;
            break;
        }
        if (!accept(p, T_COMMA)) break;
    }
    if (!expect(p, T_RPAREN, "',' or ')' in the function call")) goto done;
    c->kids = (hcl_expr **)pv_finish(p, &args, &c->n);
    r = c;
done:
    gdi_free(p->ctx, args.v);
    p->nlskip--;
    return r;
}

static hcl_expr *parse_primary(parser *p)
{
    tok t = next(p);
    hcl_expr *e;
    switch (t.kind) {
    case T_NUM:
        if (!(e = mk(p, HE_NUM, t.pos))) return NULL;
        e->num = gdi_numtext_f64(p->src + t.pos, t.len);
        return e;
    case T_IDENT:
        if (tok_is(p, &t, "true")) return mk(p, HE_TRUE, t.pos);
        if (tok_is(p, &t, "false")) return mk(p, HE_FALSE, t.pos);
        if (tok_is(p, &t, "null")) return mk(p, HE_NULL, t.pos);
        if (peek(p)->kind == T_LPAREN) {
            p->have = false;
            return parse_call(p, &t);
        }
        /* provider-defined functions: provider::ns::name( */
        if (peek(p)->kind == T_COLON && p->off < p->len && p->src[p->off] == ':') {
            size_t save = p->off;
            p->have = false;
            p->off++;
            tok ns = next(p);
            if (ns.kind == T_IDENT && accept(p, T_COLON) && accept(p, T_COLON)) {
                tok fn = next(p);
                if (fn.kind == T_IDENT && accept(p, T_LPAREN)) {
                    tok full = {T_IDENT, false, t.pos, fn.pos + fn.len - t.pos};
                    return parse_call(p, &full);
                }
            }
            perr(p, save, "invalid provider function reference");
            return NULL;
        }
        if (!(e = mk(p, HE_VAR, t.pos))) return NULL;
        e->name = tok_str(p, &t);
        return e;
    case T_QUOTE: return parse_quoted(p, t.pos);
    case T_HEREDOC: return parse_heredoc(p, t.pos);
    case T_LPAREN: {
        p->nlskip++;
        hcl_expr *in = parse_expr(p);
        p->nlskip--;
        if (!in) return NULL;
        if (!expect(p, T_RPAREN, "')'")) return NULL;
        if (!(e = mk(p, HE_PAREN, t.pos))) return NULL;
        e->a = in;
        return e;
    }
    case T_LBRACK: p->nlskip++; return parse_tuple(p, t.pos);
    case T_LBRACE: p->nlskip++; return parse_object(p, t.pos);
    default: unexpected(p, &t, "an expression"); return NULL;
    }
}

/* ------------------------------------------------------------- bodies */

/* Skip to the end of the current line, balancing brackets and strings, so
 * parsing can resume after an error. Stops before a '}' that would close
 * the enclosing body. */
static void recover(parser *p, size_t from)
{
    const char *s = p->src;
    size_t i = from;
    int depth = 0;
    while (i < p->len) {
        char c = s[i];
        if (c == '"') {
            i++;
            while (i < p->len && s[i] != '"' && s[i] != '\n') i += (s[i] == '\\') ? 2 : 1;
            if (i < p->len && s[i] == '"') i++;
            continue;
        }
        if (c == '#' || (c == '/' && i + 1 < p->len && s[i + 1] == '/')) {
            while (i < p->len && s[i] != '\n') i++;
            continue;
        }
        if (c == '{' || c == '[' || c == '(') depth++;
        if (c == '}' || c == ']' || c == ')') {
            if (depth == 0 && c == '}') break;
            if (depth > 0) depth--;
        }
        if (c == '\n' && depth <= 0) {
            i++;
            break;
        }
        i++;
    }
    p->off = i;
    p->have = false;
    p->nlskip = 0;
}

static hcl_body *parse_body(parser *p, bool nested);

static bool parse_item(parser *p, pvec *attrs, pvec *blocks)
{
    tok name = next(p);
    if (name.kind != T_IDENT) {
        unexpected(p, &name, "an attribute or block name");
        return false;
    }
    const tok *t = peek(p);
    if (t->kind == T_ASSIGN) {
        p->have = false;
        hcl_expr *e = parse_expr(p);
        if (!e) return false;
        const tok *end = peek(p);
        if (end->kind != T_NL && end->kind != T_EOF && end->kind != T_RBRACE) {
            unexpected(p, end, "a newline after the attribute value");
            return false;
        }
        hcl_attr *a = palloc(p, sizeof *a);
        if (!a) return false;
        a->name = tok_str(p, &name);
        a->pos = name.pos;
        a->expr = e;
        return pv_push(p, attrs, a);
    }
    hcl_block *b = palloc(p, sizeof *b);
    if (!b) return false;
    b->type = tok_str(p, &name);
    b->file = p->file;
    b->pos = name.pos;
    pvec labels = {0};
    bool ok = false;
    for (;;) {
        t = peek(p);
        if (t->kind == T_IDENT) {
            gd_str *l = palloc(p, sizeof *l);
            if (!l) goto done;
            *l = tok_str(p, t);
            p->have = false;
            if (!pv_push(p, &labels, l)) goto done;
        } else if (t->kind == T_QUOTE) {
            size_t qpos = t->pos;
            p->have = false;
            hcl_expr *s = parse_quoted(p, qpos);
            if (!s) goto done;
            if (s->kind != HE_STR) {
                perr(p, qpos, "block labels cannot contain interpolations");
                goto done;
            }
            gd_str *l = palloc(p, sizeof *l);
            if (!l) goto done;
            *l = s->name;
            if (!pv_push(p, &labels, l)) goto done;
        } else {
            break;
        }
    }
    if (!expect(p, T_LBRACE, labels.n ? "'{' to open the block"
                                      : "'=' or '{' after the name"))
        goto done;
    if (!enter(p, name.pos)) goto done;
    b->body = parse_body(p, true);
    p->depth--;
    if (!b->body) goto done;
    if (!expect(p, T_RBRACE, "'}' to close the block")) goto done;
    b->end = clamp32(p->off);
    const tok *end = peek(p);
    if (end->kind != T_NL && end->kind != T_EOF && end->kind != T_RBRACE) {
        unexpected(p, end, "a newline after the block");
        goto done;
    }
    gd_str **lv = (gd_str **)pv_finish(p, &labels, &b->nlabels);
    if (b->nlabels) {
        b->labels = palloc(p, b->nlabels * sizeof(gd_str));
        if (!b->labels) goto done;
        for (uint32_t i = 0; i < b->nlabels; i++) b->labels[i] = *lv[i];
    }
    ok = pv_push(p, blocks, b);
done:
    gdi_free(p->ctx, labels.v);
    return ok;
}

static hcl_body *parse_body(parser *p, bool nested)
{
    int saved = p->nlskip;
    p->nlskip = 0;
    p->have = false;
    pvec attrs = {0}, blocks = {0};
    hcl_body *b = NULL;
    for (;;) {
        skip_nl(p);
        const tok *t = peek(p);
        if (t->kind == T_EOF) {
            if (nested) unexpected(p, t, "'}' to close the block");
            break;
        }
        if (t->kind == T_RBRACE) {
            if (!nested) {
                unexpected(p, t, "an attribute or block name");
                p->have = false;
                continue;
            }
            break;
        }
        size_t at = t->pos;
        if (!parse_item(p, &attrs, &blocks)) {
            if (fatal(p)) goto done;
            recover(p, p->err_off > at ? p->err_off : at);
        }
    }
    b = palloc(p, sizeof *b);
    if (!b) goto done;
    hcl_attr **av = (hcl_attr **)pv_finish(p, &attrs, &b->nattrs);
    if (b->nattrs) {
        b->attrs = palloc(p, b->nattrs * sizeof(hcl_attr));
        if (!b->attrs) goto done;
        for (uint32_t i = 0; i < b->nattrs; i++) b->attrs[i] = *av[i];
    }
    b->blocks = (hcl_block **)pv_finish(p, &blocks, &b->nblocks);
done:
    gdi_free(p->ctx, attrs.v);
    gdi_free(p->ctx, blocks.v);
    p->nlskip = saved;
    return fatal(p) ? NULL : b;
}

static void parser_init(parser *p, gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                        const char *text, size_t len)
{
    memset(p, 0, sizeof *p);
    p->ctx = ctx;
    p->ar = arena;
    p->name = name;
    p->file = file;
    p->src = text;
    p->len = len;
    p->max_depth = (uint32_t)(gdi_limit(ctx, GD_LIMIT_DEPTH) > 100000
                                  ? 100000
                                  : gdi_limit(ctx, GD_LIMIT_DEPTH));
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) p->off = 3;
}

gd_status gdi_hcl_parse(gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                        const char *text, size_t len, hcl_body **out)
{
    parser p;
    parser_init(&p, ctx, arena, name, file, text, len);
    *out = NULL;
    hcl_body *b = parse_body(&p, false);
    if (p.st != GD_OK) return p.st;
    *out = b;
    return b ? GD_OK : GD_NOMEM;
}

gd_status gdi_hcl_parse_expr(gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                             const char *text, size_t len, hcl_expr **out)
{
    parser p;
    parser_init(&p, ctx, arena, name, file, text, len);
    p.nlskip = 1;
    *out = NULL;
    hcl_expr *e = parse_expr(&p);
    if (e && p.st == GD_OK && peek(&p)->kind != T_EOF) unexpected(&p, peek(&p), "end of input");
    if (p.st != GD_OK) return p.st;
    *out = e;
    return e ? GD_OK : GD_NOMEM;
}

gd_status gdi_hcl_parse_template(gd_ctx *ctx, gdi_arena *arena, const char *name, uint32_t file,
                                 const char *src, size_t srclen, uint32_t pos0, hcl_expr **out)
{
    parser p;
    parser_init(&p, ctx, arena, name, file, src, srclen);
    p.off = 0;
    tplmode m = {.raw = true, .end = srclen};
    *out = NULL;
    hcl_expr *e = parse_template_body(&p, &m, 0);
    if (p.st != GD_OK) return p.st;
    if (!e) return GD_NOMEM;
    e->pos = pos0;
    *out = e;
    return GD_OK;
}

const hcl_attr *gdi_hcl_body_attr(const hcl_body *b, const char *name)
{
    if (!b) return NULL;
    for (uint32_t i = 0; i < b->nattrs; i++)
        if (gd_str_eqc(b->attrs[i].name, name)) return &b->attrs[i];
    return NULL;
}
