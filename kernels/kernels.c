/* The kernel tables: one per ISA level, built once on first use. */
#include <pthread.h>
#include <string.h>

#include "internal.h"

static locdet_kernels tables[LOCDET_ISA_COUNT];
static bool table_ready[LOCDET_ISA_COUNT];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static unsigned flags_for(locdet_isa isa)
{
    switch (isa) {
    case LOCDET_ISA_AVX2: return LOCDET_CPU_FLAG_AVX2;
    case LOCDET_ISA_NEON: return LOCDET_CPU_FLAG_NEON;
    default: return 0;
    }
}

static void build_tables(void)
{
    for (int i = 0; i < LOCDET_ISA_COUNT; i++) {
        if (!locdet_isa_available((locdet_isa)i))
            continue;
        locdet_kernels *k = &tables[i];
        memset(k, 0, sizeof *k);
        k->isa = (locdet_isa)i;
        k->flags = flags_for((locdet_isa)i);
        /* Each family init fills its slots with the scalar reference, then
         * raises them to the ISA named by k->flags where a variant exists. */
        locdet_threshold_dsp_init(k, k->flags);
        locdet_blur_dsp_init(k, k->flags);
        locdet_morph_dsp_init(k, k->flags);
        locdet_contour_dsp_init(k, k->flags);
        locdet_label_dsp_init(k, k->flags);
        table_ready[i] = true;
    }
}

const locdet_kernels *locdet_kernels_for_isa(locdet_isa isa)
{
    if ((unsigned)isa >= LOCDET_ISA_COUNT)
        return NULL;
    pthread_once(&tables_once, build_tables);
    return table_ready[isa] ? &tables[isa] : NULL;
}

const locdet_kernels *locdet_kernels_default(void)
{
    return locdet_kernels_for_isa(locdet_isa_selected(NULL));
}

locdet_isa locdet_kernels_isa(const locdet_kernels *k)
{
    return k ? k->isa : LOCDET_ISA_SCALAR;
}

void locdet_slot_record(locdet_kernels *k, const char *slot, const char *variant)
{
    for (int i = 0; i < k->slot_count; i++) {
        if (strcmp(k->slots[i].slot, slot) == 0) {
            k->slots[i].variant = variant;
            return;
        }
    }
    if (k->slot_count < LOCDET_MAX_SLOTS) {
        k->slots[k->slot_count].slot = slot;
        k->slots[k->slot_count].variant = variant;
        k->slot_count++;
    }
}

int locdet_kernels_describe(const locdet_kernels *k, locdet_slot_visitor visit, void *ctx)
{
    if (!k)
        return 0;
    for (int i = 0; i < k->slot_count && visit; i++)
        visit(ctx, k->slots[i].slot, k->slots[i].variant);
    return k->slot_count;
}

const char *locdet_status_string(int status)
{
    switch (status) {
    case LOCDET_OK: return "ok";
    case LOCDET_ERR_INVALID: return "invalid argument";
    case LOCDET_ERR_NOMEM: return "out of memory";
    case LOCDET_ERR_OVERFLOW: return "result does not fit";
    case LOCDET_ERR_CANCELLED: return "cancelled";
    default: return "unknown status";
    }
}

bool locdet_image_valid(const locdet_image *img)
{
    if (!img || !img->data || img->width <= 0 || img->height <= 0)
        return false;
    if (img->stride < (ptrdiff_t)img->width)
        return false;
    /* The byte span must be addressable. */
    if ((size_t)img->height > (size_t)PTRDIFF_MAX / (size_t)img->stride)
        return false;
    return true;
}

bool locdet_image_same_size(const locdet_image *a, const locdet_image *b)
{
    return a->width == b->width && a->height == b->height;
}

bool locdet_image_partial_overlap(const locdet_image *a, const locdet_image *b)
{
    uintptr_t a0 = (uintptr_t)a->data;
    uintptr_t a1 = a0 + (uintptr_t)((a->height - 1) * a->stride + a->width);
    uintptr_t b0 = (uintptr_t)b->data;
    uintptr_t b1 = b0 + (uintptr_t)((b->height - 1) * b->stride + b->width);
    bool overlap = a0 < b1 && b0 < a1;
    bool identical = a0 == b0 && a->stride == b->stride;
    return overlap && !identical;
}
