// Elementwise kernels, one pass over each buffer: the optimiser updates, clipping and tanh. In C
// because Swift's Float.squareRoot() compiles to a scalar sqrtss on x86 and libm's tanhf is
// a scalar call, either of which keeps a loop from vectorising; here the compiler emits
// packed instructions (AVX2 where the CPU has it).
#ifndef GANS_KERNELS_H
#define GANS_KERNELS_H

/// Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − step·m / (√v·inv_root_c2 + ε).
void gans_adam_update(float *p, const float *g, float *m, float *v, long n,
                      float beta1, float beta2, float step_size, float inverse_root_correction2, float epsilon);

/// RMSprop: v ← α·v + (1−α)·g²; p ← p − lr·g / (√v + ε).
void gans_rmsprop_update(float *p, const float *g, float *v, long n, float lr, float alpha, float epsilon);

/// SGD with momentum: v ← μ·v + g; p ← p − lr·v.
void gans_sgd_update(float *p, const float *g, float *v, long n, float lr, float momentum);

/// Clamps every value to [−c, c] in place (WGAN's weight clipping).
void gans_clip(float *p, long n, float c);

/// y = tanh(x), vectorised; within 1 ulp of the correctly rounded value.
void gans_tanh(const float *x, float *y, long n);

#endif
