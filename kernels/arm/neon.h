/* NEON intrinsics: native on aarch64; through SIMDe elsewhere (the x86_64
 * correctness build, -Dneon_simde=true). SIMDe builds are never timed. */
#ifndef LOCDET_ARM_NEON_H
#define LOCDET_ARM_NEON_H
#if defined(__aarch64__)
#include <arm_neon.h>
#else
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/arm/neon.h>
#endif
#endif
