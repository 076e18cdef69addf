/* SPDX-License-Identifier: EUPL-1.2 */
/* lights_curve: see lights_curve.h. Called per channel on every lights_tick(). */
#include "lights/lights_curve.h"

#include <math.h>

#define CURVE_KNEE 8.0    /* L* where the cube and the straight line meet */
#define CURVE_KAPPA 903.3 /* slope of the straight part, (29/3)^3 rounded as CIE writes it */

double lights_curve_luminance(double lightness)
{
    if (!(lightness > 0)) { /* also NaN */
        return 0;
    }
    if (lightness >= 100) {
        return 1;
    }
    if (lightness <= CURVE_KNEE) {
        return lightness / CURVE_KAPPA;
    }
    double f = (lightness + 16.0) / 116.0;
    return f * f * f;
}

double lights_curve_output(double lightness, double min_percent, double max_percent)
{
    if (!(lightness > 0)) {
        return 0;
    }
    double y = lights_curve_luminance(lightness);
    double out = (min_percent + y * (max_percent - min_percent)) / 100.0;
    return out < 0 ? 0 : out > 1 ? 1 : out;
}
