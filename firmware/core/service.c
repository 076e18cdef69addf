/* SPDX-License-Identifier: EUPL-1.2 */
/* service: see service.h. */
#include "core/service.h"

#include <stddef.h>
#include <string.h>

const struct service *service_find(const struct service *services, int count, const char *id)
{
    if (id == NULL) {
        return NULL;
    }
    for (int i = 0; i < count; i++) {
        if (strcmp(services[i].id, id) == 0) {
            return &services[i];
        }
    }
    return NULL;
}
