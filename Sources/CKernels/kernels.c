#include "kernels.h"
#include <math.h>

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
