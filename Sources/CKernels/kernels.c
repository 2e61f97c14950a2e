#include "kernels.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#define MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define MULTIVERSION
#endif

MULTIVERSION
void gans_adam_update(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
                      float beta1, float beta2, float step_size, float inverse_root_correction2, float epsilon) {
    for (long i = 0; i < n; i++) {
        float mi = beta1 * m[i] + (1 - beta1) * g[i];
        float vi = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        m[i] = mi;
        v[i] = vi;
        p[i] -= step_size * mi / (sqrtf(vi) * inverse_root_correction2 + epsilon);
    }
}

MULTIVERSION
void gans_rmsprop_update(float *restrict p, const float *restrict g, float *restrict v, long n,
                         float lr, float alpha, float epsilon) {
    for (long i = 0; i < n; i++) {
        float vi = alpha * v[i] + (1 - alpha) * g[i] * g[i];
        v[i] = vi;
        p[i] -= lr * g[i] / (sqrtf(vi) + epsilon);
    }
}

MULTIVERSION
void gans_sgd_update(float *restrict p, const float *restrict g, float *restrict v, long n, float lr, float momentum) {
    for (long i = 0; i < n; i++) {
        float vi = momentum * v[i] + g[i];
        v[i] = vi;
        p[i] -= lr * vi;
    }
}

MULTIVERSION
void gans_clip(float *restrict p, long n, float c) {
    for (long i = 0; i < n; i++) {
        float x = p[i] > c ? c : p[i];
        p[i] = x < -c ? -c : x;
    }
}

/// 2^k for an integer k in the normal range, built from the exponent bits.
static inline float power_of_two(int k) {
    uint32_t bits = (uint32_t)(k + 127) << 23;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

// No libm call in the loop, so it vectorises (8 lanes under AVX2). Within 1 ulp of the
// correctly rounded tanh over all floats in [-12, 12] (libm's tanhf: 2 ulp); NaN stays NaN.
MULTIVERSION
void gans_tanh(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) {
        float v = x[i], a = fabsf(v);
        // |x| < 0.625: x + x³·P(x²), Cephes' minimax polynomial, free of cancellation.
        float z = v * v;
        float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z
                        + 1.33314422036e-1f) * z - 3.33332819422e-1f) * z * v + v;
        // Otherwise 1 − 2/(e^{2|x|} + 1), with e^t = 2^k·e^r for t = k·ln 2 + r, |r| ≤ ln2/2
        // (Cephes' expf: ln 2 split in two parts so that t − k·ln 2 is exact). tanh(10) = 1 in floats.
        float t = 2 * a > 20.0f ? 20.0f : 2 * a;
        float k = (float)(int)(t * 1.44269504088896341f + 0.5f);  // t ≥ 0: truncation rounds
        float r = t - k * 0.693359375f + k * 2.12194440e-4f;
        float e = (((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r
                     + 4.1665795894e-2f) * r + 1.6666665459e-1f) * r + 5.0000001201e-1f) * r * r + r + 1.0f;
        float large = 1.0f - 2.0f / (e * power_of_two((int)k) + 1.0f);
        float magnitude = a < 0.625f ? small : large;
        y[i] = v != v ? v : copysignf(magnitude, v);
    }
}

// im2col/col2im for NCHW images: row (c, ki, kj) of the [C·kh·kw, N·OH·OW] column matrix holds,
// for every output position (n, i, j), image[n, c, i·s − p + ki, j·s − p + kj] (0 in the padding).
// Each image plane is worked on in a zero-padded copy small enough for L1, so the loops over
// taps and positions have no bounds tests; and the positions of a tap are one loop over a
// table of offsets, not OH short loops of OW (whose exits the branch predictor misses).

/// offsets[i·OW + j] = i·s·padded_w + j·s, the padded-plane offset of output position (i, j).
static long *window_offsets(long out_h, long out_w, long stride, long padded_w) {
    long *offsets = malloc(out_h * out_w * sizeof(long));
    for (long i = 0; i < out_h; i++)
        for (long j = 0; j < out_w; j++) offsets[i * out_w + j] = i * stride * padded_w + j * stride;
    return offsets;
}

void gans_im2col(const float *restrict image, float *restrict columns, long batch, long channels, long height,
                 long width, long kernel_h, long kernel_w, long stride, long padding, long out_h, long out_w,
                 long plane_begin, long plane_end) {
    long padded_w = width + 2 * padding, padded_h = height + 2 * padding, positions = out_h * out_w;
    float *padded = calloc(padded_h * padded_w, sizeof(float));
    long *offsets = window_offsets(out_h, out_w, stride, padded_w);
    for (long p = plane_begin; p < plane_end; p++) {
        long n = p / channels, c = p % channels;
        const float *plane = image + (n * channels + c) * height * width;
        for (long y = 0; y < height; y++)
            memcpy(padded + (y + padding) * padded_w + padding, plane + y * width, width * sizeof(float));
        for (long ki = 0; ki < kernel_h; ki++)
            for (long kj = 0; kj < kernel_w; kj++) {
                float *dst = columns + (((c * kernel_h + ki) * kernel_w + kj) * batch + n) * positions;
                const float *src = padded + ki * padded_w + kj;
                for (long q = 0; q < positions; q++) dst[q] = src[offsets[q]];
            }
    }
    free(offsets);
    free(padded);
}

void gans_col2im(const float *restrict columns, float *restrict image, long batch, long channels, long height,
                 long width, long kernel_h, long kernel_w, long stride, long padding, long out_h, long out_w,
                 const float *restrict bias, long plane_begin, long plane_end) {
    long padded_w = width + 2 * padding, padded_h = height + 2 * padding, positions = out_h * out_w;
    float *padded = malloc(padded_h * padded_w * sizeof(float));
    long *offsets = window_offsets(out_h, out_w, stride, padded_w);
    for (long p = plane_begin; p < plane_end; p++) {
        long n = p / channels, c = p % channels;
        memset(padded, 0, padded_h * padded_w * sizeof(float));
        for (long ki = 0; ki < kernel_h; ki++)
            for (long kj = 0; kj < kernel_w; kj++) {
                const float *src = columns + (((c * kernel_h + ki) * kernel_w + kj) * batch + n) * positions;
                float *dst = padded + ki * padded_w + kj;
                for (long q = 0; q < positions; q++) dst[offsets[q]] += src[q];
            }
        float *plane = image + (n * channels + c) * height * width;
        for (long y = 0; y < height; y++) {
            const float *row = padded + (y + padding) * padded_w + padding;
            if (bias)
                for (long x = 0; x < width; x++) plane[y * width + x] = row[x] + bias[c];
            else
                memcpy(plane + y * width, row, width * sizeof(float));
        }
    }
    free(offsets);
    free(padded);
}

// Batch normalisation of x viewed as [N, C, L] (L = 1 for [N, C]): per channel over N·L values.
// Sums run over each contiguous run of L values, then across samples; for L = 1 they run
// down the columns of the [N, C] matrix, so the loops vectorise across channels.

/// sums[c] = Σ over samples and positions of f(x, c), with f inlined by the caller's macro.
#define CHANNEL_SUMS(sums, n, channels, length, EXPRESSION)                                  \
    for (long c = c0; c < c1; c++) sums[c] = 0;                                             \
    for (long s = 0; s < n; s++) {                                                          \
        if (length == 1) {                                                                  \
            long j = 0;                                                                     \
            (void)j;                                                                        \
            for (long c = c0; c < c1; c++) {                                                \
                long i = s * channels + c;                                                  \
                sums[c] += EXPRESSION;                                                      \
            }                                                                               \
        } else {                                                                            \
            for (long c = c0; c < c1; c++) {                                                \
                float partial = 0;                                                          \
                for (long j = 0; j < length; j++) {                                         \
                    long i = (s * channels + c) * length + j;                               \
                    partial += EXPRESSION;                                                  \
                }                                                                           \
                sums[c] += partial;                                                         \
            }                                                                               \
        }                                                                                   \
    }

MULTIVERSION
void gans_batch_norm_statistics(const float *restrict x, long n, long channels, long length,
                                float *restrict mean, float *restrict variance, long c0, long c1) {
    float count = (float)(n * length);
    CHANNEL_SUMS(mean, n, channels, length, x[i])
    for (long c = c0; c < c1; c++) mean[c] /= count;
    // Second pass about the mean: no cancellation, as in the composed formula.
    CHANNEL_SUMS(variance, n, channels, length, (x[i] - mean[c]) * (x[i] - mean[c]))
    for (long c = c0; c < c1; c++) variance[c] /= count;
}

MULTIVERSION
void gans_batch_norm_apply(const float *restrict x, float *restrict y, long n, long channels, long length,
                           const float *restrict mean, const float *restrict scale, const float *restrict shift,
                           long c0, long c1) {
    for (long s = 0; s < n; s++)
        for (long c = c0; c < c1; c++) {
            const float *p = x + (s * channels + c) * length;
            float *q = y + (s * channels + c) * length;
            float m = mean[c], a = scale[c], b = shift ? shift[c] : 0;
            for (long j = 0; j < length; j++) q[j] = (p[j] - m) * a + b;
        }
}

MULTIVERSION
void gans_batch_norm_backward(const float *restrict x, const float *restrict gradient, long n, long channels,
                              long length, const float *restrict mean, const float *restrict inverse_std,
                              const float *restrict weight, float *restrict input_gradient,
                              float *restrict weight_gradient, float *restrict bias_gradient, long c0, long c1) {
    float count = (float)(n * length);
    float *sum = malloc(2 * channels * sizeof(float)), *dot = sum + channels;
    CHANNEL_SUMS(sum, n, channels, length, gradient[i])
    CHANNEL_SUMS(dot, n, channels, length, gradient[i] * (x[i] - mean[c]))
    for (long c = c0; c < c1; c++) {
        if (bias_gradient) bias_gradient[c] = sum[c];
        if (weight_gradient) weight_gradient[c] = dot[c] * inverse_std[c];
    }
    if (input_gradient) {
        // dx = w·σ⁻¹·(g − Σg/M − x̂·Σ(g·x̂)/M) with x̂ = (x − μ)·σ⁻¹, per channel
        // a·(g − b − (x − μ)·d); the per-channel factors are kept in sum and dot.
        for (long c = c0; c < c1; c++) {
            float r = inverse_std[c];
            sum[c] = sum[c] / count;
            dot[c] = dot[c] / count * r * r;
        }
        for (long s = 0; s < n; s++) {
            const float *p = x + s * channels * length, *g = gradient + s * channels * length;
            float *q = input_gradient + s * channels * length;
            if (length == 1) {
                for (long c = c0; c < c1; c++) {
                    float a = (weight ? weight[c] : 1) * inverse_std[c];
                    q[c] = a * (g[c] - sum[c] - (p[c] - mean[c]) * dot[c]);
                }
            } else {
                for (long c = c0; c < c1; c++) {
                    float a = (weight ? weight[c] : 1) * inverse_std[c], b = sum[c], d = dot[c], m = mean[c];
                    for (long j = 0; j < length; j++) {
                        long i = c * length + j;
                        q[i] = a * (g[i] - b - (p[i] - m) * d);
                    }
                }
            }
        }
    }
    free(sum);
}

// y[j, i, l] = x[i, j, l] + bias[i]: [A, B, L] → [B, A, L], a batch of matrix products'
// [O, N, L] output as [N, O, L] images (and back), one pass with the bias added on the way.
MULTIVERSION
void gans_swap_leading_axes(const float *restrict x, float *restrict y, long a, long b, long length,
                            const float *restrict bias, long j0, long j1) {
    for (long j = j0; j < j1; j++)
        for (long i = 0; i < a; i++) {
            const float *src = x + (i * b + j) * length;
            float *dst = y + (j * a + i) * length;
            if (bias)
                for (long l = 0; l < length; l++) dst[l] = src[l] + bias[i];
            else
                memcpy(dst, src, length * sizeof(float));
        }
}

