/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of lights_curve: CIE L* -> light output, the scale every scene is written in. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "lights/lights_curve.h"

static void test_curve_ends_are_exactly_dark_and_full(void **state)
{
    (void)state;
    assert_true(lights_curve_luminance(0) == 0.0);
    assert_true(lights_curve_luminance(100) == 1.0);
    assert_true(lights_curve_output(0, 0, 100) == 0.0);
    assert_true(lights_curve_output(100, 0, 100) == 1.0);
}

static void test_curve_rises_at_every_step(void **state)
{
    (void)state;
    double previous = lights_curve_luminance(0);
    for (int i = 1; i <= 10000; i++) {
        double y = lights_curve_luminance(i / 100.0);
        if (!(y > previous)) {
            fail_msg("luminance does not rise at L* %.2f: %.9f after %.9f", i / 100.0, y, previous);
        }
        previous = y;
    }
}

static void test_curve_pieces_meet_at_lightness_8(void **state)
{
    (void)state;
    double cube = pow((8.0 + 16.0) / 116.0, 3); /* the upper formula evaluated at the knee */
    double line = 8.0 / 903.3;                  /* the lower one */
    assert_true(fabs(cube - line) < 1e-6);
    double below = lights_curve_luminance(8.0 - 1e-9);
    double above = lights_curve_luminance(8.0 + 1e-9);
    assert_true(fabs(above - below) < 1e-6);
    assert_true(fabs(lights_curve_luminance(8.0) - line) < 1e-12);
}

static void test_curve_uses_116_not_119(void **state)
{
    (void)state;
    /* CIE: L* 50 is 18.42 % luminance (the "119" copies give 16.4 %). */
    assert_true(fabs(lights_curve_luminance(50) - 0.184187) < 1e-5);
    assert_true(fabs(lights_curve_luminance(4) - 4 / 903.3) < 1e-12);
}

static void test_output_is_scaled_into_the_channel_range_but_off_stays_off(void **state)
{
    (void)state;
    assert_true(lights_curve_output(0, 10, 90) == 0.0);
    assert_true(fabs(lights_curve_output(100, 10, 90) - 0.90) < 1e-12);
    assert_true(fabs(lights_curve_output(0.001, 10, 90) - 0.10) < 1e-4);
    double mid = lights_curve_output(50, 10, 90);
    assert_true(fabs(mid - (10 + 0.184187 * 80) / 100) < 1e-5);
}

static void test_curve_clamps_out_of_range_and_nan(void **state)
{
    (void)state;
    assert_true(lights_curve_luminance(-5) == 0.0);
    assert_true(lights_curve_luminance(250) == 1.0);
    assert_true(lights_curve_luminance(NAN) == 0.0);
    assert_true(lights_curve_output(NAN, 0, 100) == 0.0);
    assert_true(lights_curve_output(120, 0, 100) == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curve_ends_are_exactly_dark_and_full),
        cmocka_unit_test(test_curve_rises_at_every_step),
        cmocka_unit_test(test_curve_pieces_meet_at_lightness_8),
        cmocka_unit_test(test_curve_uses_116_not_119),
        cmocka_unit_test(test_output_is_scaled_into_the_channel_range_but_off_stays_off),
        cmocka_unit_test(test_curve_clamps_out_of_range_and_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
