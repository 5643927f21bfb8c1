/*
 * json.c — the strict RFC 8259 JSON reader and the structural skippers the
 * streaming readers use to cut large inputs into values.
 *
 * gdi_json_parse turns a byte range into the flat node tape of doc.h in one
 * forward pass. It never recurses on nesting: open containers live on an
 * explicit stack (a small array on the C stack, moved into the doc arena
 * when nesting gets deeper), bounded by GD_LIMIT_DEPTH. Strings without
 * escapes point into the source; strings with escapes are decoded into the
 * doc arena (GDI_NF_DECODED). Numbers keep their source text and are never
 * converted here. The node array grows geometrically and is kept across
 * gdi_doc_reset, so a warmed-up doc parses without allocating unless it
 * meets escaped strings, very deep nesting or objects of more than 64
 * members (all of which take bump memory from the arena only).
 *
 * Strictness: one value per text (trailing whitespace allowed), a leading
 * UTF-8 BOM (EF BB BF) skipped; no comments, trailing commas, single quotes,
 * leading zeros, '+' signs, NaN or Infinity; control characters in strings
 * must be escaped; strings must be valid UTF-8 (no overlongs, no encoded
 * surrogates, nothing above U+10FFFF, no truncated sequences); \u escapes
 * decode surrogate pairs and reject lone surrogates.
 *
 * Positions: node pos and error columns are byte offsets into the text as
 * given (a BOM counts: the first value after a BOM is at column 4).
 *
 * Errors: the first error stops the parse; exactly one diagnostic
 * "name:line:col: message" is added (line shifted by d->line_base - 1) and
 * the doc is left empty (n == 0). Status GD_SYNTAX for malformed input,
 * GD_LIMIT for --max-depth, --max-string and the 2^32-2 node ceiling,
 * GD_NOMEM when memory runs out, GD_MISUSE for a non-empty doc.
 *
 * Duplicate keys (the documented rule): every member stays on the tape in
 * source order; the object node gets GDI_NF_DUPKEY, and gdi_obj_get, which
 * sees the flag, returns the LAST value for the key (as JSON.parse does).
 * Detection is exact but cheap: while an object has at most DUP_WALK_MAX
 * members, a 6-bit hash of each key (length, first, middle and last byte)
 * is set in a 64-bit bitmap kept in a register for the open object; only
 * when the bit is already set are the earlier keys of the object compared
 * (length first, then bytes). On Terraform state about one key in twenty
 * hits a set bit and the walk averages under half a member per key, so the
 * check costs a few percent. Keys past DUP_WALK_MAX are checked once, when
 * the object closes, with an open-addressing table in the doc arena, so
 * huge objects stay linear. Keys compare on their decoded bytes ("a" and
 * "\u0061" are the same key).
 *
 * Fast paths: strings are scanned 16 bytes at a time with SSE2 (8 with a
 * portable SWAR fallback; define GDI_JSON_NO_SIMD to force it, and also
 * GDI_JSON_NO_SIMD_SWAR for plain byte loops) for the first
 * byte that is '"', '\\', a control character or non-ASCII; only those
 * bytes take the slow path. Indentation runs are skipped the same way. The
 * structural skippers work on 64-byte blocks of bit masks (skip_container).
 * Measured on pretty-printed Terraform state (bench/json_speed.c, one core,
 * -O2): about 2 GB/s for the full parse, 4 GB/s for the skippers.
 *
 * Streaming helpers (no tape, structure only; declared in doc.h):
 *
 *   gd_status gdi_json_extent(const char *text, size_t len,
 *                             size_t *start, size_t *end);
 *   gd_status gdi_json_array_next(const char *text, size_t len, bool first,
 *                                 size_t *start, size_t *end);
 *   gd_status gdi_json_object_next(const char *text, size_t len, bool first,
 *                                  size_t *key_start, size_t *key_end,
 *                                  size_t *val_start, size_t *val_end);
 *
 * See the contract comment of each function below.
 */
#include "doc.h"

#include <stdio.h>

/* Streaming helpers; the prototypes belong in doc.h (see the file comment). */
gd_status gdi_json_array_next(const char *text, size_t len, bool first, size_t *start,
                              size_t *end);
gd_status gdi_json_object_next(const char *text, size_t len, bool first, size_t *key_start,
                               size_t *key_end, size_t *val_start, size_t *val_end);

#if defined(__SSE2__) && !defined(GDI_JSON_NO_SIMD)
#include <emmintrin.h>
#define JSON_SSE2 1
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ &&                     \
    !defined(GDI_JSON_NO_SIMD_SWAR)
#define JSON_SWAR 1
#endif

#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

typedef unsigned char uchar;

enum {
    STACK_LOCAL = 64,  /* open containers kept on the C stack before moving to the arena */
    DUP_WALK_MAX = 64, /* members checked with the bitmap; larger objects are checked at close */
};

/* ----------------------------------------------------------- byte scans */

#if defined(JSON_SWAR)
#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGH 0x8080808080808080ull
/* High bit set in each byte of x equal to c (exact for the lowest hit). */
static inline uint64_t swar_eq(uint64_t x, uint64_t c)
{
    uint64_t y = x ^ (c * SWAR_ONES);
    return (y - SWAR_ONES) & ~y & SWAR_HIGH;
}
#endif

static inline bool str_special(uchar c)
{
    return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

/* First byte at or after p that is '"', '\\', below 0x20 or above 0x7f;
 * end when there is none. */
static inline const uchar *find_special(const uchar *p, const uchar *end)
{
#if defined(JSON_SSE2)
    const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), sp = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        /* signed compare: bytes >= 0x80 are negative, so "< 0x20" also
         * catches every non-ASCII byte */
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)),
                                 _mm_cmplt_epi8(v, sp));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask) return p + __builtin_ctz(mask);
        p += 16;
    }
#elif defined(JSON_SWAR)
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        uint64_t m = swar_eq(x, '"') | swar_eq(x, '\\') | (x & SWAR_HIGH) |
                     ((x - 0x20 * SWAR_ONES) & ~x & SWAR_HIGH);
        if (m) return p + (__builtin_ctzll(m) >> 3);
        p += 8;
    }
#endif
    while (p < end && !str_special(*p)) p++;
    return p;
}

/* First '"' or '\\' at or after p; end when there is none. */
static inline const uchar *find_quote_bs(const uchar *p, const uchar *end)
{
#if defined(JSON_SSE2)
    const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)));
        if (mask) return p + __builtin_ctz(mask);
        p += 16;
    }
#elif defined(JSON_SWAR)
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        uint64_t m = swar_eq(x, '"') | swar_eq(x, '\\');
        if (m) return p + (__builtin_ctzll(m) >> 3);
        p += 8;
    }
#endif
    while (p < end && *p != '"' && *p != '\\') p++;
    return p;
}

/* Population count without the popcnt instruction (not in baseline x86-64,
 * and __builtin_popcountll then becomes a slow library call). */
static inline uint64_t popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (x * 0x0101010101010101ull) >> 56;
}

static inline bool is_ws(uchar c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static const uchar *skip_ws_slow(const uchar *p, const uchar *end)
{
#if defined(JSON_SSE2)
    const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                  tb = _mm_set1_epi8('\t');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i w = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, nl)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, tb)));
        unsigned mask = ~(unsigned)_mm_movemask_epi8(w) & 0xFFFFu;
        if (mask) return p + __builtin_ctz(mask);
        p += 16;
    }
#elif defined(JSON_SWAR)
    while (end - p >= 8) { /* runs of indentation, 8 spaces at a time */
        uint64_t x;
        memcpy(&x, p, 8);
        if (x != 0x2020202020202020ull) break;
        p += 8;
    }
#endif
    while (p < end && is_ws(*p)) p++;
    return p;
}

/* Skip JSON whitespace; the common cases inline: none, one space, and (for
 * pretty-printed input) a newline and indentation ending within 16 bytes. */
static inline const uchar *skip_ws(const uchar *p, const uchar *end)
{
    if (LIKELY(p < end && *p > ' ')) return p;
    if (p + 1 < end && *p == ' ' && p[1] > ' ') return p + 1;
#if defined(JSON_SSE2)
    if (LIKELY(end - p >= 16)) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i w = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
        unsigned mask = ~(unsigned)_mm_movemask_epi8(w) & 0xFFFFu;
        if (LIKELY(mask)) return p + __builtin_ctz(mask);
    }
#endif
    return skip_ws_slow(p, end);
}

/* ------------------------------------------------------------- the parser */

/* Saved state of an open container while a deeper one is being read. */
typedef struct jframe {
    uint32_t idx;      /* tape index of the container node */
    uint32_t count;    /* elements / members so far */
    uint64_t bloom;    /* object: bitmap of key hashes (duplicate detection) */
} jframe;

/* Everything the slow paths need to report an error. */
typedef struct jparser {
    gdi_doc *d;           /* the doc being built */
    const uchar *text;    /* start of the text (offsets and line:col count from here) */
    const uchar *end;     /* one past the last byte */
    uint64_t max_string;  /* GD_LIMIT_STRING, at most UINT32_MAX (node len is 32-bit) */
} jparser;

static gd_status jfail(jparser *jp, gd_status st, const uchar *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record the parse's single diagnostic at byte at and return st. */
static gd_status jfail(jparser *jp, gd_status st, const uchar *at, const char *fmt, ...)
{
    uint32_t line, col;
    size_t off = (size_t)(at - jp->text);
    gdi_line_col((const char *)jp->text, (size_t)(jp->end - jp->text), off, &line, &col);
    uint32_t base = jp->d->line_base ? jp->d->line_base : 1;
    line += base - 1;
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(jp->d->ctx, GD_DIAG_ERROR, jp->d->name, line, col, fmt, ap);
    va_end(ap);
    return st;
}

/* Report an unexpected byte at p (or the end of input) where what was
 * expected; where names the open container ("object", "array") or is NULL. */
static gd_status junexpected(jparser *jp, const uchar *p, const char *what, const char *where)
{
    if (p >= jp->end) {
        if (where) return jfail(jp, GD_SYNTAX, p, "unexpected end of input in %s", where);
        return jfail(jp, GD_SYNTAX, p, "unexpected end of input");
    }
    if (*p == '/') return jfail(jp, GD_SYNTAX, p, "comments are not allowed");
    return jfail(jp, GD_SYNTAX, p, "%s", what);
}

/* Check the UTF-8 sequence whose lead byte (>= 0x80) is at p. Returns its
 * length (2..4), or 0 after reporting the error. */
static unsigned utf8_seq(jparser *jp, const uchar *p)
{
    uchar c = p[0];
    size_t left = (size_t)(jp->end - p);
    unsigned n;
    uchar lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c < 0xC2) {
        return c >= 0xC0 ? (jfail(jp, GD_SYNTAX, p, "overlong UTF-8 sequence in string"), 0)
                         : (jfail(jp, GD_SYNTAX, p, "invalid UTF-8 byte 0x%02x in string", c), 0);
    } else if (c < 0xE0) {
        n = 2;
    } else if (c < 0xF0) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c < 0xF5) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        jfail(jp, GD_SYNTAX, p, "invalid UTF-8 byte 0x%02x in string", c);
        return 0;
    }
    for (unsigned i = 1; i < n; i++) {
        if (i >= left || (p[i] & 0xC0) != 0x80) {
            jfail(jp, GD_SYNTAX, p, "truncated UTF-8 sequence in string");
            return 0;
        }
    }
    if (p[1] < lo || p[1] > hi) {
        if (c == 0xED)
            jfail(jp, GD_SYNTAX, p, "UTF-8 encoded surrogate in string");
        else if (c == 0xF4)
            jfail(jp, GD_SYNTAX, p, "UTF-8 sequence above U+10FFFF in string");
        else
            jfail(jp, GD_SYNTAX, p, "overlong UTF-8 sequence in string");
        return 0;
    }
    return n;
}

/* Length of the common valid sequences (2-byte, and 3-byte outside the
 * E0/ED special ranges, which covers CJK) at p, or 0 to take utf8_seq. */
static inline unsigned utf8_fast(const uchar *p, const uchar *end)
{
    uchar c = p[0];
    if (c >= 0xC2 && c <= 0xDF && end - p >= 2 && (p[1] & 0xC0) == 0x80) return 2;
    if (c >= 0xE1 && c <= 0xEF && c != 0xED && end - p >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80)
        return 3;
    return 0;
}

static inline int hexval(uchar c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Four hex digits at p (p + 4 <= end checked by the caller); -1 if not. */
static inline long hex4(const uchar *p)
{
    int a = hexval(p[0]), b = hexval(p[1]), c = hexval(p[2]), e = hexval(p[3]);
    if ((a | b | c | e) < 0) return -1;
    return (long)((a << 12) | (b << 8) | (c << 4) | e);
}

/* Report a bad \u escape at bs (the backslash). */
static gd_status bad_u_escape(jparser *jp, const uchar *bs)
{
    for (const uchar *h = bs + 2; h < bs + 6; h++) {
        if (h >= jp->end)
            return jfail(jp, GD_SYNTAX, jp->end, "unexpected end of input in string");
        if (hexval(*h) < 0) break;
    }
    return jfail(jp, GD_SYNTAX, bs, "invalid \\u escape: expected four hex digits");
}

/* Decode (out != NULL) or only validate (out == NULL) string content from
 * p, which is inside a string, up to its closing quote. On success *pp is
 * the closing quote and *outlen the decoded length. */
static gd_status decode_string(jparser *jp, const uchar **pp, uchar *out, size_t *outlen)
{
    const uchar *p = *pp, *end = jp->end;
    uchar *o = out;
    size_t olen = 0;
    for (;;) {
        const uchar *t = find_special(p, end);
        if (o && t > p) memcpy(o + olen, p, (size_t)(t - p));
        olen += (size_t)(t - p);
        p = t;
        if (p == end) return jfail(jp, GD_SYNTAX, end, "unexpected end of input in string");
        uchar c = *p;
        if (c == '"') break;
        if (c >= 0x80) {
            unsigned k = utf8_seq(jp, p);
            if (!k) return GD_SYNTAX;
            if (o) memcpy(o + olen, p, k);
            olen += k;
            p += k;
            continue;
        }
        if (c != '\\')
            return jfail(jp, GD_SYNTAX, p, "unescaped control character 0x%02x in string", c);
        if (p + 1 >= end) return jfail(jp, GD_SYNTAX, end, "unexpected end of input in string");
        uchar e = p[1], ch;
        switch (e) {
        case '"': ch = '"'; break;
        case '\\': ch = '\\'; break;
        case '/': ch = '/'; break;
        case 'b': ch = '\b'; break;
        case 'f': ch = '\f'; break;
        case 'n': ch = '\n'; break;
        case 'r': ch = '\r'; break;
        case 't': ch = '\t'; break;
        case 'u': {
            if (end - p < 6) return bad_u_escape(jp, p);
            long cp = hex4(p + 2);
            if (cp < 0) return bad_u_escape(jp, p);
            const uchar *bs = p;
            p += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return jfail(jp, GD_SYNTAX, bs, "lone surrogate '\\u%04lx' in string",
                             (unsigned long)cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = -1;
                if (end - p >= 6 && p[0] == '\\' && p[1] == 'u') lo = hex4(p + 2);
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return jfail(jp, GD_SYNTAX, bs, "lone surrogate '\\u%04lx' in string",
                                 (unsigned long)cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            uchar u[4];
            unsigned k;
            if (cp < 0x80) {
                u[0] = (uchar)cp;
                k = 1;
            } else if (cp < 0x800) {
                u[0] = (uchar)(0xC0 | (cp >> 6));
                u[1] = (uchar)(0x80 | (cp & 0x3F));
                k = 2;
            } else if (cp < 0x10000) {
                u[0] = (uchar)(0xE0 | (cp >> 12));
                u[1] = (uchar)(0x80 | ((cp >> 6) & 0x3F));
                u[2] = (uchar)(0x80 | (cp & 0x3F));
                k = 3;
            } else {
                u[0] = (uchar)(0xF0 | (cp >> 18));
                u[1] = (uchar)(0x80 | ((cp >> 12) & 0x3F));
                u[2] = (uchar)(0x80 | ((cp >> 6) & 0x3F));
                u[3] = (uchar)(0x80 | (cp & 0x3F));
                k = 4;
            }
            if (o) memcpy(o + olen, u, k);
            olen += k;
            continue;
        }
        default:
            if (e > 0x20 && e < 0x7f) return jfail(jp, GD_SYNTAX, p, "invalid escape '\\%c'", e);
            return jfail(jp, GD_SYNTAX, p, "invalid escape: '\\' followed by byte 0x%02x", e);
        }
        if (o) o[olen] = ch;
        olen++;
        p += 2;
    }
    *pp = p;
    *outlen = olen;
    return GD_OK;
}

/* Slow path of scan_string: the string starting after the quote at s has a
 * backslash at q. Decode it into the arena. */
static gd_status scan_escaped(jparser *jp, const uchar *s, const uchar *q, const uchar **pp,
                              const char **str, size_t *len)
{
    const uchar *end = jp->end;
    /* find the closing quote first to size the output (decoding never grows) */
    const uchar *r = q;
    for (;;) {
        r = find_quote_bs(r, end);
        if (r == end || *r == '"') break;
        r += 2;
        if (r >= end) {
            r = end;
            break;
        }
    }
    if (r == end) { /* unterminated: validate to report the first error */
        const uchar *v = q;
        size_t dummy;
        gd_status st = decode_string(jp, &v, NULL, &dummy);
        return st ? st : jfail(jp, GD_SYNTAX, end, "unexpected end of input in string");
    }
    size_t raw = (size_t)(r - s);
    uchar *buf = gdi_arena_alloc(&jp->d->arena, raw ? raw : 1);
    if (!buf) return jfail(jp, GD_NOMEM, s - 1, "out of memory decoding a string");
    size_t pre = (size_t)(q - s), olen = 0;
    memcpy(buf, s, pre);
    const uchar *p = q;
    gd_status st = decode_string(jp, &p, buf + pre, &olen);
    if (st) return st;
    *str = (const char *)buf;
    *len = pre + olen;
    *pp = p + 1;
    return GD_OK;
}

/* Scan the string whose opening quote is at *pp. On success *pp is past the
 * closing quote and str/len/flags describe the value. */
static inline __attribute__((always_inline)) gd_status scan_string(jparser *jp, const uchar **pp, const char **str,
                                    uint32_t *len, uint8_t *flags)
{
    const uchar *s = *pp + 1, *q = s, *end = jp->end;
    size_t n = 0;
    for (;;) {
        q = find_special(q, end);
        if (UNLIKELY(q == end))
            return jfail(jp, GD_SYNTAX, end, "unexpected end of input in string");
        uchar c = *q;
        if (LIKELY(c == '"')) {
            *str = (const char *)s;
            n = (size_t)(q - s);
            *flags = 0;
            *pp = q + 1;
            break;
        }
        if (c >= 0x80) {
            unsigned k;
            while (q < end && (k = utf8_fast(q, end)) != 0) q += k; /* non-ASCII text */
            if (q < end && *q >= 0x80) {
                if (!(k = utf8_seq(jp, q))) return GD_SYNTAX;
                q += k;
            }
            continue;
        }
        if (c == '\\') {
            gd_status st = scan_escaped(jp, s, q, pp, str, &n);
            if (st) return st;
            *flags = GDI_NF_DECODED;
            break;
        }
        return jfail(jp, GD_SYNTAX, q, "unescaped control character 0x%02x in string", c);
    }
    if (UNLIKELY(n > jp->max_string))
        return jfail(jp, GD_LIMIT, s - 1, "string longer than %llu bytes (--max-string)",
                     (unsigned long long)jp->max_string);
    *len = (uint32_t)n;
    return GD_OK;
}

/* Scan the number starting at *pp (a '-' or a digit). */
static inline gd_status scan_number(jparser *jp, const uchar **pp, uint32_t *len, uint8_t *flags)
{
    const uchar *s = *pp, *p = s, *end = jp->end;
    uint8_t f = GDI_NF_INTEGER;
    if (*p == '-') {
        f |= GDI_NF_NEGATIVE;
        p++;
        if (p == end || (unsigned)(*p - '0') > 9) {
            if (p < end && (*p == 'I' || *p == 'i'))
                return jfail(jp, GD_SYNTAX, s, "NaN and Infinity are not allowed");
            return jfail(jp, GD_SYNTAX, p, "expected a digit after '-'");
        }
    }
    if (*p == '0') {
        p++;
        if (p < end && (unsigned)(*p - '0') <= 9)
            return jfail(jp, GD_SYNTAX, p - 1, "leading zeros are not allowed");
    } else {
        while (p < end && (unsigned)(*p - '0') <= 9) p++;
    }
    if (p < end && *p == '.') {
        f &= (uint8_t)~GDI_NF_INTEGER;
        p++;
        if (p == end || (unsigned)(*p - '0') > 9)
            return jfail(jp, GD_SYNTAX, p, "expected a digit after '.'");
        while (p < end && (unsigned)(*p - '0') <= 9) p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        f &= (uint8_t)~GDI_NF_INTEGER;
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p == end || (unsigned)(*p - '0') > 9)
            return jfail(jp, GD_SYNTAX, p, "expected a digit in the exponent");
        while (p < end && (unsigned)(*p - '0') <= 9) p++;
    }
    size_t n = (size_t)(p - s);
    if (UNLIKELY(n > UINT32_MAX))
        return jfail(jp, GD_LIMIT, s, "number longer than %u bytes", (unsigned)UINT32_MAX);
    *len = (uint32_t)n;
    *flags = f;
    *pp = p;
    return GD_OK;
}

/* Hash of all bytes of a key for the large-object table. The seed comes
 * from the table's address, so crafted keys cannot count on colliding. */
static uint64_t key_hash(const char *s, uint32_t n, uint64_t seed)
{
    uint64_t h = seed ^ ((uint64_t)n * 0x9E3779B97F4A7C15ull);
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    for (uint32_t k = 0; i < n; i++, k += 8) w |= (uint64_t)(uchar)s[i] << k;
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
}

/* Cheap, branch-free 6-bit hash for the per-object bitmap: length, first,
 * middle and last byte. s[0] is always readable (the closing quote of an
 * empty key, or a decoded byte: decoded strings are never empty). */
static inline unsigned key_hash6(const char *s, uint32_t n)
{
    uint32_t last = n - (n != 0);
    uint64_t v = (uint64_t)(uchar)s[0] | (uint64_t)(uchar)s[n >> 1] << 8 |
                 (uint64_t)(uchar)s[last] << 16 | (uint64_t)n << 24;
    return (unsigned)((v * 0x9E3779B97F4A7C15ull) >> 58);
}

static inline bool key_eq(const gdi_node *a, const char *s, uint32_t n)
{
    return a->len == n && gdi_bytes_eq(a->str, s, n);
}

/* Exact check of an object with many members, at close: open addressing
 * over all its keys. Sets GDI_NF_DUPKEY when two keys are equal. */
static gd_status dup_check_large(jparser *jp, gdi_node *nodes, uint32_t obj)
{
    uint32_t count = nodes[obj].len;
    size_t sz = 128;
    while (sz < (size_t)count * 2) sz *= 2;
    uint32_t *tab = gdi_arena_calloc(&jp->d->arena, sz * sizeof *tab);
    if (!tab) return GD_NOMEM;
    uint64_t seed = (uint64_t)(uintptr_t)tab;
    uint32_t k = obj + 1;
    for (uint32_t i = 0; i < count; i++) {
        const gdi_node *key = &nodes[k];
        size_t slot = (size_t)key_hash(key->str, key->len, seed) & (sz - 1);
        while (tab[slot]) {
            if (key_eq(&nodes[tab[slot]], key->str, key->len)) {
                nodes[obj].flags |= GDI_NF_DUPKEY;
                return GD_OK;
            }
            slot = (slot + 1) & (sz - 1);
        }
        tab[slot] = k; /* never 0: the root is not a key */
        k = k + 1 + nodes[k + 1].skip;
    }
    return GD_OK;
}

/* Make room for at least one more node; GD_LIMIT past 2^32-2 nodes. */
static gd_status grow_nodes(gdi_doc *d, size_t hint)
{
    if (d->cap >= UINT32_MAX - 1) return GD_LIMIT;
    uint64_t nc = d->cap ? (uint64_t)d->cap * 2 : (hint > 256 ? hint : 256);
    if (nc > UINT32_MAX - 1) nc = UINT32_MAX - 1;
    gdi_node *nn = gdi_realloc(d->ctx, d->nodes, (size_t)nc * sizeof *nn);
    if (!nn) return GD_NOMEM;
    d->nodes = nn;
    d->cap = (uint32_t)nc;
    return GD_OK;
}

static inline uint32_t pos32(const uchar *p, const uchar *text)
{
    size_t off = (size_t)(p - text);
    return off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
}

/* Parse text as one strict JSON value onto d's tape (contract in doc.h;
 * rules and error model at the top of this file). d must be empty; it is
 * left empty on error. text is borrowed and must outlive the doc's use. */
gd_status gdi_json_parse(gdi_doc *d, const char *text, size_t len)
{
    if (!d || !d->ctx || (!text && len)) return GD_MISUSE;
    if (d->n) return GD_MISUSE;
    if (!text) text = "";
    d->src = text;
    d->src_len = len;

    uint64_t max_string = gdi_limit(d->ctx, GD_LIMIT_STRING);
    jparser J = {d, (const uchar *)text, (const uchar *)text + len,
                 max_string < UINT32_MAX ? max_string : UINT32_MAX};
    jparser *jp = &J;
    const uchar *p = J.text, *end = J.end;
    const uint64_t max_depth = gdi_limit(d->ctx, GD_LIMIT_DEPTH);

    jframe local[STACK_LOCAL];
    jframe *stk = local;
    size_t stkcap = STACK_LOCAL;
    uint64_t depth = 0;       /* open containers */
    uint32_t cur = 0;         /* tape index of the innermost open container */
    uint32_t count = 0;       /* its elements / members so far */
    bool in_obj = false;      /* innermost container is an object */
    uint64_t bloom = 0;       /* its key-hash bitmap (a register: see DUP_WALK_MAX) */

    gdi_node *nodes = d->nodes;
    uint32_t n = 0, cap = d->cap;
    gd_status st = GD_OK;
    const size_t hint = len / 16 + 16;

#define WHERE (depth ? (in_obj ? "object" : "array") : NULL)
#define ENSURE_NODE()                                                                              \
    do {                                                                                           \
        if (UNLIKELY(n == cap)) {                                                                  \
            st = grow_nodes(d, hint);                                                              \
            if (st) {                                                                              \
                st = st == GD_LIMIT                                                                \
                         ? jfail(jp, GD_LIMIT, p, "more than %u values in one document",          \
                                 (unsigned)(UINT32_MAX - 1))                                       \
                         : jfail(jp, GD_NOMEM, p, "out of memory building the document");          \
                goto done;                                                                         \
            }                                                                                      \
            nodes = d->nodes;                                                                      \
            cap = d->cap;                                                                          \
        }                                                                                          \
    } while (0)

    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3;
    p = skip_ws(p, end);
    if (p == end) {
        st = jfail(jp, GD_SYNTAX, J.text, "empty input");
        goto done;
    }

value: /* p < end, at a non-whitespace byte where a value must start */
    ENSURE_NODE();
    if (*p == '"') { /* the most common value: tested before the jump table */
        const char *s = NULL;
        uint32_t sl = 0;
        uint8_t fl = 0;
        uint32_t at = pos32(p, J.text);
        if ((st = scan_string(jp, &p, &s, &sl, &fl))) goto done;
        nodes[n++] = (gdi_node){GDI_STRING, fl, 0, sl, 1, at, s};
        goto after_value;
    }
    switch (*p) {
    case '{':
    case '[': {
        if (UNLIKELY(depth >= max_depth)) {
            st = jfail(jp, GD_LIMIT, p, "nesting deeper than %llu (--max-depth)",
                       (unsigned long long)max_depth);
            goto done;
        }
        if (depth > 0) {
            if (UNLIKELY(depth - 1 == stkcap)) {
                size_t nc = stkcap * 4;
                if (nc > max_depth) nc = (size_t)max_depth;
                jframe *ns = gdi_arena_alloc(&d->arena, nc * sizeof *ns);
                if (!ns) {
                    st = jfail(jp, GD_NOMEM, p, "out of memory building the document");
                    goto done;
                }
                memcpy(ns, stk, stkcap * sizeof *ns);
                stk = ns;
                stkcap = nc;
            }
            jframe *f = &stk[depth - 1];
            f->idx = cur;
            f->count = count;
            f->bloom = bloom;
        }
        depth++;
        bool obj = *p == '{';
        cur = n;
        nodes[n++] = (gdi_node){obj ? GDI_OBJECT : GDI_ARRAY, 0, 0, 0, 1, pos32(p, J.text), NULL};
        count = 0;
        in_obj = obj;
        p = skip_ws(p + 1, end);
        if (p == end) {
            st = junexpected(jp, p, "", obj ? "object" : "array");
            goto done;
        }
        if (obj) {
            bloom = 0;
            if (*p == '}') goto close;
            goto key;
        }
        if (*p == ']') goto close;
        count = 1;
        goto value;
    }
    case 't':
        if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
            nodes[n++] = (gdi_node){GDI_TRUE, 0, 0, 0, 1, pos32(p, J.text), NULL};
            p += 4;
            goto after_value;
        }
        goto bad_literal;
    case 'f':
        if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
            nodes[n++] = (gdi_node){GDI_FALSE, 0, 0, 0, 1, pos32(p, J.text), NULL};
            p += 5;
            goto after_value;
        }
        goto bad_literal;
    case 'n':
        if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
            nodes[n++] = (gdi_node){GDI_NULL, 0, 0, 0, 1, pos32(p, J.text), NULL};
            p += 4;
            goto after_value;
        }
        goto bad_literal;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': {
        const uchar *s = p;
        uint32_t nl = 0;
        uint8_t fl = 0;
        if ((st = scan_number(jp, &p, &nl, &fl))) goto done;
        nodes[n++] = (gdi_node){GDI_NUMBER, fl, 0, nl, 1, pos32(s, J.text), (const char *)s};
        goto after_value;
    }
    case '\'':
        st = jfail(jp, GD_SYNTAX, p, "single-quoted strings are not allowed");
        goto done;
    case 'N':
    case 'I':
        st = jfail(jp, GD_SYNTAX, p, "NaN and Infinity are not allowed");
        goto done;
    case '+':
        st = jfail(jp, GD_SYNTAX, p, "numbers must not start with '+'");
        goto done;
    case '.':
        st = jfail(jp, GD_SYNTAX, p, "numbers must start with a digit");
        goto done;
    case ']':
    case '}':
        if (depth > 0 && !in_obj && *p == ']') /* only reachable after a ',' */
            st = jfail(jp, GD_SYNTAX, p, "trailing comma before ']'");
        else
            st = junexpected(jp, p, "expected a value", WHERE);
        goto done;
    default:
        st = junexpected(jp, p, "expected a value", WHERE);
        goto done;
    }

bad_literal: {
    const uchar *w = p;
    while (w < end && w - p < 16 && ((*w | 0x20) >= 'a' && (*w | 0x20) <= 'z')) w++;
    int wl = (int)(w - p);
    const char *want = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
    if (w == end && wl < (int)strlen(want) && memcmp(p, want, (size_t)wl) == 0)
        st = jfail(jp, GD_SYNTAX, end, "unexpected end of input in '%s'", want);
    else
        st = jfail(jp, GD_SYNTAX, p, "invalid literal '%.*s', expected '%s'", wl, (const char *)p,
                   want);
    goto done;
}

after_value: /* a value just ended at p */
    if (UNLIKELY(depth == 0)) goto finish;
    p = skip_ws(p, end);
    if (in_obj) {
        if (LIKELY(p < end && *p == ',')) {
            p = skip_ws(p + 1, end);
            goto key;
        }
        if (p < end && *p == '}') goto close;
        st = junexpected(jp, p, "expected ',' or '}' after object member", "object");
        goto done;
    }
    if (LIKELY(p < end && *p == ',')) {
        p = skip_ws(p + 1, end);
        if (UNLIKELY(p == end)) {
            st = junexpected(jp, p, "expected a value", WHERE);
            goto done;
        }
        count++;
        goto value;
    }
    if (p < end && *p == ']') goto close;
    st = junexpected(jp, p, "expected ',' or ']' after array element", "array");
    goto done;

key: /* inside an object, at (whitespace skipped) where a key must start */
    if (UNLIKELY(p == end || *p != '"')) {
        if (p < end && *p == '}')
            st = jfail(jp, GD_SYNTAX, p, "trailing comma before '}'");
        else if (p < end && *p == '\'')
            st = jfail(jp, GD_SYNTAX, p, "single-quoted strings are not allowed");
        else
            st = junexpected(jp, p, "expected '\"' to start an object key", "object");
        goto done;
    }
    {
        ENSURE_NODE();
        const char *s = NULL;
        uint32_t sl = 0;
        uint8_t fl = 0;
        uint32_t at = pos32(p, J.text);
        if ((st = scan_string(jp, &p, &s, &sl, &fl))) goto done;
        nodes[n++] = (gdi_node){GDI_STRING, fl, 0, sl, 1, at, s};
        if (count < DUP_WALK_MAX) {
            uint64_t bit = (uint64_t)1 << key_hash6(s, sl);
            if (UNLIKELY(bloom & bit)) {
                uint32_t k = cur + 1;
                for (uint32_t i = 0; i < count; i++) {
                    if (key_eq(&nodes[k], s, sl)) {
                        nodes[cur].flags |= GDI_NF_DUPKEY;
                        break;
                    }
                    k = k + 1 + nodes[k + 1].skip;
                }
            }
            bloom |= bit;
        }
        count++;
    }
    p = skip_ws(p, end);
    if (UNLIKELY(p == end || *p != ':')) {
        st = junexpected(jp, p, "expected ':' after object key", "object");
        goto done;
    }
    p = skip_ws(p + 1, end);
    if (UNLIKELY(p == end)) {
        st = junexpected(jp, p, "expected a value", WHERE);
        goto done;
    }
    goto value;

close: /* p at the '}' or ']' closing container cur */
    p++;
    nodes[cur].skip = n - cur;
    nodes[cur].len = count;
    if (in_obj && count > DUP_WALK_MAX && !(nodes[cur].flags & GDI_NF_DUPKEY)) {
        if ((st = dup_check_large(jp, nodes, cur))) {
            st = jfail(jp, GD_NOMEM, p - 1, "out of memory building the document");
            goto done;
        }
    }
    depth--;
    if (depth > 0) {
        const jframe *f = &stk[depth - 1];
        cur = f->idx;
        count = f->count;
        in_obj = nodes[cur].type == GDI_OBJECT;
        bloom = f->bloom;
    }
    goto after_value;

finish:
    p = skip_ws(p, end);
    if (p != end) {
        if (*p == '/')
            st = jfail(jp, GD_SYNTAX, p, "comments are not allowed");
        else
            st = jfail(jp, GD_SYNTAX, p, "trailing characters after the JSON value");
        goto done;
    }
    d->n = n;

done:
#undef ENSURE_NODE
#undef WHERE
    if (st) d->n = 0;
    return st;
}

/* ------------------------------------------------------ structural skips */

/* End of the scalar (number or literal) starting at p: the first byte that
 * is whitespace, a structural character or a quote. */
static const uchar *scalar_end(const uchar *p, const uchar *end)
{
    while (p < end) {
        uchar c = *p;
        if (is_ws(c) || c == ',' || c == ':' || c == '[' || c == ']' || c == '{' || c == '}' ||
            c == '"')
            break;
        p++;
    }
    return p;
}

/*
 * Skipping a container, 64 bytes at a time. For each block we build bit
 * masks (bit i = byte i) of quotes, backslashes, openers ('[' '{') and
 * closers (']' '}'), then:
 *  - escaped bytes: each backslash that is not itself escaped escapes the
 *    next byte; backslashes are rare, so they are walked one by one, with
 *    a carry into the next block;
 *  - string bytes: the prefix XOR of the unescaped quotes (bit i = parity
 *    of quotes at or before i) marks the bytes from an opening quote up to
 *    its closing quote, with the parity carried between blocks;
 *  - nesting: openers and closers outside strings. When the block holds
 *    fewer closers than the current depth the value cannot end in it and
 *    depth moves by the two popcounts; otherwise its brackets are walked in
 *    order to find where depth returns to zero.
 * Only the count of brackets is checked, not their kinds: "[}" passes here
 * and is rejected by the full parse of the piece.
 */
typedef struct jblock {
    uint64_t quote, bslash, open, close;
} jblock;

static inline void block_masks(const uchar *p, jblock *m)
{
#if defined(JSON_SSE2)
    const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), lc = _mm_set1_epi8(0x20),
                  op = _mm_set1_epi8('{'), cl = _mm_set1_epi8('}');
    uint64_t mq = 0, mb = 0, mo = 0, mc = 0;
    for (int i = 0; i < 4; i++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        __m128i f = _mm_or_si128(v, lc); /* '[' -> '{', ']' -> '}' */
        mq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * i);
        mb |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, bs)) << (16 * i);
        mo |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(f, op)) << (16 * i);
        mc |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(f, cl)) << (16 * i);
    }
    m->quote = mq;
    m->bslash = mb;
    m->open = mo;
    m->close = mc;
#else
    uint64_t mq = 0, mb = 0, mo = 0, mc = 0;
    for (int i = 0; i < 64; i++) {
        uchar c = p[i], f = c | 0x20;
        mq |= (uint64_t)(c == '"') << i;
        mb |= (uint64_t)(c == '\\') << i;
        mo |= (uint64_t)(f == '{') << i;
        mc |= (uint64_t)(f == '}') << i;
    }
    m->quote = mq;
    m->bslash = mb;
    m->open = mo;
    m->close = mc;
#endif
}

/* Bytes escaped by a backslash in a block; *carry is 1 when the first byte
 * of this block is escaped by the last byte of the previous one. */
static inline uint64_t block_escaped(uint64_t bs, uint64_t *carry)
{
    uint64_t esc = *carry;
    *carry = 0;
    bs &= ~esc;
    while (bs) {
        unsigned i = (unsigned)__builtin_ctzll(bs);
        if (i == 63) {
            *carry = 1;
            break;
        }
        uint64_t next = (uint64_t)1 << (i + 1);
        esc |= next;
        bs &= ~next;       /* an escaped backslash escapes nothing */
        bs &= bs - 1;      /* done with the backslash at i */
    }
    return esc;
}

static inline uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* Skip the container whose opener is at p. On GD_OK *out is one past its
 * closer; on GD_SYNTAX (input ended inside it) *out is end. */
static gd_status skip_container(const uchar *p, const uchar *end, const uchar **out)
{
    uint64_t depth = 0, esc_carry = 0, in_str = 0; /* in_str: all ones inside a string */
    uchar tail[64];
    for (const uchar *b = p; b < end; b += 64) {
        jblock m;
        size_t avail = (size_t)(end - b);
        if (avail >= 64) {
            block_masks(b, &m);
        } else {
            memset(tail, ' ', sizeof tail);
            memcpy(tail, b, avail);
            block_masks(tail, &m);
        }
        uint64_t quotes = m.quote;
        if (m.bslash | esc_carry) quotes &= ~block_escaped(m.bslash, &esc_carry);
        uint64_t str = prefix_xor(quotes) ^ in_str;
        in_str = (uint64_t)((int64_t)str >> 63);
        uint64_t opens = m.open & ~str, closes = m.close & ~str;
        uint64_t nclose = popcount64(closes);
        if (nclose < depth) {
            depth += popcount64(opens) - nclose;
            continue;
        }
        for (uint64_t br = opens | closes; br; br &= br - 1) {
            uint64_t bit = br & (0 - br);
            if (opens & bit) {
                depth++;
            } else if (--depth == 0) {
                *out = b + __builtin_ctzll(bit) + 1;
                return GD_OK;
            }
        }
    }
    *out = end;
    return GD_SYNTAX;
}

/* Skip the value starting at p (non-whitespace). On GD_OK *out is one past
 * it; on GD_SYNTAX *out is the offending byte, or end when input ran out. */
static gd_status skip_value(const uchar *p, const uchar *end, const uchar **out)
{
    uchar c = *p;
    if (c == '"') {
        const uchar *q = p + 1;
        for (;;) {
            q = find_quote_bs(q, end);
            if (q == end) break;
            if (*q == '"') {
                *out = q + 1;
                return GD_OK;
            }
            q += 2;
            if (q >= end) break;
        }
        *out = end;
        return GD_SYNTAX;
    }
    if (c == ']' || c == '}' || c == ',' || c == ':') {
        *out = p;
        return GD_SYNTAX;
    }
    if (c != '[' && c != '{') {
        *out = scalar_end(p, end);
        return GD_OK;
    }
    return skip_container(p, end, out);
}

/* Find the value at or after text[0] without building a tape (contract in
 * doc.h). A scalar (number, literal) runs to the first whitespace,
 * structural character or quote; one that reaches text + len is returned
 * as GD_OK, so a streaming caller must not cut inside a scalar. Strings are
 * skipped honouring backslashes but their contents are not validated.
 * Containers are skipped 64 bytes at a time (see skip_container): brackets
 * are counted, not matched by kind, so "[}" is cut as a value and left for
 * the full parse to reject. A closer or ',' / ':' where a value should
 * start is GD_SYNTAX with *end at that byte. */
gd_status gdi_json_extent(const char *text, size_t len, size_t *start, size_t *end)
{
    const uchar *t = (const uchar *)text, *e = t + len;
    const uchar *p = text ? skip_ws(t, e) : t;
    *start = (size_t)(p - t);
    if (p == e) {
        *end = len;
        return GD_NOTFOUND;
    }
    const uchar *q;
    gd_status st = skip_value(p, e, &q);
    *end = (size_t)(q - t);
    return st;
}

/* Step through an array without parsing it. text starts just after the '['
 * (first = true) or just after the previous element (first = false).
 * Whitespace and, when !first, the ',' separator are skipped; then
 *  - GD_OK: the next element spans [*start, *end) (as gdi_json_extent);
 *  - GD_NOTFOUND: the array ends; *start is the ']' and *end one past it;
 *  - GD_SYNTAX: malformed (missing or trailing ',', stray byte, bad or
 *    unterminated element); *end is the offending offset, len when the
 *    input ran out (need more input). */
gd_status gdi_json_array_next(const char *text, size_t len, bool first, size_t *start,
                              size_t *end)
{
    const uchar *t = (const uchar *)text, *e = t + len;
    const uchar *p = text ? skip_ws(t, e) : t;
    gd_status st = GD_SYNTAX;
    if (p < e && *p == ']') {
        *start = (size_t)(p - t);
        *end = *start + 1;
        return GD_NOTFOUND;
    }
    if (!first) {
        if (p == e || *p != ',') goto done;
        p = skip_ws(p + 1, e);
    }
    if (p == e || *p == ']') goto done; /* ']' here follows a ',' */
    *start = (size_t)(p - t);
    st = skip_value(p, e, &p);
    *end = (size_t)(p - t);
    return st;
done:
    *start = *end = (size_t)(p - t);
    return st;
}

/* Step through an object without parsing it. text starts just after the
 * '{' (first = true) or just after the previous member's value (first =
 * false). Whitespace and, when !first, the ',' are skipped; then
 *  - GD_OK: the key (quotes included) spans [*key_start, *key_end) and its
 *    value [*val_start, *val_end);
 *  - GD_NOTFOUND: the object ends; *val_start is the '}', *val_end one past;
 *  - GD_SYNTAX: malformed; *val_end is the offending offset, len when the
 *    input ran out (need more input).
 * The key is not decoded: compare it raw (keys with escapes differ). */
gd_status gdi_json_object_next(const char *text, size_t len, bool first, size_t *key_start,
                               size_t *key_end, size_t *val_start, size_t *val_end)
{
    const uchar *t = (const uchar *)text, *e = t + len;
    const uchar *p = text ? skip_ws(t, e) : t, *q;
    gd_status st = GD_SYNTAX;
    *key_start = *key_end = *val_start = 0;
    if (p < e && *p == '}') {
        *val_start = (size_t)(p - t);
        *val_end = *val_start + 1;
        return GD_NOTFOUND;
    }
    if (!first) {
        if (p == e || *p != ',') goto done;
        p = skip_ws(p + 1, e);
    }
    if (p == e || *p != '"') goto done;
    *key_start = (size_t)(p - t);
    if (skip_value(p, e, &q)) {
        p = q;
        goto done;
    }
    *key_end = (size_t)(q - t);
    p = skip_ws(q, e);
    if (p == e || *p != ':') goto done;
    p = skip_ws(p + 1, e);
    if (p == e) goto done;
    *val_start = (size_t)(p - t);
    st = skip_value(p, e, &p);
done:
    if (st == GD_SYNTAX) *val_start = (size_t)(p - t);
    *val_end = (size_t)(p - t);
    return st;
}
