/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_curve: perceived lightness (CIE 1976 L*, the scale scenes are written in) to light
 * output. Pure arithmetic: no state, no hardware. Uses the CIE formula exactly (116, not
 * the 119 found in some copies), so 0 maps to 0 and 100 to full output and the two pieces
 * meet at L* = 8.
 */
#ifndef OASE_LIGHTS_CURVE_H
#define OASE_LIGHTS_CURVE_H

/*
 * Relative luminance Y (0..1) of lightness L* (0..100): ((L*+16)/116)^3 above L* = 8,
 * L* / 903.3 at or below. Values outside 0..100 are clamped; NaN gives 0.
 */
double lights_curve_luminance(double lightness);

/*
 * The output fraction (0..1: PWM duty, wiper position) a channel drives for lightness:
 * 0 for L* <= 0 (off is off), otherwise min_percent + Y * (max_percent - min_percent),
 * divided by 100. min_percent is the dimmest output at which the lamp still lights evenly.
 */
double lights_curve_output(double lightness, double min_percent, double max_percent);

#endif
