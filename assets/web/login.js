// SPDX-License-Identifier: EUPL-1.2
// Oase host page: the login. Sends the passphrase as a form to /api/login; a wrong one
// makes this address wait (1, 2, 4 ... 60 s): the button says how long. Text is only ever
// set with textContent.
'use strict';

const TEXTS = {
  nl: {
    intro: 'Aankomsten voor de gastvrouw en gastheer.',
    passphrase: 'Wachtwoordzin',
    login: 'Inloggen',
    checking: 'Even controleren…',
    wrong: 'Dat is niet de juiste wachtwoordzin.',
    wait: 'Probeer het over {s} s opnieuw.',
    offline: 'De kiosk is niet bereikbaar. Probeer het zo opnieuw.',
    error: 'Er ging iets mis. Probeer het zo opnieuw.',
    sessions_full: 'Er zijn al te veel balies aangemeld. Laat een balie die klaar is afmelden en probeer het opnieuw.',
    title: 'Oase · Inloggen',
  },
  en: {
    intro: 'Arrivals for the front-desk host.',
    passphrase: 'Passphrase',
    login: 'Log in',
    checking: 'Checking…',
    wrong: 'That is not the right passphrase.',
    wait: 'Please try again in {s} s.',
    offline: 'The kiosk cannot be reached. Please try again shortly.',
    error: 'Something went wrong. Please try again shortly.',
    sessions_full: 'Too many desks are logged in. Ask a desk that is done to log out, then try again.',
    title: 'Oase · Log in',
  },
};

let lang = localStorage.getItem('oase.lang') || document.documentElement.lang || 'nl';
if (!TEXTS[lang]) lang = 'nl';
let waitUntil = 0;
let waitTimer = null;
let message = '';

function t(key) {
  return TEXTS[lang][key] || TEXTS.nl[key] || '';
}

function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-t]')) {
    el.textContent = t(el.dataset.t);
  }
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  showStatus();
}

function showStatus() {
  const status = document.getElementById('login-status');
  const button = document.getElementById('login-button');
  const seconds = Math.ceil((waitUntil - Date.now()) / 1000);
  if (seconds > 0) {
    status.textContent = (message ? t(message) + ' ' : '') + t('wait').replace('{s}', seconds);
    button.disabled = true;
    return;
  }
  button.disabled = false;
  status.textContent = message ? t(message) : '';
  if (waitTimer) {
    clearInterval(waitTimer);
    waitTimer = null;
  }
}

function waitFor(seconds) {
  waitUntil = Date.now() + seconds * 1000;
  if (!waitTimer) waitTimer = setInterval(showStatus, 250);
  showStatus();
}

async function login(event) {
  event.preventDefault();
  const input = document.getElementById('passphrase');
  const status = document.getElementById('login-status');
  const button = document.getElementById('login-button');
  button.disabled = true;
  status.textContent = t('checking');
  let response;
  try {
    response = await fetch('/api/login', {
      method: 'POST',
      body: new URLSearchParams({ passphrase: input.value }),
      credentials: 'same-origin',
    });
  } catch (e) {
    message = 'offline';
    showStatus();
    return;
  }
  if (response.ok) {
    input.value = '';
    location.replace('/');
    return;
  }
  let answer = {};
  try {
    answer = await response.json();
  } catch (e) {
    answer = {};
  }
  input.value = '';
  input.focus();
  if (response.status === 401 || response.status === 429) {
    message = response.status === 401 ? 'wrong' : '';
    waitFor(Number(answer.retry_after) || 1);
  } else {
    message = answer.error === 'sessions_full' ? 'sessions_full' : 'error';
    showStatus();
  }
}

document.getElementById('login-form').addEventListener('submit', login);
for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => {
    lang = button.dataset.lang;
    localStorage.setItem('oase.lang', lang);
    applyLanguage();
  });
}
applyLanguage();
