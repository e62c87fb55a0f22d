/* cw_dw_geometry_check: the argument check the depthwise convolution and its
 * gradients share. */
#include <stdint.h>

#include "kernels/depthwise/depthwise_ukernel.h"

cw_status cw_dw_geometry_check(cw_conv_geometry geo, int multiplier, const char *op) {
    if (multiplier < 1)
        return cw_error(CW_ERR_INVALID, "%s: channel multiplier %d, expected >= 1", op, multiplier);
    if ((int64_t)geo.in_c * multiplier > INT32_MAX)
        return cw_error(CW_ERR_INVALID, "%s: %d channels x multiplier %d overflows", op, geo.in_c,
                        multiplier);
    geo.out_c = geo.in_c * multiplier;
    geo.filter_c[0] = geo.in_c, geo.filter_c[1] = multiplier;
    return cw_conv_geometry_check(&geo, op);
}
