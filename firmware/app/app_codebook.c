/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app_codebook: tells the store what the measuring instrument said, so researchers know the
 * exact wording behind every count. Flow: start (languages and store open) ->
 * here -> store_set_codebook / store_set_config_hash -> queued, written on the first tick of
 * each day. Reads the loaded language files and the config; writes nothing itself.
 *
 * The items are the language-file keys of what a visitor reads while answering: the
 * questions, their anchors and answer labels, the anonymity note beside the stress scale,
 * the service question and labels (a service's label comes from its "service.<id>" key, else
 * the config's label, exactly as the screen shows it), and the two waiting messages whose
 * effect wait_message_counts measures. docs/research.md lists them.
 */
#include "app/app_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

static const char *const app_lang_key_names[LANG_KEY_COUNT] = {
#define APP_LANG_KEY_NAME(id, key) [K_##id] = key,
    LANG_KEYS(APP_LANG_KEY_NAME)
#undef APP_LANG_KEY_NAME
};

/* The question and answer labels of the codebook, in the order a visitor meets them. */
static const enum lang_key app_codebook_keys[] = {
    K_SERVICE_TITLE,    K_STRESS_TITLE,    K_STRESS_LOW,        K_STRESS_HIGH,
    K_STRESS_ANONYMOUS, K_STRESS_SKIP,     K_WORD_TITLE,        K_WORD_YES,
    K_WORD_NO,          K_DONE_WAIT_RANGE, K_DONE_WAIT_UNKNOWN, K_DEPART_TITLE,
};

#define APP_CODEBOOK_KEY_COUNT (sizeof app_codebook_keys / sizeof app_codebook_keys[0])

static void app_codebook_add(struct store_codebook_entry *entry, const char *item, const char *lang,
                             const char *text)
{
    snprintf(entry->item, sizeof entry->item, "%s", item);
    snprintf(entry->lang, sizeof entry->lang, "%s", lang);
    snprintf(entry->text, sizeof entry->text, "%s", text);
}

void app_describe_instrument(struct app *app)
{
    const struct oase_config *c = app->config;
    if (c->config_hash[0] != '\0' && store_set_config_hash(app->store, c->config_hash) != 0) {
        log_msg(LOG_WARN, "config hash %s not kept for the phase record", c->config_hash);
    }
    int languages = lang_count(app->langs);
    size_t per_language = APP_CODEBOOK_KEY_COUNT + (size_t)c->service_count;
    size_t capacity = per_language * (size_t)(languages > 0 ? languages : 0);
    if (capacity == 0) {
        return;
    }
    struct store_codebook_entry *entries = calloc(capacity, sizeof *entries);
    if (entries == NULL) {
        log_msg(LOG_WARN, "out of memory for the codebook; wordings are not recorded this run");
        return;
    }
    size_t count = 0;
    for (int i = 0; i < languages; i++) {
        const struct lang *lang = lang_at(app->langs, i);
        const char *code = lang_code(lang);
        for (size_t k = 0; k < APP_CODEBOOK_KEY_COUNT; k++) {
            enum lang_key key = app_codebook_keys[k];
            app_codebook_add(&entries[count++], app_lang_key_names[key], code,
                             lang_text(lang, key));
        }
        for (int s = 0; s < c->service_count; s++) {
            char key[48];
            snprintf(key, sizeof key, "service.%s", c->services[s].id); /* ids: 31 bytes */
            const char *translated = lang_lookup(lang, key);
            app_codebook_add(&entries[count++], key, code,
                             translated ? translated : c->services[s].label);
        }
    }
    if (store_set_codebook(app->store, entries, (int)count) != 0) {
        log_msg(LOG_WARN, "the codebook (%zu wordings) could not be handed to the store", count);
    }
    free(entries);
}
