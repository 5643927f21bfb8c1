/*
 * lexer.c — tokens of the check language.
 *
 * A hand-written scanner over the expression bytes (not NUL-terminated).
 * Strings are decoded into the compile arena (escapes \" \' \\ \/ \n \t \r
 * \uXXXX, with surrogate pairs); numbers are converted here so the parser
 * only sees values. `#` starts a comment that runs to the end of the line.
 * Every token carries its byte span; errors are reported at the offending
 * byte and the lexer goes on, so the parser can still report later errors.
 */
#include "lang.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *const gdi_tok_names[GDI_T__COUNT] = {
#define GDI_X_T(name, desc) desc,
    GDI_TOK_LIST(GDI_X_T)
#undef GDI_X_T
};

void gdi_lang_pos_src(const gdi_srcmap *map, const char *src, size_t len, uint32_t off,
                      uint32_t *line, uint32_t *col)
{
    uint32_t rl = 1, rc = 1;
    if (off > len) off = (uint32_t)len;
    for (uint32_t i = 0; i < off; i++) {
        if (src[i] == '\n') {
            rl++;
            rc = 1;
        } else {
            rc++;
        }
    }
    uint32_t line0 = map && map->line0 ? map->line0 : 1;
    uint32_t col0 = map && map->col0 ? map->col0 : 1;
    uint32_t indent = map ? map->indent : 0;
    *line = line0 + (rl - 1);
    *col = rl == 1 ? col0 + rc - 1 : indent + rc;
}

void gdi_lang_error(gdi_lang_cc *cc, uint32_t off, const char *fmt, ...)
{
    uint32_t line, col;
    gdi_lang_pos_src(cc->map, cc->src, cc->len, off, &line, &col);
    const char *file = cc->map && cc->map->file ? cc->map->file : "<check>";
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gdi_err(cc->ctx, GD_SYNTAX, file, line, col, "%s", msg);
    cc->nerrors++;
}

static bool is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_ident(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}
static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at s[i..i+4), or -1. */
static long hex4(const char *s, uint32_t i, uint32_t len)
{
    if (i + 4 > len) return -1;
    long v = 0;
    for (uint32_t k = 0; k < 4; k++) {
        int h = hexval((unsigned char)s[i + k]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Scan a quoted string starting at cc->lexpos (the quote). */
static void lex_string(gdi_lang_cc *cc, gdi_token *t)
{
    const char *s = cc->src;
    uint32_t len = cc->len, start = cc->lexpos, i = start + 1;
    char q = s[start];
    /* decoded text is never longer than the source text */
    char *out = gdi_arena_alloc(cc->arena, (size_t)(len - start) + 1);
    if (!out) {
        cc->nomem = true;
        t->t = GDI_T_ERROR;
        cc->lexpos = len;
        return;
    }
    size_t o = 0;
    bool bad = false;
    for (;;) {
        if (i >= len || s[i] == '\n') {
            gdi_lang_error(cc, start, "unterminated string");
            t->t = GDI_T_ERROR;
            cc->lexpos = i;
            t->end = i;
            return;
        }
        char c = s[i];
        if (c == q) {
            i++;
            break;
        }
        if (c != '\\') {
            out[o++] = c;
            i++;
            continue;
        }
        if (i + 1 >= len) {
            i++;
            continue; /* reported as unterminated above on the next turn */
        }
        char e = s[i + 1];
        switch (e) {
        case '"': out[o++] = '"'; i += 2; continue;
        case '\'': out[o++] = '\''; i += 2; continue;
        case '\\': out[o++] = '\\'; i += 2; continue;
        case '/': out[o++] = '/'; i += 2; continue;
        case 'n': out[o++] = '\n'; i += 2; continue;
        case 't': out[o++] = '\t'; i += 2; continue;
        case 'r': out[o++] = '\r'; i += 2; continue;
        case 'u': {
            long cp = hex4(s, i + 2, len);
            uint32_t used = 6;
            if (cp < 0) {
                gdi_lang_error(cc, i, "bad \\u escape: expected four hex digits");
                bad = true;
                i += 2;
                continue;
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                long lo = (i + 7 < len && s[i + 6] == '\\' && s[i + 7] == 'u')
                              ? hex4(s, i + 8, len)
                              : -1;
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    used = 12;
                } else {
                    gdi_lang_error(cc, i, "bad \\u escape: unpaired surrogate");
                    bad = true;
                    i += used;
                    continue;
                }
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                gdi_lang_error(cc, i, "bad \\u escape: unpaired surrogate");
                bad = true;
                i += used;
                continue;
            }
            /* a \u escape decodes to at most 4 bytes from 6 source bytes */
            o += put_utf8(out + o, (unsigned long)cp);
            i += used;
            continue;
        }
        default:
            gdi_lang_error(cc, i, "unknown escape '\\%c' in string", e);
            bad = true;
            i += 2;
            continue;
        }
    }
    out[o] = 0;
    cc->lexpos = i;
    t->end = i;
    t->t = bad ? GDI_T_ERROR : GDI_T_STR;
    t->text = (gd_str){out, o};
}

static void lex_number(gdi_lang_cc *cc, gdi_token *t)
{
    const char *s = cc->src;
    uint32_t len = cc->len, i = cc->lexpos;
    bool integral = true;
    while (i < len && is_digit((unsigned char)s[i])) i++;
    if (i + 1 < len && s[i] == '.' && is_digit((unsigned char)s[i + 1])) {
        integral = false;
        i++;
        while (i < len && is_digit((unsigned char)s[i])) i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        uint32_t j = i + 1;
        if (j < len && (s[j] == '+' || s[j] == '-')) j++;
        if (j < len && is_digit((unsigned char)s[j])) {
            integral = false;
            i = j;
            while (i < len && is_digit((unsigned char)s[i])) i++;
        }
    }
    t->t = GDI_T_NUM;
    t->text = (gd_str){s + cc->lexpos, i - cc->lexpos};
    int64_t iv;
    if (integral && gdi_numtext_i64(t->text.p, t->text.n, &iv)) {
        t->num = gdi_v_int(iv);
    } else {
        double d = gdi_numtext_f64(t->text.p, t->text.n);
        if (!isfinite(d)) {
            gdi_lang_error(cc, cc->lexpos, "number out of range");
            t->t = GDI_T_ERROR;
        }
        t->num = gdi_v_dbl(d);
    }
    if (i < len && is_ident_start((unsigned char)s[i])) {
        gdi_lang_error(cc, i, "unexpected '%c' after a number", s[i]);
        t->t = GDI_T_ERROR;
        while (i < len && is_ident((unsigned char)s[i])) i++;
    }
    cc->lexpos = i;
    t->end = i;
}

static const struct {
    const char *word;
    gdi_tok t;
} keywords[] = {
    {"and", GDI_T_AND},   {"or", GDI_T_OR},         {"not", GDI_T_NOT},
    {"in", GDI_T_IN},     {"let", GDI_T_LET},       {"true", GDI_T_TRUE},
    {"false", GDI_T_FALSE}, {"null", GDI_T_NULL},
};

static void lex_one(gdi_lang_cc *cc, gdi_token *t)
{
    const char *s = cc->src;
    uint32_t len = cc->len;
    uint32_t i = cc->lexpos;
    memset(t, 0, sizeof *t);
    for (;;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        if (i < len && s[i] == '#') {
            while (i < len && s[i] != '\n') i++;
            continue;
        }
        break;
    }
    cc->lexpos = i;
    t->pos = i;
    if (i >= len) {
        t->t = GDI_T_EOF;
        t->end = i;
        return;
    }
    unsigned char c = (unsigned char)s[i];
    if (is_ident_start(c)) {
        uint32_t j = i;
        while (j < len && is_ident((unsigned char)s[j])) j++;
        t->text = (gd_str){s + i, j - i};
        t->t = GDI_T_IDENT;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (gd_str_eqc(t->text, keywords[k].word)) t->t = keywords[k].t;
        cc->lexpos = j;
        t->end = j;
        return;
    }
    if (is_digit(c)) {
        lex_number(cc, t);
        return;
    }
    if (c == '"' || c == '\'') {
        lex_string(cc, t);
        return;
    }
    char n1 = i + 1 < len ? s[i + 1] : 0;
    uint32_t w = 1;
    switch (c) {
    case '(': t->t = GDI_T_LPAREN; break;
    case ')': t->t = GDI_T_RPAREN; break;
    case '[': t->t = GDI_T_LBRACK; break;
    case ']': t->t = GDI_T_RBRACK; break;
    case '{': t->t = GDI_T_LBRACE; break;
    case '}': t->t = GDI_T_RBRACE; break;
    case ',': t->t = GDI_T_COMMA; break;
    case '.': t->t = GDI_T_DOT; break;
    case ':': t->t = GDI_T_COLON; break;
    case ';': t->t = GDI_T_SEMI; break;
    case '+': t->t = GDI_T_PLUS; break;
    case '-': t->t = GDI_T_MINUS; break;
    case '*': t->t = GDI_T_STAR; break;
    case '/': t->t = GDI_T_SLASH; break;
    case '%': t->t = GDI_T_PERCENT; break;
    case '?':
        if (n1 == '?') {
            t->t = GDI_T_QQ;
            w = 2;
        } else {
            gdi_lang_error(cc, i, "unexpected '?' (did you mean '?\?')");
            t->t = GDI_T_ERROR;
        }
        break;
    case '=':
        if (n1 == '=') {
            t->t = GDI_T_EQ;
            w = 2;
        } else if (n1 == '>') {
            t->t = GDI_T_ARROW;
            w = 2;
        } else {
            t->t = GDI_T_ASSIGN;
        }
        break;
    case '!':
        if (n1 == '=') {
            t->t = GDI_T_NE;
            w = 2;
        } else {
            gdi_lang_error(cc, i, "unexpected '!' (write 'not')");
            t->t = GDI_T_ERROR;
        }
        break;
    case '<':
        if (n1 == '=') {
            t->t = GDI_T_LE;
            w = 2;
        } else {
            t->t = GDI_T_LT;
        }
        break;
    case '>':
        if (n1 == '=') {
            t->t = GDI_T_GE;
            w = 2;
        } else {
            t->t = GDI_T_GT;
        }
        break;
    case '&':
        gdi_lang_error(cc, i, "unexpected '&' (write 'and')");
        t->t = GDI_T_ERROR;
        if (n1 == '&') w = 2;
        break;
    case '|':
        gdi_lang_error(cc, i, "unexpected '|' (write 'or')");
        t->t = GDI_T_ERROR;
        if (n1 == '|') w = 2;
        break;
    default:
        if (c >= 0x20 && c < 0x7f)
            gdi_lang_error(cc, i, "unexpected character '%c'", c);
        else
            gdi_lang_error(cc, i, "unexpected byte 0x%02x", c);
        t->t = GDI_T_ERROR;
        /* skip a whole UTF-8 sequence */
        while (i + w < len && ((unsigned char)s[i + w] & 0xc0) == 0x80) w++;
        break;
    }
    cc->lexpos = i + w;
    t->end = i + w;
}

void gdi_lex_next(gdi_lang_cc *cc)
{
    cc->prev_end = cc->tok.end;
    if (cc->has_peek) {
        cc->tok = cc->peek;
        cc->has_peek = false;
        return;
    }
    lex_one(cc, &cc->tok);
}

const gdi_token *gdi_lex_peek(gdi_lang_cc *cc)
{
    if (!cc->has_peek) {
        lex_one(cc, &cc->peek);
        cc->has_peek = true;
    }
    return &cc->peek;
}
