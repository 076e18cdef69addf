/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * nature_words: the ids of the friendly names of the day ("Vlinder 12"), in the order the
 * names module deals them out. Each id has a text "nature.<id>" in every assets/lang file
 * (tests/unit/test_lang.c checks it). Data only: never add an id without its six texts.
 *
 * Left out on purpose: acorn (Dutch "eikel" is an insult), oak (Ukrainian "дуб" also means
 * blockhead), otter (Polish "wydra" is a slur for a woman), seal (Ukrainian "тюлень" also
 * means a lazy person), poppy (opium and war remembrance), lark (Dutch "leeuwerik": three
 * syllables, hard to say).
 */
#ifndef OASE_NATURE_WORDS_H
#define OASE_NATURE_WORDS_H

static const char *const NATURE_WORDS[] = {
    "butterfly", "heron",   "fern",   "shell", "willow", "robin",    "pebble", "moss",     "dune",
    "brook",     "swallow", "clover", "birch", "tulip",  "hedgehog", "reed",   "starling", "lily",
    "swan",      "maple",   "pine",   "wave",  "star",   "dolphin",  "cherry",
};

#define NATURE_WORD_COUNT ((int)(sizeof NATURE_WORDS / sizeof NATURE_WORDS[0]))

#endif
