// OpenBLAS's CBLAS interface plus the LAPACK routines the metrics need (Debian's
// libopenblas ships LAPACK but not LAPACKE, so we declare the Fortran symbols).
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info);
// Singular values (and vectors), for checking estimates of them in tests.
void dgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n, double *a, const int *lda,
             double *s, double *u, const int *ldu, double *vt, const int *ldvt, double *work,
             const int *lwork, int *info);
// glibc's allocator tuning (mallopt), used by the Tensor module's buffer allocation.
#include <malloc.h>
