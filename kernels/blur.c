/* Blur family: table init and the checked public entry points. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void locdet_blur_dsp_init(locdet_kernels *k, unsigned flags)
{
    LOCDET_SET_SLOT(k, blur, gaussian5, locdet_blur_gaussian5_scalar, "scalar");
#if LOCDET_HAVE_AVX2
    if (flags & LOCDET_CPU_FLAG_AVX2) {
        LOCDET_SET_SLOT(k, blur, gaussian5, locdet_blur_gaussian5_avx2, "avx2");
    }
#endif
#if LOCDET_HAVE_NEON
    if (flags & LOCDET_CPU_FLAG_NEON) {
        LOCDET_SET_SLOT(k, blur, gaussian5, locdet_blur_gaussian5_neon, "neon");
    }
#endif
    (void)flags;
}

size_t locdet_blur_gaussian5_scratch_bytes(int width)
{
    /* One row of 16-bit column sums with 2 reflected pixels each side, and
     * room for whole vectors past the end. */
    return (sizeof(uint16_t) * ((size_t)width + 4 + 64) + 63) & ~(size_t)63;
}

int locdet_blur_gaussian5(const locdet_kernels *k, const locdet_image *src,
                          const locdet_image *dst)
{
    if (!k || !locdet_image_valid(src) || !locdet_image_valid(dst) ||
        !locdet_image_same_size(src, dst) || locdet_image_partial_overlap(src, dst))
        return LOCDET_ERR_INVALID;
    locdet_image out = *dst;
    if (dst->data == src->data) { /* in place: rows above are still needed */
        out.stride = src->width;
        out.data = malloc((size_t)src->width * (size_t)src->height);
        if (!out.data)
            return LOCDET_ERR_NOMEM;
    }
    void *scratch = aligned_alloc(64, locdet_blur_gaussian5_scratch_bytes(src->width));
    if (scratch)
        k->blur.gaussian5(out.data, out.stride, src->data, src->stride, src->width, src->height,
                          scratch);
    bool ok = scratch != NULL;
    free(scratch);
    if (out.data != dst->data) {
        for (int y = 0; y < dst->height && ok; y++)
            memcpy(dst->data + y * dst->stride, out.data + y * out.stride, (size_t)dst->width);
        free(out.data);
    }
    return ok ? LOCDET_OK : LOCDET_ERR_NOMEM;
}
