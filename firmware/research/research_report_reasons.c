/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_reasons: the Dutch words of the reasons a test is refused, so the Dutch
 * verdict reads Dutch. A reason is made from its English format (design_refuse,
 * randomised_refuse); the Dutch format here takes the same arguments in the same order
 * (test_research_report checks the conversions match). A reason without a row stays English.
 */
#include "research/research_report.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *en, *nl;
} reasons[] = {
    {"fewer than 2 days (or weeks) with answers in %s",
     "minder dan 2 dagen (of weken) met antwoorden in %s"},
    {"fewer than 2 changed sites with 2 days (or weeks) a side",
     "minder dan 2 veranderde locaties met 2 dagen (of weken) aan elke kant"},
    {"the declared control sites have no data in these databases",
     "de opgegeven controlelocaties hebben geen gegevens in deze databases"},
    {"no control site declared ([evaluation] control_sites)",
     "geen controlelocatie opgegeven ([evaluation] control_sites)"},
    {"a time series runs forward: compare the earlier phase (A) with the later one (B)",
     "een tijdreeks loopt vooruit: vergelijk de eerdere fase (A) met de latere (B)"},
    {"an interrupted time series needs at least %d weeks with answers on each side; there are "
     "%zu before and %zu after",
     "een onderbroken tijdreeks heeft aan elke kant minstens %d weken met antwoorden nodig; er "
     "zijn er %zu voor en %zu na"},
    {"no incident counts (the databases have no incident table)",
     "geen tellingen van incidenten (de databases hebben geen incidententabel)"},
    {"too few incidents: some weeks of %s had fewer than k and are hidden",
     "te weinig incidenten: sommige weken van %s hadden er minder dan k en zijn verborgen"},
    {"no incidents were logged in %s: a rate ratio needs some in both phases",
     "in %s zijn geen incidenten vastgelegd: een verhouding van frequenties heeft er in beide "
     "fasen nodig"},
    {"no arrivals in one of the phases", "geen aanmeldingen in een van de fasen"},
    {"no published %s in the compared phases", "geen gepubliceerde %s in de vergeleken fasen"},
    {"fewer than two phases with data", "minder dan twee fasen met gegevens"},
    {"too few units with different values for this test",
     "te weinig eenheden met verschillende waarden voor deze toets"},
    {"every unit has the same value: there is no variation to test",
     "elke eenheid heeft dezelfde waarde: er is geen variatie om te toetsen"},
    {"more than %d conditions were recorded", "er zijn meer dan %d condities vastgelegd"},
    {"only one condition (%s) has run so far: nothing to compare",
     "tot nu toe liep alleen conditie %s: er is niets te vergelijken"},
    {"the allocation of %s cannot be re-drawn from seed %s (block %d, slot %d): the record does "
     "not follow the rule",
     "de toewijzing van %s is niet na te trekken uit seed %s (blok %d, plaats %d): de "
     "vastlegging volgt de regel niet"},
    {"the recorded conditions do not follow seed %s (%s and %s on the same place of the "
     "allocation): the analysis would not match the design",
     "de vastgelegde condities volgen seed %s niet (%s en %s op dezelfde plaats van de "
     "toewijzing): de analyse zou niet bij de opzet passen"},
    {"the recorded days do not show every condition's place in the allocation: too few days so "
     "far",
     "de vastgelegde dagen tonen nog niet de plaats van elke conditie in de toewijzing: nog te "
     "weinig dagen"},
    {"the export holds no experiment days: the kiosk ran no [experiment] in this period",
     "de export bevat geen proefdagen: de kiosk draaide in deze periode geen [experiment]"},
    {"incidents are counted per day without arrivals per condition: choose a stress outcome or "
     "the wait as primary",
     "incidenten worden per dag geteld zonder aanmeldingen per conditie: kies een "
     "stressuitkomst of de wachttijd als hoofduitkomst"},
    {"the recorded blocks hold a condition twice: the allocation is not the kiosk's rule",
     "de vastgelegde blokken bevatten een conditie twee keer: de toewijzing volgt niet de regel "
     "van de kiosk"},
};

const char *research_reason_nl(const char *en_format)
{
    for (size_t i = 0; en_format != NULL && i < sizeof reasons / sizeof reasons[0]; i++) {
        if (strcmp(reasons[i].en, en_format) == 0) {
            return reasons[i].nl;
        }
    }
    return NULL;
}

void research_reason_vformat(char *en, char *nl, const char *en_format, va_list args)
{
    va_list again;
    va_copy(again, args);
    vsnprintf(en, RESEARCH_NOTE_MAX, en_format, args);
    const char *dutch = research_reason_nl(en_format);
    nl[0] = '\0';
    if (dutch != NULL) {
        vsnprintf(nl, RESEARCH_NOTE_MAX, dutch, again);
    }
    va_end(again);
}

/* research_reason_vformat with its arguments given here. */
static void reason_format(char *en, char *nl, const char *en_format, ...)
{
    va_list args;
    va_start(args, en_format);
    research_reason_vformat(en, nl, en_format, args);
    va_end(args);
}

void research_reason_measure(char *en, char *nl, const char *en_format,
                             enum research_measure measure)
{
    char scratch[RESEARCH_NOTE_MAX];
    reason_format(en, scratch, en_format, research_measure_name(measure));
    reason_format(scratch, nl, en_format, research_measure_name_nl(measure));
}

size_t research_reason_count(void)
{
    return sizeof reasons / sizeof reasons[0];
}

void research_reason_pair(size_t index, const char **en, const char **nl)
{
    *en = index < research_reason_count() ? reasons[index].en : NULL;
    *nl = index < research_reason_count() ? reasons[index].nl : NULL;
}
