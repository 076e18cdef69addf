// Oase host page: today's arrivals, live. Asks /api/state every second (a check-in shows
// within 2 s), and posts the host's taps with the session's CSRF token. Every text from the
// kiosk (friendly names, service labels, scene names, errors) is set with textContent:
// nothing from the server is ever parsed as HTML.
'use strict';

const POLL_MS = 1000;
const TOAST_MS = 8000;

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
    wants_word: 'Wil graag even praten',
    collected: 'Opgehaald',
    no_show: 'Niet gekomen',
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
    health_db_lost: 'Database: {n} antwoorden verloren (geheugen vol)',
    failed: 'Dat lukte niet. Probeer het opnieuw.',
    busy: 'De kiosk is even druk. Probeer het zo opnieuw.',
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
    health_db_lost: 'Database: {n} answers lost (memory full)',
    failed: 'That did not work. Please try again.',
    busy: 'The kiosk is busy. Please try again shortly.',
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
    const response = await fetch('/api/state', { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      location.replace('/login');
      return;
    }
    if (!response.ok) throw new Error('status ' + response.status);
    state.last = await response.json();
    state.online = true;
    render();
  } catch (e) {
    state.online = false;
    renderLive();
  }
}

async function setStatus(arrival, status) {
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
  actions.append(collected, noShow);
  card.append(who, when, word, actions);
  collected.addEventListener('click', () => setStatus(card.arrival, 'collected'));
  noShow.addEventListener('click', () => setStatus(card.arrival, 'no_show'));
  return card;
}

function fillCard(card, arrival) {
  card.arrival = arrival;
  card.dataset.number = arrival.number;
  card.classList.toggle('word', arrival.wants_word);
  card.querySelector('.name').textContent = arrival.name;
  card.querySelector('.service').textContent = serviceLabel(arrival);
  card.querySelector('.waited').textContent = t('minutes', { m: arrival.minutes });
  card.querySelector('.time').textContent = t('arrived', { t: arrival.arrived });
  const word = card.querySelector('.wants-word');
  word.hidden = !arrival.wants_word;
  word.textContent = t('wants_word');
  const busy = state.busy.has(arrival.number);
  for (const button of card.querySelectorAll('button')) {
    button.textContent = t(button.dataset.action);
    button.disabled = busy;
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
    arrival.status === 'collected' ? t('collected_after', { m: arrival.minutes }) : t('no_show');
  const undo = row.querySelector('button');
  undo.textContent = t('undo');
  undo.disabled = state.busy.has(arrival.number);
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

function renderArrivals(arrivals) {
  const waiting = arrivals.filter((a) => a.status === 'waiting');
  const done = arrivals.filter((a) => a.status !== 'waiting').reverse(); // latest first
  syncList(byId('waiting-list'), state.cards, waiting, makeCard, fillCard);
  syncList(byId('done-list'), state.rows, done, makeRow, fillRow);
  byId('waiting-count').textContent = waiting.length;
  byId('done-count').textContent = done.length;
  byId('waiting-empty').hidden = waiting.length > 0;
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

function renderRoom(room) {
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

    const wanted = room.scenes.concat(room.override ? ['@schedule'] : []);
    const current = Array.from(scenes.children).map((b) => b.dataset.scene);
    if (current.join('\n') !== wanted.join('\n')) {
      scenes.replaceChildren(...wanted.map((name) => {
        const button = el('button', 'chip');
        button.type = 'button';
        button.dataset.scene = name;
        button.addEventListener('click', () =>
          chooseScene(name === '@schedule' ? { schedule: '1' } : { scene: name }));
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
      button.addEventListener('click', () => chooseScene(fields()));
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

function renderHealth(health) {
  const items = [];
  for (const light of health.lights) {
    const state_ = light.problem ? light.problem : light.degraded ? t('health_sim') : t('health_fine');
    items.push([t('health_light', { name: light.name, driver: light.driver, state: state_ }),
                light.degraded || light.problem !== '']);
  }
  if (health.audio) {
    items.push([t('health_audio', { state: health.audio.problem || t('health_fine') }),
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
}

function render() {
  renderLive();
  const s = state.last;
  if (!s) return;
  byId('clock').textContent = s.now;
  renderArrivals(s.arrivals);
  renderToday(s.today);
  renderRoom(s.room);
  renderHealth(s.health);
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t('page_title');
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
