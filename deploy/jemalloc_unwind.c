/* Linked into executables only with -Djemalloc_static=true (the Lambda packages).
 *
 * Debian builds jemalloc with heap profiling, whose backtraces call libgcc's unwinder
 * (_Unwind_Backtrace). Linked statically, that pulls in either libgcc_s.so.1 or
 * libgcc_eh.a, and Debian 12's builds of both need _dl_find_object@GLIBC_2.35, which
 * provided.al2023 (glibc 2.34) lacks: the function would not start. jemalloc calls the
 * unwinder only while sampling for a heap profile (MALLOC_CONF=prof:true, never set for
 * locdet), so these definitions report an empty stack: a profile would show no frames,
 * and allocation itself is untouched. Hidden: nothing outside the executable binds to them. */
#include <stdint.h>

struct _Unwind_Context;
typedef int (*locdet_unwind_trace_fn)(struct _Unwind_Context *, void *);

#define URC_END_OF_STACK 5 /* _Unwind_Reason_Code of <unwind.h> */

__attribute__((visibility("hidden"))) int _Unwind_Backtrace(locdet_unwind_trace_fn fn, void *arg);
__attribute__((visibility("hidden"))) uintptr_t _Unwind_GetIP(struct _Unwind_Context *ctx);

int _Unwind_Backtrace(locdet_unwind_trace_fn fn, void *arg)
{
    (void)fn;
    (void)arg;
    return URC_END_OF_STACK;
}

uintptr_t _Unwind_GetIP(struct _Unwind_Context *ctx)
{
    (void)ctx;
    return 0;
}
