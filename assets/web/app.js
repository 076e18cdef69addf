// SPDX-License-Identifier: EUPL-1.2
// Oase host page: today's arrivals, live. Asks /api/state every second (a check-in shows
// within 2 s), and posts the host's taps with the session's CSRF token. Every text from the
// kiosk (friendly names, service labels, scene names, errors) is set with textContent:
// nothing from the server is ever parsed as HTML.
'use strict';

const POLL_MS = 1000;
const TOAST_MS = 8000;
const GUARD_MS = 500; // no tap counts this long after the list moved or a status changed

const TEXTS = {
  nl: {
    title: 'Aankomsten',
    page_title: 'Oase · Aankomsten',
    logout: 'Afmelden',
    live: 'Live',
    offline: 'Geen verbinding met de kiosk…',
    waiting: 'Wachtend',
    nobody_waiting: 'Er wacht nu niemand.',
    done: 'Afgehandeld vandaag',
    arrived: 'aangemeld {t}',
    minutes: '{m} min',
    wants_word: 'Wil graag praten',
    collected: 'Opgehaald',
    no_show: 'Niet gekomen',
    left: 'Vertrokken',
    undo: 'Ongedaan maken',
    collected_after: 'Opgehaald na {m} min',
    marked_collected: '{name}: opgehaald',
    marked_no_show: '{name}: niet gekomen',
    marked_waiting: '{name}: weer wachtend',
    today: 'Vandaag',
    checkins: 'Aangemeld',
    waiting_now: 'Wacht nu',
    median_wait: 'Wachttijd (mediaan)',
    response: 'Beantwoord',
    stress: 'Stress gemiddeld (0–10)',
    stress_from: 'vanaf {k} antwoorden ({n} nu)',
    stress_of: '{mean} (van {n} antwoorden)',
    stress_off: 'niet gevraagd',
    incidents: 'Incidenten',
    incident_parts: 'verbaal {v} · fysiek {p} · anders {o}',
    room: 'Ruimte',
    light_now: 'Licht: {scene}, {level} %',
    light_fading: ' (gaat over)',
    light_until: 'Gekozen tot {t}, daarna volgt het schema.',
    experiment_day: 'Experiment {name}: conditie {condition} (dag {day} van {days})',
    experiment_not_now: 'buiten de openingstijden volgt de ruimte het schema',
    experiment_none_today: 'Experiment {name}: vandaag geen experimentdag ({days} dagen in totaal)',
    experiment_overrides: 'Experiment: vandaag {n} keer door een host aangepast (wordt geteld; mag altijd voor de veiligheid)',
    light_schedule: 'Volgt het schema.',
    light_next: 'Volgende wijziging om {t}.',
    light_test: 'De lichttest van het staff-menu loopt.',
    follow_schedule: 'Volg schema',
    no_lights: 'Geen lichtregeling op deze kiosk.',
    audio_line: 'Geluid: {source}, {db} dB{off}',
    audio_silent: ' (stil)',
    audio_line_silent: 'Geluid: {source}, nu stil',
    sound_sea: 'Zee',
    sound_rain: 'Regen',
    sound_forest: 'Bos',
    sound_music: 'Muziek',
    sound_off: 'Uit',
    softer: 'Zachter',
    louder: 'Harder',
    count_incident: 'Incident tellen',
    incident_hint: 'Eén tik telt één incident voor het onderzoek. Zonder namen of tekst.',
    verbal: 'Verbaal',
    physical: 'Fysiek',
    other: 'Anders',
    incident_counted: 'Geteld: {kind}. Vandaag {n} in totaal.',
    health: 'Kiosk',
    health_light: 'Licht {name} ({driver}): {state}',
    health_fine: 'in orde',
    health_sim: 'zonder hardware (gesimuleerd)',
    health_audio: 'Geluid: {state}',
    health_disk: 'Vrije schijfruimte: {free} ({pct} %)',
    health_disk_unknown: 'Vrije schijfruimte: onbekend',
    health_db_fine: 'Database: in orde',
    health_db_error: 'Database: {error}',
    health_db_failed: 'Database: {n} schrijfacties mislukt',
    health_clock_unsynced: 'Klok niet gelijk: nog niet gesynchroniseerd (NTP); tijden kunnen afwijken',
    health_clock_stale: 'Klok niet gelijk: de klok staat achter op de database; tijden en dagen kunnen afwijken',
    health_db_fault: 'Databasefout bij het starten: {fault}',
    health_db_memory: 'Database: geen bestand, er wordt alleen in het geheugen geteld (weg na een herstart)',
    health_db_unsaved: 'Gegevens niet opgeslagen sinds {since}, {n} wachten in het geheugen',
    health_answers_pooled: '{n} antwoorden wachten op een groep van {k} (anoniem; bij stroomuitval weg)',
    health_answers_withheld: '{n} antwoorden niet bewaard sinds de start: minder dan {k} over aan het eind van een dag',
    health_answers_refused: '{n} antwoorden geweigerd: te veel tegelijk in het geheugen',
    health_db_lost: 'Database: {n} antwoorden verloren (geheugen vol)',
    failed: 'Dat lukte niet. Probeer het opnieuw.',
    busy: 'De kiosk is even druk. Probeer het zo opnieuw.',
    waits_long: 'lang',
    waits_very_long: 'heel lang',
    longest: 'Langste wachttijd: {m} min',
    all_services: 'Alle',
    claim: 'Ik haal deze',
    unclaim: 'Toch niet',
    claimed_by_me: 'U haalt deze · {t}',
    claimed_other: 'Wordt gehaald · {t}',
    claim_taken: 'Een andere balie haalt deze al.',
    sound_on: 'Geluid bij aankomst: aan',
    sound_off_alert: 'Geluid bij aankomst: uit',
    confirm_alert_off: 'Geluid bij nieuwe aankomsten uitzetten? U hoort dan niets meer als iemand aankomt.',
    confirm_closed: 'Licht naar "{scene}" ({level})? Dat maakt de wachtruimte donker.',
    confirm_sound_off: 'Het geluid in de wachtruimte uitzetten?',
    new_arrival: 'Nieuw: {name}, {service}',
    new_word: '{name} wil graag praten',
    help: 'Hulp gevraagd bij de kiosk ({n}×)',
    help_seen: 'Gezien',
    offline_banner: 'Geen verbinding met de kiosk. Laatst bijgewerkt {t}. De lijst is vergrendeld tot de verbinding terug is.',
    shortcuts: 'Toetsen: ↑ ↓ kiezen · O opgehaald · N niet gekomen · H ik haal deze · U ongedaan maken · F dienst',
    marked_at: 'om {t}',
    no_sound_device: 'geen geluidsapparaat: de kiosk is stil',
    sound_removed: 'het geluidsapparaat is losgekoppeld: de kiosk is stil en zoekt het steeds opnieuw',
    no_music: 'muziek: er is geen muziekmap ingesteld, er speelt een andere bron',
    gpio_failed: 'een GPIO-lijn aansturen lukte niet ({why})',
  },
  en: {
    title: 'Arrivals',
    page_title: 'Oase · Arrivals',
    logout: 'Log out',
    live: 'Live',
    offline: 'No connection to the kiosk…',
    waiting: 'Waiting',
    nobody_waiting: 'Nobody is waiting now.',
    done: 'Done today',
    arrived: 'arrived {t}',
    minutes: '{m} min',
    wants_word: 'Would like a word',
    collected: 'Collected',
    no_show: 'Did not come',
    left: 'Left',
    undo: 'Undo',
    collected_after: 'Collected after {m} min',
    marked_collected: '{name}: collected',
    marked_no_show: '{name}: did not come',
    marked_waiting: '{name}: waiting again',
    today: 'Today',
    checkins: 'Checked in',
    waiting_now: 'Waiting now',
    median_wait: 'Wait (median)',
    response: 'Answered',
    stress: 'Average stress (0–10)',
    stress_from: 'from {k} answers ({n} now)',
    stress_of: '{mean} (of {n} answers)',
    stress_off: 'not asked',
    incidents: 'Incidents',
    incident_parts: 'verbal {v} · physical {p} · other {o}',
    room: 'Room',
    light_now: 'Light: {scene}, {level} %',
    light_fading: ' (changing)',
    light_until: 'Chosen until {t}, then the schedule resumes.',
    experiment_day: 'Experiment {name}: condition {condition} (day {day} of {days})',
    experiment_not_now: 'outside opening hours the room follows the schedule',
    experiment_none_today: 'Experiment {name}: no experiment day today ({days} days in all)',
    experiment_overrides: 'Experiment: changed by a host {n} times today (counted; always allowed for safety)',
    light_schedule: 'Follows the schedule.',
    light_next: 'Next change at {t}.',
    light_test: 'The staff menu’s light test is on.',
    follow_schedule: 'Follow schedule',
    no_lights: 'No light control on this kiosk.',
    audio_line: 'Sound: {source}, {db} dB{off}',
    audio_silent: ' (silent)',
    audio_line_silent: 'Sound: {source}, silent now',
    sound_sea: 'Sea',
    sound_rain: 'Rain',
    sound_forest: 'Forest',
    sound_music: 'Music',
    sound_off: 'Off',
    softer: 'Softer',
    louder: 'Louder',
    count_incident: 'Count an incident',
    incident_hint: 'One tap counts one incident for the evaluation. No names, no text.',
    verbal: 'Verbal',
    physical: 'Physical',
    other: 'Other',
    incident_counted: 'Counted: {kind}. {n} today in all.',
    health: 'Kiosk',
    health_light: 'Light {name} ({driver}): {state}',
    health_fine: 'fine',
    health_sim: 'without hardware (simulated)',
    health_audio: 'Sound: {state}',
    health_disk: 'Free disk space: {free} ({pct} %)',
    health_disk_unknown: 'Free disk space: unknown',
    health_db_fine: 'Database: fine',
    health_db_error: 'Database: {error}',
    health_db_failed: 'Database: {n} writes failed',
    health_clock_unsynced: 'Clock not right: not synchronised yet (NTP); times may be off',
    health_clock_stale: 'Clock not right: the clock is behind the database; times and days may be off',
    health_db_fault: 'Database fault at start: {fault}',
    health_db_memory: 'Database: no file, counting in memory only (gone after a restart)',
    health_db_unsaved: 'Data not saved since {since}, {n} waiting in memory',
    health_answers_pooled: '{n} answers wait for a group of {k} (anonymity; lost on a power cut)',
    health_answers_withheld: '{n} answers not kept since the start: fewer than {k} left at the end of a day',
    health_answers_refused: '{n} answers refused: too many in memory at once',
    health_db_lost: 'Database: {n} answers lost (memory full)',
    failed: 'That did not work. Please try again.',
    busy: 'The kiosk is busy. Please try again shortly.',
    waits_long: 'long',
    waits_very_long: 'very long',
    longest: 'Longest wait: {m} min',
    all_services: 'All',
    claim: 'I’ll take this one',
    unclaim: 'Not me after all',
    claimed_by_me: 'You take this · {t}',
    claimed_other: 'Being collected · {t}',
    claim_taken: 'Another desk already takes this one.',
    sound_on: 'Sound on arrival: on',
    sound_off_alert: 'Sound on arrival: off',
    confirm_alert_off: 'Switch off the sound for new arrivals? You will hear nothing when someone arrives.',
    confirm_closed: 'Light to "{scene}" ({level})? That makes the waiting room dark.',
    confirm_sound_off: 'Switch off the sound in the waiting room?',
    new_arrival: 'New: {name}, {service}',
    new_word: '{name} would like a word',
    help: 'Help asked at the kiosk ({n}×)',
    help_seen: 'Seen',
    offline_banner: 'No connection to the kiosk. Last updated {t}. The list is locked until the connection is back.',
    shortcuts: 'Keys: ↑ ↓ choose · O collected · N did not come · H I’ll take this one · U undo · F service',
    marked_at: 'at {t}',
    no_sound_device: 'no sound device: the kiosk is silent',
    sound_removed: 'the sound device was removed: the kiosk is silent and keeps looking for it',
    no_music: 'music: no music folder is set, another source plays',
    gpio_failed: 'driving a GPIO line failed ({why})',
  },
};

const state = {
  lang: 'nl',
  csrf: '',
  last: null, // the latest /api/state answer
  online: true,
  cards: new Map(), // arrival number -> its card element (waiting list)
  rows: new Map(), // arrival number -> its row element (done list)
  busy: new Set(), // arrival numbers with a request under way
  toastTimer: null,
  toastUndo: null,
  incident: null, // the incident just counted: { kind, at }, shown for a while
  etag: '', // of the last /api/state answer
  guardUntil: 0, // taps before this instant are ignored (the list just moved)
  order: '', // the waiting list's order last drawn
  seen: null, // arrival numbers already announced (null until the first answer)
  words: new Set(), // numbers already announced as wanting a word
  help: 0, // help requests last seen
  unseen: 0, // new arrivals since the page was last looked at (title badge)
  alert: localStorage.getItem('oase.alert') !== 'off', // soft sound on a new arrival
  filter: localStorage.getItem('oase.filter') || '', // service id, '' = all
  thresholds: [15, 30], // minutes: long, very long (from /api/session)
  audio: null, // AudioContext, made on the first tap (browsers need one)
};

const INCIDENT_NOTE_MS = 10000;

function t(key, values) {
  let text = (TEXTS[state.lang] && TEXTS[state.lang][key]) || TEXTS.nl[key] || '';
  for (const [name, value] of Object.entries(values || {})) {
    text = text.split('{' + name + '}').join(String(value));
  }
  return text;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function byId(id) {
  return document.getElementById(id);
}

// --- requests ---------------------------------------------------------------------------

async function post(path, fields) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'X-CSRF-Token': state.csrf },
    body: new URLSearchParams(fields),
    credentials: 'same-origin',
  });
  if (response.status === 401) {
    location.replace('/login');
  }
  return response;
}

async function refresh() {
  try {
    const headers = state.etag && state.last ? { 'If-None-Match': state.etag } : {};
    const response = await fetch('/api/state', { credentials: 'same-origin', cache: 'no-store', headers });
    if (response.status === 401) {
      location.replace('/login');
      return;
    }
    if (response.status === 304) {
      if (!state.online) {
        state.online = true;
        render();
      }
      return;
    }
    if (!response.ok) throw new Error('status ' + response.status);
    state.etag = response.headers.get('ETag') || '';
    state.last = await response.json();
    state.online = true;
    noticeNews(state.last);
    render();
  } catch (e) {
    state.online = false;
    render();
  }
}

// A tap counts only when the page is live and the list has not just moved under the pointer.
function guarded() {
  return !state.online || Date.now() < state.guardUntil;
}

// --- attention: sound, title badge, announcements ---------------------------------------

function chime() {
  if (!state.alert || !state.audio) return;
  const ctx = state.audio;
  const now = ctx.currentTime;
  for (const [freq, start] of [[660, 0], [880, 0.18]]) { // two soft notes, no alarm
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0, now + start);
    gain.gain.linearRampToValueAtTime(0.06, now + start + 0.05);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + start + 0.7);
    osc.connect(gain).connect(ctx.destination);
    osc.start(now + start);
    osc.stop(now + start + 0.75);
  }
}

function announce(text) {
  byId('announce').textContent = text;
}

function updateTitle() {
  document.title = (state.unseen > 0 ? '(' + state.unseen + ') ' : '') + t('page_title');
}

// New arrivals, new "wants a word" and new help requests: a soft sound, a badge, a line
// for screen readers. The first answer after loading only learns what is there.
function noticeNews(s) {
  const waiting = s.arrivals.filter((a) => a.status === 'waiting');
  const first = state.seen === null;
  if (first) state.seen = new Set();
  const news = [];
  for (const a of waiting) {
    if (!state.seen.has(a.number)) {
      state.seen.add(a.number);
      if (!first) news.push(t('new_arrival', { name: a.name, service: serviceLabel(a) }));
    }
    if (a.wants_word && !state.words.has(a.number)) {
      state.words.add(a.number);
      if (!first) news.push(t('new_word', { name: a.name }));
    }
  }
  const help = s.help_requests || 0;
  if (help > state.help && !first) news.push(t('help', { n: help }));
  state.help = help;
  if (news.length > 0) {
    chime();
    announce(news.join('. '));
    if (document.hidden || !document.hasFocus()) state.unseen += news.length;
  }
  updateTitle();
}

// Undo (status 'waiting', from the toast or the done list) is not guarded: neither moves
// under the pointer, and an undo must work at once.
async function setStatus(arrival, status) {
  if (!state.online || state.busy.has(arrival.number)) return;
  if (status !== 'waiting' && guarded()) return;
  state.guardUntil = Date.now() + GUARD_MS;
  state.busy.add(arrival.number);
  render();
  let ok = false;
  try {
    const response = await post('/api/arrival', { number: arrival.number, status: status });
    ok = response.ok;
    if (!ok) showToast(t(response.status === 503 ? 'busy' : 'failed'));
  } catch (e) {
    showToast(t('failed'));
  }
  state.busy.delete(arrival.number);
  if (ok && status !== 'waiting') {
    const key = status === 'collected' ? 'marked_collected' : 'marked_no_show';
    showToast(t(key, { name: arrival.name }), () => setStatus(arrival, 'waiting'));
  } else if (ok) {
    showToast(t('marked_waiting', { name: arrival.name }));
  }
  state.guardUntil = Date.now() + GUARD_MS;
  await refresh();
}

async function setClaim(arrival, claim) {
  if (guarded() || state.busy.has(arrival.number)) return;
  state.busy.add(arrival.number);
  render();
  try {
    const response = await post('/api/claim', { number: arrival.number, claim: claim ? '1' : '0' });
    if (response.status === 409) showToast(t('claim_taken'));
    else if (!response.ok) showToast(t(response.status === 503 ? 'busy' : 'failed'));
  } catch (e) {
    showToast(t('failed'));
  }
  state.busy.delete(arrival.number);
  await refresh();
}

async function countIncident(kind, button) {
  button.disabled = true;
  try {
    const response = await post('/api/incident', { kind: kind });
    if (response.ok) {
      state.incident = { kind: kind, at: Date.now() };
      await refresh();
    } else {
      showToast(t(response.status === 503 ? 'busy' : 'failed'));
    }
  } catch (e) {
    showToast(t('failed'));
  }
  button.disabled = false;
}

async function chooseScene(fields) {
  try {
    const response = await post('/api/room', fields);
    if (!response.ok) showToast(t('failed'));
  } catch (e) {
    showToast(t('failed'));
  }
  setTimeout(refresh, 300);
}

// --- drawing ----------------------------------------------------------------------------

function serviceLabel(arrival) {
  const labels = arrival.service_label || {};
  return labels[state.lang] || labels.nl || arrival.service || '';
}

function makeCard(arrival) {
  const card = el('li', 'card');
  const who = el('div', 'who');
  who.append(el('span', 'name'), el('span', 'service'));
  const when = el('div', 'when');
  when.append(el('span', 'waited'), el('span', 'time'));
  const word = el('p', 'wants-word');
  const actions = el('div', 'actions');
  const collected = el('button', 'primary');
  collected.type = 'button';
  collected.dataset.action = 'collected';
  const noShow = el('button', 'secondary');
  noShow.type = 'button';
  noShow.dataset.action = 'no_show';
  const take = el('button', 'quiet claim');
  take.type = 'button';
  take.dataset.action = 'claim';
  actions.append(collected, take, noShow);
  card.tabIndex = -1;
  card.append(who, word, when, actions);
  collected.addEventListener('click', () => setStatus(card.arrival, 'collected'));
  noShow.addEventListener('click', () => setStatus(card.arrival, 'no_show'));
  take.addEventListener('click', () => setClaim(card.arrival, !card.arrival.claimed_by_me));
  card.addEventListener('focus', () => { state.focused = card.arrival.number; });
  return card;
}

function fillCard(card, arrival) {
  card.arrival = arrival;
  card.dataset.number = arrival.number;
  card.classList.toggle('word', arrival.wants_word);
  card.querySelector('.name').textContent = arrival.name;
  card.querySelector('.service').textContent = serviceLabel(arrival);
  const level = arrival.minutes >= state.thresholds[1] ? 2 : arrival.minutes >= state.thresholds[0] ? 1 : 0;
  card.classList.toggle('wait-long', level === 1);
  card.classList.toggle('wait-very-long', level === 2);
  // The level also shows without colour: a fill for long, a dark frame for very long, and
  // the words for screen readers.
  const waited = card.querySelector('.waited');
  waited.textContent = t('minutes', { m: arrival.minutes });
  const level_text = level === 2 ? t('waits_very_long') : level === 1 ? t('waits_long') : '';
  waited.append(el('span', 'sr-only', level_text ? ' (' + level_text + ')' : ''));
  waited.title = level_text;
  const time = card.querySelector('.time');
  time.textContent = arrival.arrived;
  time.title = t('arrived', { t: arrival.arrived });
  const word = card.querySelector('.wants-word');
  word.hidden = !arrival.wants_word;
  word.textContent = t('wants_word');
  card.classList.toggle('claimed', !!arrival.claimed);
  const busy = state.busy.has(arrival.number) || !state.online;
  const taken = arrival.claimed && !arrival.claimed_by_me;
  for (const button of card.querySelectorAll('button')) {
    const action = button.dataset.action;
    button.disabled = busy || (action === 'claim' && taken);
    if (action !== 'claim') {
      button.textContent = t(action);
      continue;
    }
    // The claim lives in its button: "Ik haal deze", "U haalt deze (09:12)", "Wordt gehaald".
    button.textContent = arrival.claimed
      ? t(arrival.claimed_by_me ? 'claimed_by_me' : 'claimed_other', { t: arrival.claimed_at || '' })
      : t('claim');
    button.title = arrival.claimed_by_me ? t('unclaim') : '';
    button.setAttribute('aria-pressed', String(!!arrival.claimed_by_me));
    button.classList.toggle('taken', !!taken);
  }
}

function makeRow(arrival) {
  const row = el('li');
  const undo = el('button', 'quiet');
  undo.type = 'button';
  row.append(el('span', 'name'), el('span', 'service'), el('span', 'outcome'), undo);
  undo.addEventListener('click', () => setStatus(row.arrival, 'waiting'));
  return row;
}

function fillRow(row, arrival) {
  row.arrival = arrival;
  row.dataset.number = arrival.number;
  row.querySelector('.name').textContent = arrival.name;
  row.querySelector('.service').textContent = serviceLabel(arrival);
  row.querySelector('.outcome').textContent =
    (arrival.status === 'collected'
      ? t('collected_after', { m: arrival.minutes })
      : t(arrival.status === 'left' ? 'left' : 'no_show')) +
    (arrival.marked ? ' ' + t('marked_at', { t: arrival.marked }) : '');
  const undo = row.querySelector('button');
  undo.textContent = t('undo');
  undo.disabled = state.busy.has(arrival.number) || !state.online;
}

// Puts the elements for list into parent in order, reusing each number's element.
function syncList(parent, cache, list, make, fill) {
  const keep = new Set();
  list.forEach((arrival, index) => {
    let node = cache.get(arrival.number);
    if (!node) {
      node = make(arrival);
      cache.set(arrival.number, node);
    }
    fill(node, arrival);
    keep.add(arrival.number);
    if (parent.children[index] !== node) parent.insertBefore(node, parent.children[index] || null);
  });
  for (const [number, node] of cache) {
    if (!keep.has(number)) {
      node.remove();
      cache.delete(number);
    }
  }
}

// Service chips with the number waiting for each; a tap shows only that service.
function renderFilter(waiting) {
  const counts = new Map();
  const labels = new Map();
  for (const a of waiting) {
    counts.set(a.service, (counts.get(a.service) || 0) + 1);
    labels.set(a.service, serviceLabel(a));
  }
  if (state.filter && !counts.has(state.filter)) {
    counts.set(state.filter, 0);
    labels.set(state.filter, state.filter);
  }
  const wanted = [''].concat(Array.from(counts.keys()).sort());
  const box = byId('service-filter');
  if (Array.from(box.children).map((b) => b.dataset.service).join('\n') !== wanted.join('\n')) {
    box.replaceChildren(...wanted.map((id) => {
      const button = el('button', 'chip filter-chip');
      button.type = 'button';
      button.dataset.service = id;
      button.addEventListener('click', () => setFilter(id));
      return button;
    }));
  }
  for (const button of box.children) {
    const id = button.dataset.service;
    const n = id === '' ? waiting.length : counts.get(id) || 0;
    button.textContent = (id === '' ? t('all_services') : labels.get(id)) + ' ' + n;
    button.setAttribute('aria-pressed', String(id === state.filter));
  }
}

function setFilter(id) {
  state.filter = id;
  localStorage.setItem('oase.filter', id);
  state.guardUntil = Date.now() + GUARD_MS;
  render();
}

function renderArrivals(arrivals) {
  const allWaiting = arrivals.filter((a) => a.status === 'waiting');
  const waiting = state.filter ? allWaiting.filter((a) => a.service === state.filter) : allWaiting;
  // The done list by the time a desk marked it, the latest first (then by arrival).
  const done = arrivals.map((a, i) => [a, i]).filter(([a]) => a.status !== 'waiting')
    .sort((x, y) => (y[0].marked_ms || 0) - (x[0].marked_ms || 0) || y[1] - x[1]).map(([a]) => a);
  // Cards that move under the pointer (one above went away, a filter changed) hold taps for
  // a moment; a new arrival at the end of the list moves nothing.
  const order = waiting.map((a) => a.number).join(',');
  if (state.order && order !== state.order && !order.startsWith(state.order + ',')) {
    state.guardUntil = Date.now() + GUARD_MS;
  }
  state.order = order;
  renderFilter(allWaiting);
  syncList(byId('waiting-list'), state.cards, waiting, makeCard, fillCard);
  syncList(byId('done-list'), state.rows, done, makeRow, fillRow);
  byId('waiting-count').textContent = waiting.length;
  byId('done-count').textContent = done.length;
  byId('waiting-empty').hidden = waiting.length > 0;
  const longest = allWaiting.reduce((m, a) => Math.max(m, a.minutes || 0), -1);
  const longestNode = byId('longest');
  longestNode.textContent = longest >= 0 ? t('longest', { m: longest }) : '';
  longestNode.classList.toggle('wait-long', longest >= state.thresholds[0] && longest < state.thresholds[1]);
  longestNode.classList.toggle('wait-very-long', longest >= state.thresholds[1]);
}

function renderToday(today) {
  byId('n-checkins').textContent = today.checkins;
  byId('n-waiting').textContent = today.waiting;
  byId('n-median').textContent =
    today.median_wait_minutes === null ? '–' : t('minutes', { m: today.median_wait_minutes });
  byId('n-response').textContent =
    today.response_percent === null ? '–' : today.response_percent + ' %';
  const stress = byId('n-stress');
  if (today.stress_mean !== null) {
    const mean = state.lang === 'nl' ? String(today.stress_mean).replace('.', ',') : today.stress_mean;
    stress.textContent = t('stress_of', { mean: mean, n: today.stress_mean_answers });
    stress.className = '';
  } else {
    stress.textContent = state.askStress === false
      ? t('stress_off')
      : t('stress_from', { k: today.k, n: today.stress_answers });
    stress.className = 'soft';
  }
  const i = today.incidents;
  const total = i.verbal + i.physical + i.other;
  const incidents = byId('n-incidents');
  incidents.textContent = total + ' ';
  incidents.append(el('span', 'small muted', '(' + t('incident_parts', { v: i.verbal, p: i.physical, o: i.other }) + ')'));
  const recent = state.incident && Date.now() - state.incident.at < INCIDENT_NOTE_MS;
  byId('incident-note').textContent =
    recent ? t('incident_counted', { kind: t(state.incident.kind).toLowerCase(), n: total }) : '';
}

function renderRoom(room, experiment) {
  const line = byId('light-line');
  const scenes = byId('scenes');
  if (!room.lights_known) {
    line.textContent = t('no_lights');
    scenes.replaceChildren();
  } else {
    line.replaceChildren();
    line.append(el('span', '', t('light_now', { scene: room.scene || '–', level: room.level }) +
                               (room.fading ? t('light_fading') : '')));
    line.append(el('br'));
    let detail = room.override && room.override_until ? t('light_until', { t: room.override_until })
                                                      : t('light_schedule');
    if (!room.override && room.next_change) detail += ' ' + t('light_next', { t: room.next_change });
    if (room.test) detail = t('light_test');
    line.append(el('span', 'muted small', detail));
    if (experiment && experiment.condition) {
      line.append(el('br'));
      line.append(el('span', 'small', experimentText(experiment)));
    }

    const wanted = room.scenes.concat(room.override ? ['@schedule'] : []);
    const current = Array.from(scenes.children).map((b) => b.dataset.scene);
    if (current.join('\n') !== wanted.join('\n')) {
      scenes.replaceChildren(...wanted.map((name) => {
        const button = el('button', 'chip');
        button.type = 'button';
        button.dataset.scene = name;
        button.addEventListener('click', () => {
          if (name !== '@schedule' && /^(closed|gesloten|off|uit|dark|donker)$/i.test(name) &&
              !confirm(t('confirm_closed', { scene: name, level: '0 %' }))) return;
          chooseScene(name === '@schedule' ? { schedule: '1' } : { scene: name });
        });
        return button;
      }));
    }
    for (const button of scenes.children) {
      const name = button.dataset.scene;
      button.textContent = name === '@schedule' ? t('follow_schedule') : name;
      button.setAttribute('aria-pressed', String(room.override && name === room.scene));
    }
  }
  const audio = byId('audio-line'); // shown once the kiosk publishes its sound
  const sounds = byId('sounds');
  audio.hidden = !room.audio;
  sounds.hidden = !room.audio;
  if (room.audio) {
    const source = t('sound_' + room.audio.source) || room.audio.source;
    audio.textContent = room.audio.playing
      ? t('audio_line', { source: source, db: Math.round(room.audio.volume_db), off: '' })
      : t('audio_line_silent', { source: source });
    renderSounds(sounds, room.audio);
  }
}

// Sound controls: a source each, softer and louder by 3 dB (the kiosk fades and caps),
// and back to the schedule. Built once; labels and pressed states follow each refresh.
function renderSounds(sounds, audio) {
  const names = ['sea', 'rain', 'forest', 'music', 'off'];
  if (sounds.children.length === 0) {
    const add = (key, fields) => {
      const button = el('button', 'chip');
      button.type = 'button';
      button.dataset.sound = key;
      button.addEventListener('click', () => {
        if (key === 'off' && !confirm(t('confirm_sound_off'))) return;
        chooseScene(fields());
      });
      sounds.append(button);
    };
    for (const name of names) add(name, () => ({ source: name }));
    add('@softer', () => ({ volume_db: String(Math.max(-60, state.soundDb - 3)) }));
    add('@louder', () => ({ volume_db: String(Math.min(0, state.soundDb + 3)) }));
    add('@schedule', () => ({ sound_schedule: '1' }));
  }
  state.soundDb = Math.round(audio.volume_db);
  for (const button of sounds.children) {
    const key = button.dataset.sound;
    button.textContent = key === '@softer' ? t('softer') : key === '@louder' ? t('louder')
      : key === '@schedule' ? t('follow_schedule') : t('sound_' + key);
    button.setAttribute('aria-pressed', String(key === audio.source));
  }
}

function formatBytes(mb) {
  return mb >= 1024 ? (mb / 1024).toFixed(1) + ' GB' : mb + ' MB';
}

// The kiosk's own problem texts are English; the ones the page knows get its language.
function problemText(text) {
  if (/^no (sound|audio) device/i.test(text)) return t('no_sound_device');
  if (/^the sound device was removed/i.test(text)) return t('sound_removed');
  if (/^music: no music_dir/i.test(text)) return t('no_music');
  const gpio = text.match(/^writing a GPIO line failed: (.*)$/);
  if (gpio) return t('gpio_failed', { why: gpio[1] });
  return text;
}

// A randomised room: which condition runs today, so hosts know (they may still override).
function experimentText(experiment) {
  if (!experiment) return '';
  if (!experiment.condition) {
    return t('experiment_none_today', { name: experiment.name, days: experiment.days });
  }
  return t('experiment_day', { name: experiment.name, condition: experiment.condition,
                               day: experiment.day_index, days: experiment.days }) +
         (experiment.in_force ? '' : ' – ' + t('experiment_not_now'));
}

function renderHealth(health, experiment) {
  const items = [];
  if (experiment) {
    items.push([experimentText(experiment), false]);
    if (experiment.overrides_today > 0) {
      items.push([t('experiment_overrides', { n: experiment.overrides_today }), true]);
    }
  }
  for (const light of health.lights) {
    const state_ = light.problem ? problemText(light.problem) : light.degraded ? t('health_sim') : t('health_fine');
    items.push([t('health_light', { name: light.name, driver: light.driver, state: state_ }),
                light.degraded || light.problem !== '']);
  }
  if (health.audio) {
    items.push([t('health_audio', { state: problemText(health.audio.problem) || t('health_fine') }),
                health.audio.problem !== '']);
  }
  if (health.disk_free_mb === null) {
    items.push([t('health_disk_unknown'), false]);
  } else {
    items.push([t('health_disk', { free: formatBytes(health.disk_free_mb), pct: health.disk_free_percent }),
                health.disk_free_percent < 10]);
  }
  if (health.clock_problem) {
    items.push([t('health_clock_' + health.clock_problem), true]);
  }
  if (health.database_fault) {
    items.push([t('health_db_fault', { fault: health.database_fault }), true]);
  }
  if (health.database_in_memory) {
    items.push([t('health_db_memory'), true]);
  }
  if (health.unsaved_since) {
    items.push([t('health_db_unsaved', { since: health.unsaved_since, n: health.held_writes }), true]);
  }
  if (health.lost_writes > 0) {
    items.push([t('health_db_lost', { n: health.lost_writes }), true]);
  }
  const k = state.last && state.last.today ? state.last.today.k : 5;
  if (health.answers_pooled > 0) {
    items.push([t('health_answers_pooled', { n: health.answers_pooled, k }), false]);
  }
  if (health.answers_withheld > 0) {
    items.push([t('health_answers_withheld', { n: health.answers_withheld, k }), false]);
  }
  if (health.answers_refused > 0) {
    items.push([t('health_answers_refused', { n: health.answers_refused }), true]);
  }
  if (health.database_error) {
    items.push([t('health_db_error', { error: health.database_error }), true]);
  }
  if (health.failed_writes > 0) {
    items.push([t('health_db_failed', { n: health.failed_writes }), true]);
  }
  if (!health.database_error && health.failed_writes === 0 && !health.database_fault &&
      !health.database_in_memory && !health.unsaved_since && !(health.lost_writes > 0)) {
    items.push([t('health_db_fine'), false]);
  }
  byId('health-list').replaceChildren(...items.map(([text, attention]) =>
    el('li', attention ? 'attention' : '', text)));
}

function renderLive() {
  const live = byId('live');
  live.textContent = state.online ? t('live') : t('offline');
  live.classList.toggle('offline', !state.online);
  document.body.classList.toggle('is-offline', !state.online);
  const banner = byId('offline-banner');
  banner.hidden = state.online;
  // The kiosk's clock of the last answer (a 304 repeats the same minute), as the header shows.
  const at = state.last ? state.last.now : '–';
  banner.textContent = state.online ? '' : t('offline_banner', { t: at });
  byId('waiting-list').setAttribute('aria-disabled', String(!state.online));
  const sound = byId('sound-toggle');
  sound.textContent = state.alert ? t('sound_on') : t('sound_off_alert');
  sound.setAttribute('aria-pressed', String(state.alert));
}

function renderHelp(s) {
  const n = s.help_requests || 0;
  byId('help-banner').hidden = n === 0;
  byId('help-text').textContent = n > 0 ? t('help', { n }) : '';
}

function render() {
  renderLive();
  const s = state.last;
  if (!s) return;
  byId('clock').textContent = s.now;
  renderHelp(s);
  renderArrivals(s.arrivals);
  renderToday(s.today);
  renderRoom(s.room, s.experiment);
  renderHealth(s.health, s.experiment);
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  updateTitle();
  for (const node of document.querySelectorAll('[data-t]')) {
    node.textContent = t(node.dataset.t);
  }
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang));
  }
  render();
}

// --- toast with undo --------------------------------------------------------------------

function showToast(text, undo) {
  byId('toast-text').textContent = text;
  const button = byId('toast-undo');
  button.hidden = !undo;
  state.toastUndo = undo || null;
  byId('toast').hidden = false;
  clearTimeout(state.toastTimer);
  state.toastTimer = setTimeout(hideToast, TOAST_MS);
}

function hideToast() {
  byId('toast').hidden = true;
  state.toastUndo = null;
}

// --- keyboard ---------------------------------------------------------------------------

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
  const cards = Array.from(byId('waiting-list').children);
  let index = cards.indexOf(document.activeElement && document.activeElement.closest
    ? document.activeElement.closest('.card') : null);
  const key = event.key.toLowerCase();
  if (key === 'arrowdown' || key === 'j' || key === 'arrowup' || key === 'k') {
    if (cards.length === 0) return;
    const down = key === 'arrowdown' || key === 'j';
    index = index < 0 ? 0 : Math.max(0, Math.min(cards.length - 1, index + (down ? 1 : -1)));
    cards[index].focus();
    event.preventDefault();
    return;
  }
  if (key === 'f') {
    const chips = Array.from(byId('service-filter').children).map((b) => b.dataset.service);
    setFilter(chips[(chips.indexOf(state.filter) + 1) % chips.length] || '');
    return;
  }
  if (key === 'u' && state.toastUndo) {
    byId('toast-undo').click();
    return;
  }
  const card = index >= 0 ? cards[index] : null;
  if (!card) return;
  if (key === 'o') setStatus(card.arrival, 'collected');
  else if (key === 'n') setStatus(card.arrival, 'no_show');
  else if (key === 'h') setClaim(card.arrival, !card.arrival.claimed_by_me);
}

// --- start ------------------------------------------------------------------------------

async function start() {
  let session;
  try {
    const response = await fetch('/api/session', { credentials: 'same-origin' });
    if (response.status === 401) {
      location.replace('/login');
      return;
    }
    session = await response.json();
  } catch (e) {
    setTimeout(start, 2000);
    return;
  }
  state.csrf = session.csrf;
  state.askStress = session.ask_stress;
  if (session.wait_attention_minutes && session.wait_long_minutes) {
    state.thresholds = [session.wait_attention_minutes, session.wait_long_minutes];
  }
  state.lang = localStorage.getItem('oase.lang') || session.language || 'nl';
  if (!TEXTS[state.lang]) state.lang = 'nl';
  byId('site').textContent = session.site || '';
  applyLanguage();

  for (const button of document.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => {
      state.lang = button.dataset.lang;
      localStorage.setItem('oase.lang', state.lang);
      applyLanguage();
    });
  }
  for (const button of document.querySelectorAll('[data-incident]')) {
    button.addEventListener('click', () => countIncident(button.dataset.incident, button));
  }
  byId('toast-undo').addEventListener('click', () => {
    const undo = state.toastUndo;
    hideToast();
    if (undo) undo();
  });
  byId('sound-toggle').addEventListener('click', () => {
    if (state.alert && !confirm(t('confirm_alert_off'))) return;
    state.alert = !state.alert;
    localStorage.setItem('oase.alert', state.alert ? 'on' : 'off');
    renderLive();
  });
  byId('help-seen').addEventListener('click', async () => {
    try {
      await post('/api/help', { seen: '1' });
    } catch (e) {
      showToast(t('failed'));
    }
    await refresh();
  });
  // Browsers let a page make sound only after a tap: the first tap anywhere makes it ready.
  document.addEventListener('pointerdown', () => {
    if (!state.audio && window.AudioContext) state.audio = new AudioContext();
  }, { once: true });
  const seen = () => { state.unseen = 0; updateTitle(); };
  window.addEventListener('focus', seen);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) seen(); });
  document.addEventListener('keydown', onKey);
  byId('logout').addEventListener('click', async () => {
    try {
      await post('/api/logout', {});
    } finally {
      location.replace('/login');
    }
  });

  await refresh();
  // Short polling, never overlapping: the next request starts a second after the last ended.
  const loop = async () => {
    await refresh();
    setTimeout(loop, POLL_MS);
  };
  setTimeout(loop, POLL_MS);
}

start();
