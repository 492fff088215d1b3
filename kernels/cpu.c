/* CPU detection, in one place: cpuid + xgetbv on x86_64, getauxval on
 * aarch64. The result is combined with what this build carries. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#if defined(__x86_64__)
#include <cpuid.h>

static unsigned detect_x86(void)
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return 0;
    const unsigned osxsave = 1u << 27, avx = 1u << 28;
    if ((ecx & (osxsave | avx)) != (osxsave | avx))
        return 0;
    /* The OS must save the YMM state (XCR0 bits 1 and 2), or AVX faults. */
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    if ((xcr0_lo & 6u) != 6u)
        return 0;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const unsigned avx2 = 1u << 5;
    return (ebx & avx2) ? LOCDET_CPU_FLAG_AVX2 : 0;
}
#elif defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1 << 1)
#endif
#endif

unsigned locdet_cpu_detect(void)
{
    unsigned flags = 0;
#if defined(__x86_64__)
    flags |= detect_x86();
#elif defined(__aarch64__)
    /* Advanced SIMD is mandatory on ARMv8-A; still ask, as the ABI allows. */
    if (getauxval(AT_HWCAP) & HWCAP_ASIMD)
        flags |= LOCDET_CPU_FLAG_NEON;
#endif
#if defined(LOCDET_NEON_SIMDE) && !defined(__aarch64__)
    /* Emulated NEON runs anywhere; it is only chosen when asked for. */
    flags |= LOCDET_CPU_FLAG_NEON;
#endif
    return flags;
}

static const char *const isa_names[LOCDET_ISA_COUNT] = {"scalar", "avx2", "neon"};

const char *locdet_isa_name(locdet_isa isa)
{
    return (unsigned)isa < LOCDET_ISA_COUNT ? isa_names[isa] : "unknown";
}

int locdet_isa_from_name(const char *name)
{
    for (int i = 0; name && i < LOCDET_ISA_COUNT; i++)
        if (strcmp(name, isa_names[i]) == 0)
            return i;
    return -1;
}

static unsigned isa_flags(locdet_isa isa)
{
    switch (isa) {
    case LOCDET_ISA_AVX2: return LOCDET_CPU_FLAG_AVX2;
    case LOCDET_ISA_NEON: return LOCDET_CPU_FLAG_NEON;
    default: return 0;
    }
}

bool locdet_isa_available(locdet_isa isa)
{
    if (isa == LOCDET_ISA_SCALAR)
        return true;
    if ((unsigned)isa >= LOCDET_ISA_COUNT)
        return false;
    return (locdet_cpu_detect() & isa_flags(isa)) != 0;
}

static locdet_isa best_native_isa(void)
{
#if defined(__aarch64__)
    return locdet_isa_available(LOCDET_ISA_NEON) ? LOCDET_ISA_NEON : LOCDET_ISA_SCALAR;
#else
    /* Emulated NEON is never the automatic choice on x86_64. */
    return locdet_isa_available(LOCDET_ISA_AVX2) ? LOCDET_ISA_AVX2 : LOCDET_ISA_SCALAR;
#endif
}

locdet_isa locdet_isa_selected(const char **error)
{
    static const char *env_error;
    static int selected = -1;
    if (selected < 0) {
        locdet_isa isa = best_native_isa();
        const char *env = getenv("LOCDET_ISA");
        if (env && *env) {
            int want = locdet_isa_from_name(env);
            if (want < 0)
                env_error = "LOCDET_ISA: unknown level (expected scalar, avx2 or neon)";
            else if (!locdet_isa_available((locdet_isa)want))
                env_error = "LOCDET_ISA: level not available on this CPU or in this build";
            else
                isa = (locdet_isa)want;
        }
        selected = (int)isa;
    }
    if (error)
        *error = env_error;
    return (locdet_isa)selected;
}

int locdet_default_threads(void)
{
    const char *env = getenv("LOCDET_THREADS");
    if (env && *env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 256)
            return (int)n;
    }
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n >= 1)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}
