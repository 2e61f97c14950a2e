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

// The kernels below each write one block of their output: the image planes (n, c) with
// n·C + c in [plane_begin, plane_end), the channels [c0, c1), or the rows [j0, j1). The blocks
// are independent and each value is computed in the same order whatever the block, so a
// caller may run blocks on several threads at once and get the same bits as one call over all.

/// Every receptive field of image [N, C, H, W] as a column of columns [C·kh·kw, N·OH·OW]
/// (the entries that come from the planes in [plane_begin, plane_end)).
void gans_im2col(const float *image, float *columns, long batch, long channels, long height, long width,
                 long kernel_h, long kernel_w, long stride, long padding, long out_h, long out_w,
                 long plane_begin, long plane_end);

/// The adjoint of gans_im2col: image (overwritten) = the sum of the column entries copied from each pixel,
/// plus bias[c] on channel c (bias NULL means 0); for the planes in [plane_begin, plane_end).
void gans_col2im(const float *columns, float *image, long batch, long channels, long height, long width,
                 long kernel_h, long kernel_w, long stride, long padding, long out_h, long out_w, const float *bias,
                 long plane_begin, long plane_end);

/// y[j, i, l] = x[i, j, l] + bias[i] for x [A, B, L] and y [B, A, L]; bias NULL means 0; rows j in [j0, j1).
void gans_swap_leading_axes(const float *x, float *y, long a, long b, long length, const float *bias,
                            long j0, long j1);

/// Per-channel mean and biased variance of x viewed as [N, C, L], for channels [c0, c1).
void gans_batch_norm_statistics(const float *x, long n, long channels, long length, float *mean, float *variance,
                                long c0, long c1);

/// y = (x − mean[c])·scale[c] + shift[c] for x viewed as [N, C, L]; shift NULL means 0; channels [c0, c1).
void gans_batch_norm_apply(const float *x, float *y, long n, long channels, long length,
                           const float *mean, const float *scale, const float *shift, long c0, long c1);

/// The gradients of y = (x − mean)·inverse_std·weight + bias (batch statistics) given dL/dy:
/// input_gradient [N, C, L], weight_gradient and bias_gradient [C]; any output may be NULL,
/// weight NULL means 1; channels [c0, c1).
void gans_batch_norm_backward(const float *x, const float *gradient, long n, long channels, long length,
                              const float *mean, const float *inverse_std, const float *weight,
                              float *input_gradient, float *weight_gradient, float *bias_gradient, long c0, long c1);

/// Runs task(context, b) for every block b in [0, blocks) on up to `threads` threads (the
/// caller's and the pool's, see pool.c), returning when all are done. Blocks run in any
/// order and on any thread; a call made while the pool is busy runs its blocks itself.
void gans_parallel_run(long threads, long blocks, void (*task)(void *context, long block), void *context);

#endif
