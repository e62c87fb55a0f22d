/* One 4-lane float vector type, cw_v4f, and the operations kernels use.
 *
 * Mapping, chosen at compile time:
 *   __wasm_simd128__          -> wasm_simd128.h (relaxed madd under __wasm_relaxed_simd__)
 *   SSE2 (and not CW_SIMD_SCALAR) -> emmintrin.h
 *   otherwise                 -> four plain floats
 * Kernels are written once against these functions, so native tests of the
 * SSE2 and the scalar mapping exercise the same code the browser runs. */
#ifndef CW_SIMD_VEC_H
#define CW_SIMD_VEC_H

#include <stdint.h>
#include <string.h>

#if defined(__wasm_simd128__) && !defined(CW_SIMD_SCALAR)
#define CW_VEC_WASM 1
#include <wasm_simd128.h>
typedef v128_t cw_v4f;
typedef v128_t cw_v4m; /* lane mask: all ones or all zeros per lane */
#define CW_VEC_NAME "wasm-simd128"
#elif (defined(__SSE2__) || defined(_M_X64)) && !defined(CW_SIMD_SCALAR)
#define CW_VEC_SSE2 1
#include <emmintrin.h>
typedef __m128 cw_v4f;
typedef __m128 cw_v4m;
#define CW_VEC_NAME "sse2"
#else
#define CW_VEC_SCALAR 1
typedef struct {
    float v[4];
} cw_v4f;
typedef struct {
    uint32_t v[4];
} cw_v4m;
#define CW_VEC_NAME "scalar"
#endif

#define CW_VEC_LANES 4

#if defined(CW_VEC_WASM)

static inline cw_v4f cw_v4f_load(const float *p) { return wasm_v128_load(p); }
static inline void cw_v4f_store(float *p, cw_v4f a) { wasm_v128_store(p, a); }
static inline cw_v4f cw_v4f_splat(float x) { return wasm_f32x4_splat(x); }
static inline cw_v4f cw_v4f_zero(void) { return wasm_f32x4_splat(0.0f); }
static inline cw_v4f cw_v4f_add(cw_v4f a, cw_v4f b) { return wasm_f32x4_add(a, b); }
static inline cw_v4f cw_v4f_sub(cw_v4f a, cw_v4f b) { return wasm_f32x4_sub(a, b); }
static inline cw_v4f cw_v4f_mul(cw_v4f a, cw_v4f b) { return wasm_f32x4_mul(a, b); }
static inline cw_v4f cw_v4f_div(cw_v4f a, cw_v4f b) { return wasm_f32x4_div(a, b); }
/* a + b * c */
static inline cw_v4f cw_v4f_madd(cw_v4f a, cw_v4f b, cw_v4f c) {
#if defined(__wasm_relaxed_simd__)
    return wasm_f32x4_relaxed_madd(b, c, a);
#else
    return wasm_f32x4_add(a, wasm_f32x4_mul(b, c));
#endif
}
/* min/max as SSE2 and the scalar mapping compute them, a < b ? a : b and
 * a > b ? a : b: if either is NaN the result is b (pmin/pmax with swapped
 * operands give exactly that). */
static inline cw_v4f cw_v4f_min(cw_v4f a, cw_v4f b) { return wasm_f32x4_pmin(b, a); }
static inline cw_v4f cw_v4f_max(cw_v4f a, cw_v4f b) { return wasm_f32x4_pmax(b, a); }
static inline cw_v4f cw_v4f_sqrt(cw_v4f a) { return wasm_f32x4_sqrt(a); }
static inline cw_v4f cw_v4f_abs(cw_v4f a) { return wasm_f32x4_abs(a); }
static inline cw_v4f cw_v4f_neg(cw_v4f a) { return wasm_f32x4_neg(a); }
static inline cw_v4m cw_v4f_lt(cw_v4f a, cw_v4f b) { return wasm_f32x4_lt(a, b); }
static inline cw_v4m cw_v4f_le(cw_v4f a, cw_v4f b) { return wasm_f32x4_le(a, b); }
static inline cw_v4m cw_v4f_gt(cw_v4f a, cw_v4f b) { return wasm_f32x4_gt(a, b); }
static inline cw_v4m cw_v4f_ge(cw_v4f a, cw_v4f b) { return wasm_f32x4_ge(a, b); }
static inline cw_v4m cw_v4f_eq(cw_v4f a, cw_v4f b) { return wasm_f32x4_eq(a, b); }
/* m ? a : b, lane-wise */
static inline cw_v4f cw_v4f_select(cw_v4m m, cw_v4f a, cw_v4f b) {
    return wasm_v128_bitselect(a, b, m);
}
static inline float cw_v4f_hsum(cw_v4f a) {
    return wasm_f32x4_extract_lane(a, 0) + wasm_f32x4_extract_lane(a, 1) +
           wasm_f32x4_extract_lane(a, 2) + wasm_f32x4_extract_lane(a, 3);
}

#elif defined(CW_VEC_SSE2)

static inline cw_v4f cw_v4f_load(const float *p) { return _mm_loadu_ps(p); }
static inline void cw_v4f_store(float *p, cw_v4f a) { _mm_storeu_ps(p, a); }
static inline cw_v4f cw_v4f_splat(float x) { return _mm_set1_ps(x); }
static inline cw_v4f cw_v4f_zero(void) { return _mm_setzero_ps(); }
static inline cw_v4f cw_v4f_add(cw_v4f a, cw_v4f b) { return _mm_add_ps(a, b); }
static inline cw_v4f cw_v4f_sub(cw_v4f a, cw_v4f b) { return _mm_sub_ps(a, b); }
static inline cw_v4f cw_v4f_mul(cw_v4f a, cw_v4f b) { return _mm_mul_ps(a, b); }
static inline cw_v4f cw_v4f_div(cw_v4f a, cw_v4f b) { return _mm_div_ps(a, b); }
static inline cw_v4f cw_v4f_madd(cw_v4f a, cw_v4f b, cw_v4f c) {
    return _mm_add_ps(a, _mm_mul_ps(b, c));
}
static inline cw_v4f cw_v4f_min(cw_v4f a, cw_v4f b) { return _mm_min_ps(a, b); }
static inline cw_v4f cw_v4f_max(cw_v4f a, cw_v4f b) { return _mm_max_ps(a, b); }
static inline cw_v4f cw_v4f_sqrt(cw_v4f a) { return _mm_sqrt_ps(a); }
static inline cw_v4f cw_v4f_abs(cw_v4f a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
static inline cw_v4f cw_v4f_neg(cw_v4f a) { return _mm_xor_ps(_mm_set1_ps(-0.0f), a); }
static inline cw_v4m cw_v4f_lt(cw_v4f a, cw_v4f b) { return _mm_cmplt_ps(a, b); }
static inline cw_v4m cw_v4f_le(cw_v4f a, cw_v4f b) { return _mm_cmple_ps(a, b); }
static inline cw_v4m cw_v4f_gt(cw_v4f a, cw_v4f b) { return _mm_cmpgt_ps(a, b); }
static inline cw_v4m cw_v4f_ge(cw_v4f a, cw_v4f b) { return _mm_cmpge_ps(a, b); }
static inline cw_v4m cw_v4f_eq(cw_v4f a, cw_v4f b) { return _mm_cmpeq_ps(a, b); }
static inline cw_v4f cw_v4f_select(cw_v4m m, cw_v4f a, cw_v4f b) {
    return _mm_or_ps(_mm_and_ps(m, a), _mm_andnot_ps(m, b));
}
static inline float cw_v4f_hsum(cw_v4f a) {
    float t[4];
    _mm_storeu_ps(t, a);
    return t[0] + t[1] + t[2] + t[3];
}

#else /* scalar */

#include <math.h>
static inline cw_v4f cw_v4f_load(const float *p) {
    cw_v4f r = {{p[0], p[1], p[2], p[3]}};
    return r;
}
static inline void cw_v4f_store(float *p, cw_v4f a) {
    p[0] = a.v[0];
    p[1] = a.v[1];
    p[2] = a.v[2];
    p[3] = a.v[3];
}
static inline cw_v4f cw_v4f_splat(float x) {
    cw_v4f r = {{x, x, x, x}};
    return r;
}
static inline cw_v4f cw_v4f_zero(void) { return cw_v4f_splat(0.0f); }
#define CW_V4F_MAP2(name, expr)                                                                    \
    static inline cw_v4f name(cw_v4f a, cw_v4f b) {                                                \
        cw_v4f r;                                                                                  \
        for (int i = 0; i < 4; i++) {                                                              \
            float x = a.v[i], y = b.v[i];                                                          \
            r.v[i] = (expr);                                                                       \
        }                                                                                          \
        return r;                                                                                  \
    }
CW_V4F_MAP2(cw_v4f_add, x + y)
CW_V4F_MAP2(cw_v4f_sub, x - y)
CW_V4F_MAP2(cw_v4f_mul, x *y)
CW_V4F_MAP2(cw_v4f_div, x / y)
CW_V4F_MAP2(cw_v4f_min, x < y ? x : y)
CW_V4F_MAP2(cw_v4f_max, x > y ? x : y)
#undef CW_V4F_MAP2
static inline cw_v4f cw_v4f_madd(cw_v4f a, cw_v4f b, cw_v4f c) {
    return cw_v4f_add(a, cw_v4f_mul(b, c));
}
static inline cw_v4f cw_v4f_sqrt(cw_v4f a) {
    cw_v4f r;
    for (int i = 0; i < 4; i++) r.v[i] = sqrtf(a.v[i]);
    return r;
}
static inline cw_v4f cw_v4f_abs(cw_v4f a) {
    cw_v4f r;
    for (int i = 0; i < 4; i++) r.v[i] = fabsf(a.v[i]);
    return r;
}
static inline cw_v4f cw_v4f_neg(cw_v4f a) {
    cw_v4f r;
    for (int i = 0; i < 4; i++) r.v[i] = -a.v[i];
    return r;
}
#define CW_V4M_CMP(name, op)                                                                       \
    static inline cw_v4m name(cw_v4f a, cw_v4f b) {                                                \
        cw_v4m r;                                                                                  \
        for (int i = 0; i < 4; i++) r.v[i] = (a.v[i] op b.v[i]) ? 0xFFFFFFFFu : 0u;                \
        return r;                                                                                  \
    }
CW_V4M_CMP(cw_v4f_lt, <)
CW_V4M_CMP(cw_v4f_le, <=)
CW_V4M_CMP(cw_v4f_gt, >)
CW_V4M_CMP(cw_v4f_ge, >=)
CW_V4M_CMP(cw_v4f_eq, ==)
#undef CW_V4M_CMP
static inline cw_v4f cw_v4f_select(cw_v4m m, cw_v4f a, cw_v4f b) {
    cw_v4f r;
    for (int i = 0; i < 4; i++) r.v[i] = m.v[i] ? a.v[i] : b.v[i];
    return r;
}
static inline float cw_v4f_hsum(cw_v4f a) { return a.v[0] + a.v[1] + a.v[2] + a.v[3]; }

#endif

/* ---- Integer lanes, conversions, bit casts, mask tests ---------------------
 * cw_v4i holds four int32 lanes (same register as cw_v4f). Integer add/sub
 * wrap modulo 2^32; shifts take a count in [0, 31].
 * cw_v4f_to_v4i truncates toward zero; a lane that is NaN or outside
 * (-2^31 - 1, 2^31) gives an unspecified value (INT32_MIN on SSE2 and scalar,
 * saturated on wasm): check the range first when it matters.
 * cw_v4i_load_u8 zero-extends 4 bytes; cw_v4i_store_u8 stores the low byte of
 * each lane, which must be in [0, 255].
 * cw_v4f_clear(m, a) is m ? +0.0f : a. cw_v4m_any / cw_v4m_all: some / every
 * lane of m is set. */
#if defined(CW_VEC_WASM)

typedef v128_t cw_v4i;
static inline cw_v4i cw_v4i_load(const int32_t *p) { return wasm_v128_load(p); }
static inline void cw_v4i_store(int32_t *p, cw_v4i a) { wasm_v128_store(p, a); }
static inline cw_v4i cw_v4i_splat(int32_t x) { return wasm_i32x4_splat(x); }
static inline cw_v4i cw_v4i_add(cw_v4i a, cw_v4i b) { return wasm_i32x4_add(a, b); }
static inline cw_v4i cw_v4i_sub(cw_v4i a, cw_v4i b) { return wasm_i32x4_sub(a, b); }
static inline cw_v4i cw_v4i_shl(cw_v4i a, int n) { return wasm_i32x4_shl(a, (uint32_t)n); }
static inline cw_v4i cw_v4i_sra(cw_v4i a, int n) { return wasm_i32x4_shr(a, (uint32_t)n); }
static inline cw_v4i cw_v4i_eq(cw_v4i a, cw_v4i b) { return wasm_i32x4_eq(a, b); }
static inline cw_v4i cw_v4f_as_v4i(cw_v4f a) { return a; }
static inline cw_v4f cw_v4i_as_v4f(cw_v4i a) { return a; }
static inline cw_v4i cw_v4m_as_v4i(cw_v4m m) { return m; }
static inline cw_v4m cw_v4i_as_v4m(cw_v4i a) { return a; }
static inline cw_v4i cw_v4f_to_v4i(cw_v4f a) { return wasm_i32x4_trunc_sat_f32x4(a); }
static inline cw_v4f cw_v4i_to_v4f(cw_v4i a) { return wasm_f32x4_convert_i32x4(a); }
static inline cw_v4i cw_v4i_load_u8(const uint8_t *p) {
    return wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(p)));
}
static inline void cw_v4i_store_u8(uint8_t *p, cw_v4i a) {
    v128_t h = wasm_u16x8_narrow_i32x4(a, a);
    wasm_v128_store32_lane(p, wasm_u8x16_narrow_i16x8(h, h), 0);
}
static inline cw_v4m cw_v4m_and(cw_v4m a, cw_v4m b) { return wasm_v128_and(a, b); }
static inline cw_v4m cw_v4m_or(cw_v4m a, cw_v4m b) { return wasm_v128_or(a, b); }
static inline int cw_v4m_any(cw_v4m m) { return wasm_v128_any_true(m); }
static inline int cw_v4m_all(cw_v4m m) { return wasm_i32x4_all_true(m); }
static inline cw_v4f cw_v4f_clear(cw_v4m m, cw_v4f a) { return wasm_v128_andnot(a, m); }

#elif defined(CW_VEC_SSE2)

typedef __m128i cw_v4i;
static inline cw_v4i cw_v4i_load(const int32_t *p) { return _mm_loadu_si128((const __m128i *)p); }
static inline void cw_v4i_store(int32_t *p, cw_v4i a) { _mm_storeu_si128((__m128i *)p, a); }
static inline cw_v4i cw_v4i_splat(int32_t x) { return _mm_set1_epi32(x); }
static inline cw_v4i cw_v4i_add(cw_v4i a, cw_v4i b) { return _mm_add_epi32(a, b); }
static inline cw_v4i cw_v4i_sub(cw_v4i a, cw_v4i b) { return _mm_sub_epi32(a, b); }
static inline cw_v4i cw_v4i_shl(cw_v4i a, int n) { return _mm_sll_epi32(a, _mm_cvtsi32_si128(n)); }
static inline cw_v4i cw_v4i_sra(cw_v4i a, int n) { return _mm_sra_epi32(a, _mm_cvtsi32_si128(n)); }
static inline cw_v4i cw_v4i_eq(cw_v4i a, cw_v4i b) { return _mm_cmpeq_epi32(a, b); }
static inline cw_v4i cw_v4f_as_v4i(cw_v4f a) { return _mm_castps_si128(a); }
static inline cw_v4f cw_v4i_as_v4f(cw_v4i a) { return _mm_castsi128_ps(a); }
static inline cw_v4i cw_v4m_as_v4i(cw_v4m m) { return _mm_castps_si128(m); }
static inline cw_v4m cw_v4i_as_v4m(cw_v4i a) { return _mm_castsi128_ps(a); }
static inline cw_v4i cw_v4f_to_v4i(cw_v4f a) { return _mm_cvttps_epi32(a); }
static inline cw_v4f cw_v4i_to_v4f(cw_v4i a) { return _mm_cvtepi32_ps(a); }
static inline cw_v4i cw_v4i_load_u8(const uint8_t *p) {
    int32_t w;
    memcpy(&w, p, 4);
    __m128i z = _mm_setzero_si128();
    return _mm_unpacklo_epi16(_mm_unpacklo_epi8(_mm_cvtsi32_si128(w), z), z);
}
static inline void cw_v4i_store_u8(uint8_t *p, cw_v4i a) {
    __m128i h = _mm_packs_epi32(a, a);
    int32_t w = _mm_cvtsi128_si32(_mm_packus_epi16(h, h));
    memcpy(p, &w, 4);
}
static inline cw_v4m cw_v4m_and(cw_v4m a, cw_v4m b) { return _mm_and_ps(a, b); }
static inline cw_v4m cw_v4m_or(cw_v4m a, cw_v4m b) { return _mm_or_ps(a, b); }
static inline int cw_v4m_any(cw_v4m m) { return _mm_movemask_ps(m) != 0; }
static inline int cw_v4m_all(cw_v4m m) { return _mm_movemask_ps(m) == 15; }
static inline cw_v4f cw_v4f_clear(cw_v4m m, cw_v4f a) { return _mm_andnot_ps(m, a); }

#else /* scalar */

typedef struct {
    int32_t v[4];
} cw_v4i;
/* uint32 -> int32 two's complement without implementation-defined casts. */
static inline int32_t cw_i32_wrap(uint32_t u) {
    return u <= 0x7FFFFFFFu ? (int32_t)u : (int32_t)(u - 0x80000000u) - 0x7FFFFFFF - 1;
}
static inline cw_v4i cw_v4i_load(const int32_t *p) {
    cw_v4i r = {{p[0], p[1], p[2], p[3]}};
    return r;
}
static inline void cw_v4i_store(int32_t *p, cw_v4i a) {
    p[0] = a.v[0];
    p[1] = a.v[1];
    p[2] = a.v[2];
    p[3] = a.v[3];
}
static inline cw_v4i cw_v4i_splat(int32_t x) {
    cw_v4i r = {{x, x, x, x}};
    return r;
}
static inline cw_v4i cw_v4i_add(cw_v4i a, cw_v4i b) {
    cw_v4i r;
    for (int i = 0; i < 4; i++) r.v[i] = cw_i32_wrap((uint32_t)a.v[i] + (uint32_t)b.v[i]);
    return r;
}
static inline cw_v4i cw_v4i_sub(cw_v4i a, cw_v4i b) {
    cw_v4i r;
    for (int i = 0; i < 4; i++) r.v[i] = cw_i32_wrap((uint32_t)a.v[i] - (uint32_t)b.v[i]);
    return r;
}
static inline cw_v4i cw_v4i_shl(cw_v4i a, int n) {
    cw_v4i r;
    for (int i = 0; i < 4; i++) r.v[i] = cw_i32_wrap((uint32_t)a.v[i] << n);
    return r;
}
static inline cw_v4i cw_v4i_sra(cw_v4i a, int n) {
    cw_v4i r;
    for (int i = 0; i < 4; i++) r.v[i] = a.v[i] < 0 ? ~(~a.v[i] >> n) : a.v[i] >> n;
    return r;
}
static inline cw_v4i cw_v4i_eq(cw_v4i a, cw_v4i b) {
    cw_v4i r;
    for (int i = 0; i < 4; i++) r.v[i] = a.v[i] == b.v[i] ? -1 : 0;
    return r;
}
static inline cw_v4i cw_v4f_as_v4i(cw_v4f a) {
    cw_v4i r;
    memcpy(&r, &a, sizeof r);
    return r;
}
static inline cw_v4f cw_v4i_as_v4f(cw_v4i a) {
    cw_v4f r;
    memcpy(&r, &a, sizeof r);
    return r;
}
static inline cw_v4i cw_v4m_as_v4i(cw_v4m m) {
    cw_v4i r;
    memcpy(&r, &m, sizeof r);
    return r;
}
static inline cw_v4m cw_v4i_as_v4m(cw_v4i a) {
    cw_v4m r;
    memcpy(&r, &a, sizeof r);
    return r;
}
static inline cw_v4i cw_v4f_to_v4i(cw_v4f a) {
    cw_v4i r;
    for (int i = 0; i < 4; i++) {
        float x = a.v[i];
        r.v[i] = (x > -2147483904.0f && x < 2147483648.0f) ? (int32_t)x : INT32_MIN;
    }
    return r;
}
static inline cw_v4f cw_v4i_to_v4f(cw_v4i a) {
    cw_v4f r;
    for (int i = 0; i < 4; i++) r.v[i] = (float)a.v[i];
    return r;
}
static inline cw_v4i cw_v4i_load_u8(const uint8_t *p) {
    cw_v4i r = {{p[0], p[1], p[2], p[3]}};
    return r;
}
static inline void cw_v4i_store_u8(uint8_t *p, cw_v4i a) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)a.v[i];
}
static inline cw_v4m cw_v4m_and(cw_v4m a, cw_v4m b) {
    cw_v4m r;
    for (int i = 0; i < 4; i++) r.v[i] = a.v[i] & b.v[i];
    return r;
}
static inline cw_v4m cw_v4m_or(cw_v4m a, cw_v4m b) {
    cw_v4m r;
    for (int i = 0; i < 4; i++) r.v[i] = a.v[i] | b.v[i];
    return r;
}
static inline int cw_v4m_any(cw_v4m m) { return (m.v[0] | m.v[1] | m.v[2] | m.v[3]) != 0; }
static inline int cw_v4m_all(cw_v4m m) { return (m.v[0] & m.v[1] & m.v[2] & m.v[3]) != 0; }
static inline cw_v4f cw_v4f_clear(cw_v4m m, cw_v4f a) {
    cw_v4f r;
    for (int i = 0; i < 4; i++) r.v[i] = m.v[i] ? 0.0f : a.v[i];
    return r;
}

#endif

#endif /* CW_SIMD_VEC_H */
