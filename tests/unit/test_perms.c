/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of the start-up permission check: a config or database any user can read is
 * named; a private file, a file in a private folder, and a missing file are not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/perms.h"

static void test_a_world_readable_file_is_named_with_its_mode(void **state)
{
    (void)state;
    char dir[] = "/tmp/oase-perms.XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    char file[128], private_dir[128], hidden[160], why[512];
    snprintf(file, sizeof file, "%s/oase.conf", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);

    assert_int_equal(chmod(file, 0644), 0);
    assert_int_equal(perms_readable_by_others(file, why, sizeof why), 1);
    assert_non_null(strstr(why, "oase.conf"));
    assert_non_null(strstr(why, "0644"));

    assert_int_equal(chmod(file, 0640), 0);
    assert_int_equal(perms_readable_by_others(file, why, sizeof why), 0);

    /* 0644 inside a 0700 folder: nobody else gets there */
    snprintf(private_dir, sizeof private_dir, "%s/state", dir);
    assert_int_equal(mkdir(private_dir, 0700), 0);
    snprintf(hidden, sizeof hidden, "%s/oase.db", private_dir);
    f = fopen(hidden, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(hidden, 0644), 0);
    assert_int_equal(perms_readable_by_others(hidden, why, sizeof why), 0);
    assert_int_equal(chmod(private_dir, 0755), 0);
    assert_int_equal(perms_readable_by_others(hidden, why, sizeof why), 1);

    char missing[160];
    snprintf(missing, sizeof missing, "%s/none", dir);
    assert_int_equal(perms_readable_by_others(missing, why, sizeof why), 0);

    unlink(hidden);
    rmdir(private_dir);
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_world_readable_file_is_named_with_its_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
