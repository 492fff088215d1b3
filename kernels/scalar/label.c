/* Label family, scalar reference: the specification the SIMD variants must
 * match. */
#include "../internal.h"

/* Contract: see decl_label_runs_fn in internal.h. Branch-free: every pixel
 * writes its x at out[n] (n <= x, inside the row's room) and keeps it only
 * where the foreground state changes, so noisy rows cost no mispredictions. */
decl_label_runs_fn(locdet_label_runs_scalar)
{
    int n = 0, prev = 0;
    for (int x = 0; x < width; x++) {
        int fg = row[x] != 0;
        out[n] = x;
        n += fg ^ prev;
        prev = fg;
    }
    if (prev)
        out[n++] = width;
    return n / 2;
}
