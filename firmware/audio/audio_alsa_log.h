/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_alsa_log: libasound's own error lines ("ALSA lib confmisc.c:855:(parse_card) cannot
 * find card '0'", eight of them on each try to open a missing device, every 30 s) go through
 * the kiosk's log, each kind once a day (core/ratelog) instead of straight to stderr.
 * SDL loads libasound itself (dlopen); the kiosk does not link it: this loads it too, keeps
 * it loaded (so SDL's unload between retries cannot drop the handler) and sets the handler.
 */
#ifndef OASE_AUDIO_ALSA_LOG_H
#define OASE_AUDIO_ALSA_LOG_H

/* Sets the handler once; without libasound (another platform) it does nothing. */
void audio_alsa_log_quiet(void);

#endif
