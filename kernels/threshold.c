/* Threshold family: table init and the checked public entry points. */
#include <string.h>

#include "internal.h"

void locdet_threshold_dsp_init(locdet_kernels *k, unsigned flags)
{
    LOCDET_SET_SLOT(k, threshold, binary, locdet_threshold_binary_scalar, "scalar");
#if LOCDET_HAVE_AVX2
    if (flags & LOCDET_CPU_FLAG_AVX2) {
        LOCDET_SET_SLOT(k, threshold, binary, locdet_threshold_binary_avx2, "avx2");
    }
#endif
#if LOCDET_HAVE_NEON
    if (flags & LOCDET_CPU_FLAG_NEON) {
        LOCDET_SET_SLOT(k, threshold, binary, locdet_threshold_binary_neon, "neon");
    }
#endif
    (void)flags;
}

static void fill(const locdet_image *dst, uint8_t value)
{
    for (int y = 0; y < dst->height; y++)
        memset(dst->data + y * dst->stride, value, (size_t)dst->width);
}

int locdet_threshold_binary(const locdet_kernels *k, const locdet_image *src,
                            const locdet_image *dst, int thresh, bool invert)
{
    if (!k || !locdet_image_valid(src) || !locdet_image_valid(dst) ||
        !locdet_image_same_size(src, dst) || locdet_image_partial_overlap(src, dst))
        return LOCDET_ERR_INVALID;
    /* Out-of-range thresholds have a constant answer, as in OpenCV. */
    if (thresh < 0) {
        fill(dst, invert ? 0 : 255);
        return LOCDET_OK;
    }
    if (thresh >= 255) {
        fill(dst, invert ? 255 : 0);
        return LOCDET_OK;
    }
    k->threshold.binary(dst->data, dst->stride, src->data, src->stride, src->width,
                        src->height, (uint8_t)thresh, invert);
    return LOCDET_OK;
}
