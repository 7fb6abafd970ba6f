/* The fused kernels' native versions (fused_kernels.c), exported by the same addon as the matrix product. */
#ifndef HOW_LLMS_FUSED_KERNELS_H
#define HOW_LLMS_FUSED_KERNELS_H

#include <node_api.h>

/* Define every kernel as a function property of exports; napi_ok or the first failure. */
napi_status register_fused_kernels(napi_env env, napi_value exports);

#endif
