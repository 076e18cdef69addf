/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * service: one of the services a visitor can choose ([services] of oase.conf), as the
 * journey, the screens and the host page know it. A plain value: the config module fills a
 * list of them, the others read it. Knows nothing of files or languages.
 */
#ifndef OASE_SERVICE_H
#define OASE_SERVICE_H

#define SERVICE_MAX 6 /* services a kiosk offers at most (tiles on the service screen) */

struct service {
    char id[32];    /* stable id: [a-z0-9_-]; key of "service.<id>" in language files */
    char label[64]; /* Dutch label shown when a language file has no translation */
    char icon[16];  /* pictogram name, see ui/draw.h (money, work, home, care, question...) */
};

/* The service with this id among the count in services, or NULL (also for a NULL id). */
const struct service *service_find(const struct service *services, int count, const char *id);

#endif
